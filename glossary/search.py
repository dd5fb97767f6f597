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
import unicodedata
from dataclasses import dataclass
from enum import IntEnum

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import mark_safe
from rapidfuzz.distance import OSA

GREEK_NAMES = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon",
    "ζ": "zeta", "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa",
    "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "ο": "omicron", "π": "pi",
    "ρ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon",
    "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}  # fmt: skip

SUGGEST_LIMIT = 10
RESULT_LIMIT = 100
# Candidates read from an index before ranking; enough for every exact and
# close match of one query, small enough to rank in a millisecond or two.
PREFIX_CANDIDATES = 200
TYPO_CANDIDATES = 60
WORD_CANDIDATES = 200


class Tier(IntEnum):
    EXACT = 0
    PREFIX = 1
    TYPO = 2
    WORDS = 3


def normalise_char(char):
    """The letters and digits one character stands for, lower case."""
    lowered = char.casefold()
    if lowered in GREEK_NAMES:
        return " " + GREEK_NAMES[lowered] + " "
    decomposed = unicodedata.normalize("NFKD", lowered)
    kept = "".join(
        c for c in decomposed if c.isalnum() and not unicodedata.combining(c)
    )
    return kept if kept else " "


def normalise_words(text):
    """Words of `text` in search form: ["tnf", "alpha"] for "TNF-α"."""
    return "".join(normalise_char(char) for char in text or "").split()


def compact(text):
    """`text` in search form without spaces: "il1" for "IL-1", "il 1", "IL1"."""
    return "".join(normalise_words(text))


def spelling(text):
    """`text` lower-cased with punctuation as spaces: how it was spelled."""
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def trigrams(text):
    return sorted({text[i : i + 3] for i in range(len(text) - 2)})


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
            "ORDER BY compact LIMIT %s",
            [query, query + "\U0010ffff", PREFIX_CANDIDATES],
        )
        return cursor.fetchall()

    def typo_candidates(self, cursor, query):
        grams = trigrams(query)
        if not grams:
            return []
        match = " OR ".join(f'"{gram}"' for gram in grams)
        cursor.execute(
            "SELECT e.term_id, e.text, e.source, e.compact "
            "FROM glossary_search_trigrams AS t "
            "JOIN glossary_searchentry AS e ON e.id = t.rowid "
            "WHERE glossary_search_trigrams MATCH %s ORDER BY t.rank LIMIT %s",
            [match, TYPO_CANDIDATES],
        )
        return cursor.fetchall()

    def word_matches(self, cursor, words):
        match = " ".join(f'"{word}"' for word in words[:-1])
        match = f'{match} "{words[-1]}"*'.strip()
        cursor.execute(
            "SELECT e.term_id, e.text, e.source, t.rank "
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
            "ORDER BY compact LIMIT %s",
            [pattern + "%", PREFIX_CANDIDATES],
        )
        return cursor.fetchall()

    def typo_candidates(self, cursor, query):
        cursor.execute(
            "SELECT term_id, text, source, compact FROM glossary_searchentry "
            "WHERE compact %% %s AND source != 'definition' "
            "ORDER BY similarity(compact, %s) DESC LIMIT %s",
            [query, query, TYPO_CANDIDATES],
        )
        return cursor.fetchall()

    def word_matches(self, cursor, words):
        tsquery = " & ".join([*words[:-1], words[-1] + ":*"])
        cursor.execute(
            "SELECT term_id, text, source, "
            "-ts_rank(to_tsvector('simple', words), to_tsquery('simple', %s)) "
            "FROM glossary_searchentry "
            "WHERE to_tsvector('simple', words) @@ to_tsquery('simple', %s) "
            "ORDER BY 4 LIMIT %s",
            [tsquery, tsquery, WORD_CANDIDATES],
        )
        return cursor.fetchall()


def get_index():
    return PostgreSQLIndex() if connection.vendor == "postgresql" else SQLiteIndex()


def find_hits(text, limit=RESULT_LIMIT):
    """
    The best Hit per term for a query, best first, at most `limit`.

    Later (slower) tiers are only consulted while fewer than `limit` terms
    have been found, since their hits would rank below every earlier one.
    """
    query = compact(text)
    words = normalise_words(text)
    if not query:
        return []
    index = get_index()
    best = {}

    typed = spelling(text)

    def offer(hit):
        hit.is_as_typed = spelling(hit.text) == typed
        current = best.get(hit.term_id)
        if current is None or hit.sort_key < current.sort_key:
            best[hit.term_id] = hit

    with connection.cursor() as cursor:
        for term_id, entry_text, source, entry_compact in index.prefix(cursor, query):
            tier = Tier.EXACT if entry_compact == query else Tier.PREFIX
            offer(Hit(term_id, entry_text, source, tier, len(entry_compact)))
        edits = max_typo_edits(len(query))
        if edits and len(best) < limit:
            for term_id, entry_text, source, entry_compact in index.typo_candidates(
                cursor, query
            ):
                distance = OSA.distance(query, entry_compact, score_cutoff=edits)
                if distance <= edits and source != "definition":
                    offer(Hit(term_id, entry_text, source, Tier.TYPO, distance))
        if len(best) < limit:
            for term_id, entry_text, source, rank in index.word_matches(cursor, words):
                offer(Hit(term_id, entry_text, source, Tier.WORDS, rank))
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
        candidates = get_index().typo_candidates(cursor, query)
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
        wanted, spelled = compact(query_text), ""
        for position, char in enumerate(text):
            spelled += "".join(normalise_char(char).split())
            if len(spelled) >= len(wanted):
                end = position + 1
                return mark_safe(
                    f"<mark>{escape(text[:end])}</mark>{escape(text[end:])}"
                )
        return mark_safe(f"<mark>{escape(text)}</mark>")
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
