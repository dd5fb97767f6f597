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
4. words: every query word (the last one as a prefix) occurs in a name or
   alias, through a full-text index;
5. definition: the same, in a definition only (labelled so on the pages).

A number names one thing: a typo never changes one ("IL-22" is not
"IL-2"). Among prefix completions, terms that more articles mention come
first.

`find_answer` reads a query the way a reader means it when the words as
typed name nothing: letters typed for Greek ones ("IFN-y", "IL-1ß"), "IL"
and "IFN" spelled out, "blocker" for "inhibitor", and, last, the run of
words that best names a term, saying which words were left out ("humira
injection" shows Humira and says "injection" was ignored).

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
from glossary.citing import CITATION
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
# Trigram similarity a typo candidate needs on PostgreSQL (pg_trgm).
TYPO_TRIGRAM_SIMILARITY = 0.25
# Words of a query tried in runs when the whole query names nothing; more
# would multiply the lookups for a pasted sentence.
MAX_RELAXED_WORDS = 6
# Words that never name a term on their own; a run of words that is
# searched neither starts nor ends with one.
FILLER_WORDS = frozenset(
    "a an and are about at by can do does for from how i in is it my of on "
    "or the to versus vs what when with".split()
)


class Tier(IntEnum):
    EXACT = 0
    PREFIX = 1
    TYPO = 2
    WORDS = 3
    DEFINITION = 4


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


def numbers_in(text):
    """The numbers written in `text`, in order: ["1", "17"]."""
    return re.findall(r"\d+", text)


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
    # Published articles that mention the term; ranks prefix completions.
    mentions: int = 0

    @property
    def sort_key(self):
        # Within a tier: for completions, the term readers meet most often;
        # then the score, the spelling the reader typed, names before
        # aliases before definitions, and shorter texts.
        source_order = {"name": 0, "alias": 1}.get(self.source, 2)
        return (
            self.tier,
            -self.mentions if self.tier == Tier.PREFIX else 0,
            self.score,
            not self.is_as_typed,
            source_order,
            len(self.text),
        )

    @property
    def is_by_name(self):
        """Whether a name or alias matched, rather than only a definition."""
        return self.tier < Tier.DEFINITION


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
        # pg_trgm's default threshold (0.3) misses two swapped letters in
        # the middle of a short name ("humria" shares 3 of 11 trigrams with
        # "humira"); `%` reads the threshold from this setting.
        cursor.execute(f"SET pg_trgm.similarity_threshold = {TYPO_TRIGRAM_SIMILARITY}")
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


def find_hits(text, limit=RESULT_LIMIT, popularity=None):
    """
    The best Hit per term for a query, best first, at most `limit`.

    Exact and prefix matches come from one index range, then words from the
    full-text index. Typos are looked for only when no name or alias is or
    begins with the query and its words are not all known words: a word that
    exists is what the reader meant, not a misspelling of another. A typo
    keeps the query's numbers: "IL-33" is never read as "IL-3".

    `popularity(term_ids)` gives how many articles mention each term, for
    ordering prefix completions; without it they go shortest first.
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
            tier = Tier.DEFINITION if source == "definition" else Tier.WORDS
            offer(Hit(term_id, entry_text, source, tier, rank))
            known_words = known_words or set(words) <= set(entry_words.split())
        edits = max_typo_edits(len(query))
        if edits and not is_known_start and not known_words:
            numbers = numbers_in(query)
            for term_id, entry_text, source, entry_compact in index.typo_candidates(
                cursor, query
            ):
                distance = OSA.distance(query, entry_compact, score_cutoff=edits)
                if distance <= edits and numbers_in(entry_compact) == numbers:
                    offer(Hit(term_id, entry_text, source, Tier.TYPO, distance))
    completions = [hit for hit in best.values() if hit.tier == Tier.PREFIX]
    if popularity and len(completions) > 1:
        mentions = popularity([hit.term_id for hit in completions])
        for hit in completions:
            hit.mentions = mentions.get(hit.term_id, 0)
    return sorted(best.values(), key=lambda hit: hit.sort_key)[:limit]


# Words in article text ------------------------------------------------------

# Matched with Django's `iregex`, which runs Python's re on SQLite and an ARE
# on PostgreSQL: only syntax that means the same in both is used. `\b` is
# not a word boundary in an ARE, hence `(^|\W)`.
WORD_START = r"(^|\W)"
NUMBER_END = r"(\D|$)"
# One punctuation mark, a space or nothing: "IL-6" finds "IL 6" and "IL6".
PART_JOINER = r"\W?"
# Text before a match in Markdown, read whole citations at a time, so that
# no match starts inside one: "6" is not found in `[@primer-2006]`.
OUTSIDE_CITATIONS = rf"^([^\[]|{CITATION}|(?!{CITATION})\[)*?"
# Words of a query read in article search; more would add nothing.
MAX_TEXT_WORDS = 10


@dataclass(frozen=True)
class TextWord:
    """
    One typed word as article search looks for it: `pattern`, a regular
    expression, and `literal`, text every match contains, for a cheap
    `icontains` test that spares most rows the regular expression (blank
    when no such ASCII text is known, since SQLite's LIKE folds only ASCII
    case).
    """

    pattern: str
    literal: str


def text_word_patterns(text):
    """
    A TextWord per typed word of `text`, found in text where a word starts
    ("cytokine" finds "cytokines", "cat" is not in "Locator"). A word that
    ends in a number ends there too ("6" is not "2006", "IL-1" is not
    "IL-12"), and the parts of a word typed with punctuation ("IL-6",
    "anti-TNF") may be joined by a hyphen, a space or nothing.
    """
    words = []
    for token in text.split():
        parts = re.findall(r"\w+", token)
        if not parts:
            continue
        pattern = WORD_START + PART_JOINER.join(parts)
        if parts[-1][-1] in "0123456789":
            pattern += NUMBER_END
        longest = max(parts, key=len)
        words.append(TextWord(pattern, longest if longest.isascii() else ""))
    return words[:MAX_TEXT_WORDS]


def outside_citations(pattern):
    """`pattern` for Markdown source, never matching inside a citation."""
    return OUTSIDE_CITATIONS + pattern


# Reading what readers mean -------------------------------------------------

# Latin letters typed for Greek ones. "ß" (German sharp s) is typed for β
# and means nothing else in a query; a lone "y" after a name is γ
# ("IFN-y"). Both are always read as the Greek letter.
SURE_LOOKALIKES = [
    (re.compile("ß"), "β"),
    (re.compile(r"(?<=[^\W_])[-‐-―\s][yY](?![^\W_])"), "-γ"),
]
# Read only when the query as typed names nothing: "TNF-a", "IL-1b" and
# "IFN-g" usually mean the Greek letter, but "hepatitis b" does not.
LIKELY_LOOKALIKES = [
    re.compile(r"(?:(?<=[^\W_])[-‐-―\s]|(?<=\d))([abgkAGK])(?![^\W_])"),
]
LETTER_FOR = {"a": "α", "b": "β", "g": "γ", "k": "κ"}
# Abbreviations spelled out and everyday words for the glossary's own.
ABBREVIATIONS = [
    (re.compile(r"\bil[-‐-―\s]*(?=\d)", re.IGNORECASE), "interleukin-"),
    (re.compile(r"\bifn(?![^\W_])", re.IGNORECASE), "interferon"),
]
SYNONYMS = [
    (re.compile(r"\bblocker(s?)\b", re.IGNORECASE), r"inhibitor\1"),
    (re.compile(r"\bantagonist(s?)\b", re.IGNORECASE), r"inhibitor\1"),
    # "anti-IL-6" is an IL-6 inhibitor. Only before a numbered name: "anti
    # tnf" is an alias of its own, and "anti" before a plain word is
    # better left to the runs of words.
    (
        re.compile(r"\banti[-‐-―\s]*([^\W\d_]+[-‐-―\s]*\d+)\b", re.IGNORECASE),
        r"\1 inhibitor",
    ),
]
# Numbers written as words ("interleukin six"); names write them in digits.
NUMBER_WORDS = {
    word: str(number)
    for number, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve "
        "thirteen fourteen fifteen sixteen seventeen eighteen nineteen "
        "twenty".split()
    )
}
NUMBER_WORD = re.compile(rf"\b(?:{'|'.join(NUMBER_WORDS)})\b", re.IGNORECASE)


def read_lookalikes(text):
    """`text` with the letters that surely stand for Greek ones replaced."""
    for pattern, replacement in SURE_LOOKALIKES:
        text = pattern.sub(replacement, text)
    return text


def other_readings(text):
    """
    Other ways to read a query that named nothing, most literal first:
    likely Greek letters, everyday words and numbers written as words, then
    abbreviations spelled out.
    """
    reading = text
    for pattern in LIKELY_LOOKALIKES:
        reading = pattern.sub(
            lambda match: "-" + LETTER_FOR[match.group(1).lower()], reading
        )
    for pattern, replacement in SYNONYMS:
        reading = pattern.sub(replacement, reading)
    reading = NUMBER_WORD.sub(
        lambda match: NUMBER_WORDS[match.group().lower()], reading
    )
    spelled_out = reading
    for pattern, replacement in ABBREVIATIONS:
        spelled_out = pattern.sub(replacement, spelled_out)
    readings = [reading, spelled_out]
    return [r for r in dict.fromkeys(readings) if compact(r) != compact(text)]


@dataclass
class Answer:
    """
    What a query found: hits, best first, and how the query was read when
    not as typed (`searched_for`, with the typed words left out in
    `ignored_words`).
    """

    hits: list
    searched_for: str = ""
    ignored_words: tuple = ()


# A dose ("50mg", "40 mg", "0.5 mL", "100 units", "1%", "25 mg/ml") names no
# term: it is left out like any extra word, whereas the number of a name
# never is.
DOSE_UNIT = r"(?:mg|mcg|µg|μg|ug|g|ml|units?|iu|%)(?:/(?:ml|kg|l|dose|day|week))?"
DOSE = re.compile(rf"\d+(?:[.,]\d+)?\s*{DOSE_UNIT}", re.IGNORECASE)
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def is_dose(unit):
    """Whether a unit of a query is a dose: "50mg", "40 mg"."""
    return DOSE.fullmatch(unit) is not None


def query_units(text):
    """
    The typed words of a query, each number kept with the word before it
    ("il 6" is one unit), as are single letters ("hepatitis b"); but a
    number followed by a unit of measure is a dose, a unit of its own
    ("humira", "40 mg").
    """
    words = []
    for word in text.split():
        if words and NUMBER.fullmatch(words[-1]) and is_dose(f"{words[-1]}{word}"):
            words[-1] = f"{words[-1]} {word}"
        else:
            words.append(word)
    units = []
    for word in words:
        squeezed = compact(word)
        if (
            units
            and not is_dose(word)
            and not is_dose(units[-1])
            and (squeezed.isdigit() or len(squeezed) <= 1)
        ):
            units[-1] = f"{units[-1]} {word}"
        else:
            units.append(word)
    return units


def best_run_of_words(text, limit, popularity, is_leading=False):
    """
    The Answer for the run of a query's words that best names a term, or
    None: the best tier first, then the longest run, then the leftmost
    ("enbrel vs humira" is Enbrel, not a typo of "enbrel vs"). Filler words
    neither start nor end a run, a run of two letters must be a name or
    alias exactly ("ra treatment"), and a word with a number is never left
    out: "IL-34 levels" does not fall back to "levels", though a dose is
    ("enbrel 50mg pen" is Enbrel). With `is_leading`, only runs that start
    the query are tried.
    """
    units = query_units(text)[:MAX_RELAXED_WORDS]
    best, best_key = None, None
    for size in range(len(units) - 1, 0, -1):
        for start in range(1 if is_leading else len(units) - size + 1):
            run = units[start : start + size]
            left_out = units[:start] + units[start + size :]
            words = spelling(" ".join(run)).split()
            if not words or {words[0], words[-1]} & FILLER_WORDS:
                continue
            if is_dose(run[0]) or is_dose(run[-1]):
                continue
            if any(numbers_in(unit) and not is_dose(unit) for unit in left_out):
                continue
            searched = " ".join(run)
            length = len(compact(searched))
            if length < 2:
                continue
            hits = [
                hit
                for hit in find_hits(searched, limit, popularity)
                if hit.is_by_name and (length >= 3 or hit.tier == Tier.EXACT)
            ]
            if not hits:
                continue
            key = (hits[0].tier, -size, start)
            if best_key is None or key < best_key:
                best, best_key = Answer(hits, searched, tuple(left_out)), key
        if best_key is not None and best_key[0] == Tier.EXACT:
            # No shorter run can name a term better.
            break
    return best


def find_answer(text, limit=RESULT_LIMIT, popularity=None):
    """
    The Answer to what a reader typed.

    The query as typed (with sure Greek lookalikes read) comes first. When
    no name or alias matches it, other readings are tried ("TNF-a",
    "il-6 blocker", "IL-33" as "interleukin 33"); then its definition
    matches, if any, unless its first words name a term exactly; then the
    run of its words that best names a term.
    """
    typed = " ".join((text or "").split())
    searched = read_lookalikes(typed)
    shown_as = searched if compact(searched) != compact(typed) else ""
    hits = find_hits(searched, limit, popularity)
    if any(hit.is_by_name for hit in hits):
        return Answer(hits, shown_as)
    for reading in other_readings(searched):
        reading_hits = find_hits(reading, limit, popularity)
        if any(hit.is_by_name for hit in reading_hits):
            return Answer(reading_hits, reading)
    if hits:
        # "humira inj" names Humira before "inj" is typed out: a name that
        # the first words spell exactly beats words found in definitions,
        # and the results page for "humira injection" shows the same.
        named = best_run_of_words(searched, limit, popularity, is_leading=True)
        if named and named.hits[0].tier == Tier.EXACT:
            return named
        return Answer(hits, shown_as)
    return best_run_of_words(searched, limit, popularity) or Answer([], shown_as)


def closest_names(text, limit=3):
    """
    Names or aliases nearest to a query that found nothing, for "Did you
    mean": the trigram candidates ranked by edit distance, with no cut-off
    but a sanity limit of half the query's length, leaving out names without
    a number when the query has one.
    """
    query = compact(text)
    if len(query) < 3:
        return []
    with connection.cursor() as cursor:
        candidates = get_index().typo_candidates(
            cursor, query, length_slack=max(2, len(query) // 2)
        )
    # A query with a number means a numbered name: "anti-IL-6" is never
    # offered "anti-TNF".
    ranked = sorted(
        (OSA.distance(query, entry_compact), term_id, entry_text)
        for term_id, entry_text, _, entry_compact in candidates
        if numbers_in(entry_compact) or not numbers_in(query)
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
