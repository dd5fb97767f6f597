"""
Glossary search that finds what readers type.

Every name, alias and definition is stored as a SearchEntry row in two
normalised forms: `compact` (lower case, accents dropped, Greek letters
spelled out, everything but letters and digits removed: "TNF-α", "tnf alpha"
and "TNFalpha" all become "tnfalpha") and `words` (the same, split into
words). A query is normalised the same way and matched in four tiers, best
first:

1. exact: the compact form equals a name or alias;
2. prefix: a name or alias starts with it ("kiner" finds Kineret);
3. typo: a name or alias is one or two edits away ("adalimumib"), found
   through a trigram index and confirmed by an edit distance;
4. words: every query word (the last one as a prefix) occurs in a name,
   alias or definition, through a full-text index.

SQLite uses two FTS5 tables (trigram and unicode61 tokenizers) kept in step
with SearchEntry by triggers; PostgreSQL uses pg_trgm and a tsvector index.
Both are created by migrations.
"""

import re
from dataclasses import dataclass
from enum import IntEnum

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import mark_safe
from rapidfuzz.distance import OSA

# Search and linking share one normalisation. GREEK_NAMES is imported from
# here by the benchmarks, compact and normalise_words by migration 0004.
from glossary.normalise import (
    GREEK_NAMES,  # noqa: F401
    compact,
    normalise_char,
    normalise_words,
)

# How much of a query is read, and how many results each place shows.
MAX_QUERY_LENGTH = 200
SUGGEST_LIMIT = 10  # suggestions, and terms on the site-wide results page
RESULT_LIMIT = 100  # glossary results ranked for one query
RESULTS_PER_PAGE = 20  # a glossary results page; articles in site search
# Candidates read from an index before ranking; enough for every exact and
# close match of one query, small enough to rank in a millisecond or two.
PREFIX_CANDIDATES = 200
TYPO_CANDIDATES = 60
WORD_CANDIDATES = 200
# Trigram index rows read for one typo lookup before common trigrams are
# left out (see SQLiteIndex.typo_candidates).
TRIGRAM_ROW_BUDGET = 2500


class Tier(IntEnum):
    EXACT = 0
    PREFIX = 1
    TYPO = 2
    WORDS = 3


def spelling(text):
    """`text` lower-cased with punctuation as spaces: how it was spelled."""
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def trigrams(text):
    return sorted({text[i : i + 3] for i in range(len(text) - 2)})


def prefix_order(query):
    """
    SQL ordering for prefix candidates: shortest first, so the closest
    completions are read; for one or two letters, index order, since
    sorting every entry that starts with "a" by length would cost more than
    the answer is worth.
    """
    return "length(compact), compact" if len(query) >= 3 else "compact"


def max_typo_edits(length):
    """Edits tolerated in a query of `length` letters: short words need care."""
    if length < 4:
        return 0
    return 1 if length < 7 else 2


@dataclass
class Hit:
    term_id: int
    text: str
    source: str
    tier: Tier
    score: float
    is_as_typed: bool = False

    @property
    def sort_key(self):
        # Within a tier: the spelling the reader typed, then names before
        # aliases before definitions, then shorter texts.
        source_order = {"name": 0, "alias": 1}.get(self.source, 2)
        return (
            self.tier,
            self.score,
            not self.is_as_typed,
            source_order,
            len(self.text),
        )


