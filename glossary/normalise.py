"""
The one normalisation that glossary linking and search share: which
spellings a reader takes for the same name.

Search compares texts in a normalised form (`compact`, `normalise_words`):
lower case, accents dropped, Greek letters spelled out, apostrophes dropped,
hyphens, spaces and punctuation ignored, and each word reduced to its stem
("cytokines" and "cytokine" are both "cytokin").

Linking finds names inside running text, so it cannot rewrite the text; it
looks for every way of writing a name instead (`written_forms` and
`plural_forms`), each of which has the same normalised form as the name.
Linking is stricter than search in two ways, because a wrong link misleads
and a missed one does not: a plural name is not linked in the singular
("Biologics" must not link "biologic activity"), and a short abbreviation
typed in capitals matches only in capitals (`is_case_sensitive`: "AS" is not
"as").

This module imports no models.
"""

import itertools
import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

GREEK_NAMES = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon",
    "ζ": "zeta", "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa",
    "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "ο": "omicron", "π": "pi",
    "ρ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon",
    "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}  # fmt: skip
GREEK_LETTERS = {name: letter for letter, name in GREEK_NAMES.items() if letter != "ς"}

# Characters typed for an apostrophe, a hyphen and a space. In linking each
# is replaced by one character, so offsets in folded text stay offsets in
# the original; in search apostrophes vanish ("Crohn’s" is "crohns") and the
# others separate words.
APOSTROPHES = "'\u2019\u02bc\u2018\u2032\u00b4`"
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
SPACES = " \t\r\n\f\v\u00a0\u2009\u202f"

# A name or alias this short, typed in capitals or with a capital inside
# (AS, ALL, IL-6, mAb, PsA), is an abbreviation: as a word in lower case it
# is something else ("as", "all"), so it matches only as typed.
ABBREVIATION_MAX_LENGTH = 5

# A word shorter than this is never made plural or singular: "as" is not
# the plural of "a", and "ILs" is not the same as "IL".
MIN_PLURAL_STEM = 4

COMMON_WORDS_FILE = Path(__file__).with_name("common_english_words.txt")


# Search forms ---------------------------------------------------------------


@lru_cache(maxsize=4096)
def normalise_char(char):
    """
    The letters and digits one character stands for, lower case: a space
    for punctuation, nothing for an apostrophe.
    """
    if char in APOSTROPHES:
        return ""
    lowered = char.casefold()
    if lowered in GREEK_NAMES:
        return " " + GREEK_NAMES[lowered] + " "
    decomposed = unicodedata.normalize("NFKD", lowered)
    kept = "".join(
        c for c in decomposed if c.isalnum() and not unicodedata.combining(c)
    )
    return kept if kept else " "


@lru_cache(maxsize=65536)
def word_stem(word):
    """
    The form a lower-case word is compared in: its singular, without a final
    "e", so that "cytokine", "cytokines", "virus", "viruses", "headache" and
    "headaches" meet ("cytokin", "virus", "headach"). Short words, words with
    digits and words ending in -ss, -us or -is are kept as they are.
    """
    if len(word) < MIN_PLURAL_STEM or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > MIN_PLURAL_STEM:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("e") and len(word) > MIN_PLURAL_STEM - 1:
        word = word[:-1]
    return word


def normalise_words(text):
    """Words of `text` in search form: ["tnf", "alpha"] for "TNF-α"."""
    spelled = "".join(normalise_char(char) for char in text or "")
    return [word_stem(word) for word in spelled.split()]


def compact(text):
    """`text` in search form without spaces: "il1" for "IL-1", "il 1", "IL1"."""
    return "".join(normalise_words(text))


# The A–Z index ----------------------------------------------------------------

