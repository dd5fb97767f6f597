"""
How fast glossary search answers, and how good its first answer is, on a
glossary of 100,000 terms with 200,000 aliases, on SQLite and PostgreSQL.

Search runs on every keystroke in the suggestion box and on every results
page, so what matters is the time of one request at a realistic size, not
the throughput of a small glossary. The benchmark loads a synthetic,
deterministic glossary (bench/search/data.py), with published articles that
mention its terms, into a fresh database, picks queries of four kinds from
it:

- exact: a name or alias as written ("Velorix", "IL-17", "TGF-β");
- prefix: its first four or five letters, as typed before suggestions show,
  for a term drawn in proportion to how many articles mention it;
- typo: a one-word name of seven letters or more with one or two edits;
- definition: a word that occurs in a few hundred definitions and in no name,

and times each through the two views with Django's test client (whole
request: middleware, form, search, template or JSON):

- /glossary/suggest/?q= (autocomplete, ten results),
- /glossary/search/?q= (results page, up to 100 results, 20 shown).

For scale it times the same queries as:

- a raw query on the index alone (SQLite: the FTS5 trigram or word table;
  PostgreSQL: pg_trgm similarity or a tsvector match), the floor that the
  views' work is compared with;
- the `icontains` scan over names and aliases that a first version of
  search would use.

It prints the median and p95 per kind, checks the floors (suggest p95 at
most 20 ms, search p95 at most 50 ms, both at least 5x faster than icontains
by median, the intended term first for at least 60% of prefix queries), and
reports how often the expected term is the first suggestion. Run it with
`python -m bench.search`.
"""