class SQLiteIndex:
    """Candidate lookups on SQLite: B-tree for exact/prefix, FTS5 for the rest."""

    def prefix(self, cursor, query):
        cursor.execute(
            "SELECT term_id, text, source, compact FROM glossary_searchentry "
            "WHERE compact >= %s AND compact < %s AND source != 'definition' "
            f"ORDER BY {prefix_order(query)} LIMIT %s",
            [query, query + "\U0010ffff", PREFIX_CANDIDATES],
        )
        return cursor.fetchall()

    def typo_candidates(self, cursor, query, length_slack=None):
        """
        Names and aliases of about the query's length that share the most of
        its rarer trigrams.

        Common trigrams ("ine", "mab") sit in thousands of entries and say
        little, so trigrams are read rarest first (document counts from the
        fts5vocab table) until TRIGRAM_ROW_BUDGET rows, and at least three
        trigrams, have been read. The price: a typo whose surviving
        trigrams are all common can be missed (see bench/README.md).
        """
        grams = trigrams(query)
        if not grams:
            return []
        slack = max_typo_edits(len(query)) if length_slack is None else length_slack
        cursor.execute(
            "SELECT term, doc FROM glossary_search_trigram_vocab WHERE term IN "
            f"({', '.join(['%s'] * len(grams))})",
            grams,
        )
        sizes = dict(cursor.fetchall())
        kept, total = [], 0
        for gram in sorted((g for g in grams if g in sizes), key=sizes.get):
            if len(kept) >= 3 and total + sizes[gram] > TRIGRAM_ROW_BUDGET:
                break
            kept.append(gram)
            total += sizes[gram]
        if not kept:
            return []
        lookups = " UNION ALL ".join(
            "SELECT rowid FROM glossary_search_trigrams "
            "WHERE glossary_search_trigrams MATCH %s"
            for _ in kept
        )
        cursor.execute(
            "SELECT e.term_id, e.text, e.source, e.compact FROM ("
            f"  SELECT rowid AS id, count(*) AS shared FROM ({lookups}) GROUP BY rowid"
            ") AS c JOIN glossary_searchentry AS e ON e.id = c.id "
            "WHERE e.source != 'definition' AND length(e.compact) BETWEEN %s AND %s "
            "ORDER BY c.shared DESC, abs(length(e.compact) - %s) LIMIT %s",
            [
                *(f'"{gram}"' for gram in kept),
                len(query) - slack,
                len(query) + slack,
                len(query),
                TYPO_CANDIDATES,
            ],
        )
        return cursor.fetchall()

    def word_matches(self, cursor, words):
        match = " ".join(f'"{word}"' for word in words[:-1])
        match = f'{match} "{words[-1]}"*'.strip()
        cursor.execute(
            "SELECT e.term_id, e.text, e.source, t.rank, e.words "
            "FROM glossary_search_words AS t "
            "JOIN glossary_searchentry AS e ON e.id = t.rowid "
            "WHERE glossary_search_words MATCH %s ORDER BY t.rank LIMIT %s",
            [match, WORD_CANDIDATES],
        )
        return cursor.fetchall()


class PostgreSQLIndex:
    """Candidate lookups on PostgreSQL: pattern index, pg_trgm and tsvector."""

    def prefix(self, cursor, query):
        pattern = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        cursor.execute(
            "SELECT term_id, text, source, compact FROM glossary_searchentry "
            "WHERE compact LIKE %s AND source != 'definition' "
            f"ORDER BY {prefix_order(query)} LIMIT %s",
            [pattern + "%", PREFIX_CANDIDATES],
        )
        return cursor.fetchall()

    def typo_candidates(self, cursor, query, length_slack=None):
        cursor.execute(
            "SELECT term_id, text, source, compact FROM glossary_searchentry "
            "WHERE compact %% %s AND source != 'definition' "
            "ORDER BY similarity(compact, %s) DESC LIMIT %s",
            [query, query, TYPO_CANDIDATES],
        )
        return cursor.fetchall()

    def word_matches(self, cursor, words):
        tsquery = " & ".join([*words[:-1], words[-1] + ":*"])
        # Shorter texts first: ts_rank would parse every matching text again.
        cursor.execute(
            "SELECT term_id, text, source, length(words), words "
            "FROM glossary_searchentry "
            "WHERE to_tsvector('simple', words) @@ to_tsquery('simple', %s) "
            "ORDER BY 4 LIMIT %s",
            [tsquery, WORD_CANDIDATES],
        )
        return cursor.fetchall()


def get_index():
    return PostgreSQLIndex() if connection.vendor == "postgresql" else SQLiteIndex()