# The heading of names that start with a digit or have no letter; it comes
# after Z.
OTHER_INDEX_LETTER = "#"
INDEX_LETTERS = [*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", OTHER_INDEX_LETTER]
# The longest sort key stored; names alike this far are ordered by name.
INDEX_KEY_LENGTH = 200


def index_key(name):
    """
    The name as search reads it, letters and digits only, lower case: the
    order of the A–Z index ("alphainterferon" for "α-interferon", "elan"
    for "“Élan”").
    """
    key = "".join("".join(normalise_char(char).split()) for char in name or "")
    return key[:INDEX_KEY_LENGTH]


def index_letter(name):
    """
    The A–Z heading a name is filed under: the first letter of its
    `index_key`, so leading quotes and signs are skipped, accents dropped
    ("Élan" under E) and a Greek letter read as its name ("α-interferon"
    under A); OTHER_INDEX_LETTER for a name that starts with a digit or has
    no letter.
    """
    first = index_key(name)[:1]
    return first.upper() if "a" <= first <= "z" else OTHER_INDEX_LETTER


# Written forms, for linking ---------------------------------------------------

_SPELLING_MAP = str.maketrans(
    {
        **dict.fromkeys(APOSTROPHES, "'"),
        **dict.fromkeys(DASHES, "-"),
        **dict.fromkeys(SPACES, " "),
    }
)


def unify_spelling(text):
    """`text` with one apostrophe, one hyphen and one space; case kept."""
    return " ".join(text.translate(_SPELLING_MAP).split())


def is_case_sensitive(text):
    """
    Whether a name or alias is an abbreviation that matches only as typed:
    at most five characters, with a letter, and typed in capitals or with a
    capital after its first character (AS, ALL, IL-6, TNF, mAb, PsA).
    """
    text = text.strip()
    if len(text) > ABBREVIATION_MAX_LENGTH or text == text.lower():
        return False
    return text == text.upper() or any(char.isupper() for char in text[1:])


def plural_forms(word):
    """
    The plurals of a lower-case word that compare equal to it in search:
    "cytokines", "antibodies", "viruses"; none for short words, words that
    are not all letters, or words that already end like a plural.
    """
    if len(word) < MIN_PLURAL_STEM or not word.isalpha():
        return ()
    if word.endswith(("ss", "us", "x", "z", "ch", "sh")):
        plural = word + "es"
    elif word.endswith("y") and word[-2] not in "aeiou":
        plural = word[:-1] + "ies"
    else:
        plural = word + "s"
    # "kaposi" and "haiku" would give "kaposis" and "haikus", which search
    # keeps whole (as it keeps "psoriasis" and "virus"); accents are dropped
    # before stems are taken, so "ù" counts as "u".
    return (plural,) if compact(plural) == compact(word) else ()


def _char_class(char):
    if char.isdigit():
        return "digit"
    if char.lower() in GREEK_NAMES:
        return "greek"
    if char.isalpha() or char == "'":
        return "letter"
    if char in " -":
        return "separator"
    return "other"


def _parts(text):
    """
    `text` cut into runs of letters, digits, single Greek letters and other
    single characters, each with the separator (" ", "-" or "") before it.
    """
    parts, separator, run, run_class = [], "", "", None
    for char in text:
        kind = _char_class(char)
        if kind == "separator":
            if run:
                parts.append((separator, run, run_class))
                run, run_class, separator = "", None, ""
            separator = "-" if "-" in separator + char else " "
            continue
        if run and (kind != run_class or kind in ("greek", "other")):
            parts.append((separator, run, run_class))
            run, separator = "", ""
        run += char
        run_class = kind
    if run:
        parts.append((separator, run, run_class))
    return parts


# Beyond this many written forms of one name, only the uniform ones (every
# gap a space, every gap a hyphen, every Greek letter spelled) are kept.
MAX_WRITTEN_FORMS = 32


@lru_cache(maxsize=65536)
def written_forms(text):
    """
    The ways of writing a name or alias that search takes as the same, case
    kept, the name as typed first: a space, a hyphen or (next to a digit, a
    Greek letter or a part of three letters or fewer) nothing between its
    parts ("IL-6", "IL 6", "IL6"); a Greek letter or its name ("TNF-α",
    "TNF-alpha"); with or without apostrophe ("Crohn's", "Crohns").
    """
    typed = unify_spelling(text)
    if typed.isalpha() and not any(char.lower() in GREEK_NAMES for char in typed):
        return (typed,)  # one plain word, as most names are
    parts = _parts(typed)
    choices = []
    for index, (separator, run, kind) in enumerate(parts):
        if index == 0:
            gaps = [""]
        elif kind == "other" or parts[index - 1][2] == "other":
            gaps = [separator]
        else:
            before = parts[index - 1]
            joinable = (
                separator == ""
                or "digit" in (kind, before[2])
                or "greek" in (kind, before[2])
                or min(len(run), len(before[1])) <= 3
            )
            gaps = [separator] + [
                gap for gap in (" ", "-", "") if gap != separator and (gap or joinable)
            ]
        spellings = [run]
        if kind == "greek":
            spellings.append(GREEK_NAMES[run.lower()])
        elif run.lower() in GREEK_LETTERS:
            spellings.append(GREEK_LETTERS[run.lower()])
        choices.append((gaps, spellings))
    count = 1
    for gaps, spellings in choices:
        count *= len(gaps) * len(spellings)
    if count <= MAX_WRITTEN_FORMS:
        combinations = itertools.product(
            *(itertools.product(gaps, spellings) for gaps, spellings in choices)
        )
    else:
        combinations = [
            [
                (gap if gap in gaps else gaps[0], spellings[spelled])
                for gaps, spellings in choices
            ]
            for gap in (None, " ", "-")
            for spelled in (0, -1)
        ]
    # Moving a gap can move a word boundary that search sees, and with it a
    # stem ("αS" is the words "alpha s", "alphaS" the word "alphas", whose
    # stem is "alpha"): a form is kept only if search takes it as the name.
    searched = compact(typed)
    forms = {typed: None}
    for combination in combinations:
        form = "".join(gap + spelled for gap, spelled in combination)
        if form not in forms and compact(form) == searched:
            forms[form] = None
    if "'" in typed:
        for form in list(forms):
            forms.setdefault(form.replace("'", ""))
    return tuple(forms)


_LAST_WORD = re.compile(r"(?<![\w'])[^\W\d_]+$")


@lru_cache(maxsize=131072)
def with_plural(form):
    """
    `form` in lower case with its last word made plural ("tnf blockers"),
    or None when that word has no plural form of its own.
    """
    last = _LAST_WORD.search(form) if form[-1:].isalpha() else None
    if last is None:
        return None
    word = last.group().lower()
    if any(char in GREEK_NAMES for char in word):
        return None
    plurals = plural_forms(word)
    return form[: last.start()].lower() + plurals[0] if plurals else None


# Common words -----------------------------------------------------------------


@cache
def common_words():
    """The everyday English words no alias may be in lower case, as stems."""
    lines = COMMON_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    words = {
        word for line in lines if not line.startswith("#") for word in line.split()
    }
    return frozenset(word_stem(word.lower()) for word in words)


def is_common_word(text):
    """Whether `text` is an everyday English word, or the plural of one."""
    return word_stem(" ".join(text.lower().split())) in common_words()