def find_hits(text, limit=RESULT_LIMIT):
    """
    The best Hit per term for a query, best first, at most `limit`.

    Exact and prefix matches come from one index range, then words from the
    full-text index. Typos are looked for only when no name or alias is or
    begins with the query and its words are not all known words: a word that
    exists is what the reader meant, not a misspelling of another.
    """
    query = compact(text)
    words = normalise_words(text)
    if not query:
        return []
    index = get_index()
    best = {}
    typed = spelling(text)

    def offer(hit):
        current = best.get(hit.term_id)
        if current is not None and current.tier < hit.tier:
            return
        if hit.tier <= Tier.TYPO:
            hit.is_as_typed = spelling(hit.text) == typed
        if current is None or hit.sort_key < current.sort_key:
            best[hit.term_id] = hit

    with connection.cursor() as cursor:
        for term_id, entry_text, source, entry_compact in index.prefix(cursor, query):
            tier = Tier.EXACT if entry_compact == query else Tier.PREFIX
            offer(Hit(term_id, entry_text, source, tier, len(entry_compact)))
        # A name or alias that is the query or begins with it means the
        # reader typed a real name (or is still typing one): no typo search.
        is_known_start = bool(best)
        known_words = False
        for term_id, entry_text, source, rank, entry_words in index.word_matches(
            cursor, words
        ):
            offer(Hit(term_id, entry_text, source, Tier.WORDS, rank))
            known_words = known_words or set(words) <= set(entry_words.split())
        edits = max_typo_edits(len(query))
        if edits and not is_known_start and not known_words:
            for term_id, entry_text, source, entry_compact in index.typo_candidates(
                cursor, query
            ):
                distance = OSA.distance(query, entry_compact, score_cutoff=edits)
                if distance <= edits:
                    offer(Hit(term_id, entry_text, source, Tier.TYPO, distance))
    return sorted(best.values(), key=lambda hit: hit.sort_key)[:limit]


def closest_names(text, limit=3):
    """
    Names or aliases nearest to a query that found nothing, for "Did you
    mean": the trigram candidates ranked by edit distance, with no cut-off
    but a sanity limit of half the query's length.
    """
    query = compact(text)
    if len(query) < 3:
        return []
    with connection.cursor() as cursor:
        candidates = get_index().typo_candidates(
            cursor, query, length_slack=max(2, len(query) // 2)
        )
    ranked = sorted(
        (OSA.distance(query, entry_compact), term_id, entry_text)
        for term_id, entry_text, _, entry_compact in candidates
    )
    seen, closest = set(), []
    for distance, term_id, entry_text in ranked:
        if distance <= max(2, len(query) // 2) and term_id not in seen:
            seen.add(term_id)
            closest.append((term_id, entry_text))
    return closest[:limit]


def highlight(text, query_text, tier):
    """
    `text` as HTML with the part that matched the query in <mark>.

    Exact and typo matches mark the whole name; a prefix match marks the
    leading characters that spell the query; a words match marks each word
    that starts with a query word.
    """
    if tier in (Tier.EXACT, Tier.TYPO):
        return mark_safe(f"<mark>{escape(text)}</mark>")
    if tier == Tier.PREFIX:
        # The letters as typed, not their stems: "cytokines" marks all of
        # "Cytokine" in "Cytokine receptor", and "kiner" only "Kiner".
        wanted = "".join("".join(normalise_char(char).split()) for char in query_text)
        spelled, end = "", 0
        for position, char in enumerate(text):
            letters = "".join(normalise_char(char).split())
            if not letters:
                continue
            if not wanted.startswith(spelled + letters):
                break
            spelled += letters
            end = position + 1
        if not end:
            return mark_safe(f"<mark>{escape(text)}</mark>")
        return mark_safe(f"<mark>{escape(text[:end])}</mark>{escape(text[end:])}")
    query_words = normalise_words(query_text)
    pieces, word_start = [], None
    for position, char in enumerate(text + " "):
        is_word_char = normalise_char(char) != " " if position < len(text) else False
        if is_word_char and word_start is None:
            word_start = position
        elif not is_word_char and word_start is not None:
            word = text[word_start:position]
            normalised = compact(word)
            if any(normalised.startswith(q) for q in query_words):
                pieces.append(f"<mark>{escape(word)}</mark>")
            else:
                pieces.append(escape(word))
            word_start = None
        if not is_word_char and position < len(text):
            pieces.append(escape(char))
    return mark_safe("".join(pieces))
