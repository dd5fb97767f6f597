"""
Cross-links inside Markdown bodies: glossary auto-links, explicit
`[[Name]]` / `[[Name|shown text]]` links and `[@key]` citations.

Term names and aliases are matched with an Aho–Corasick automaton
(pyahocorasick), so the cost of linking grows with the length of the text,
not with the size of the glossary. The automaton is built once per glossary
change and reused for every body rendered after that.
"""

import html
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import ahocorasick

from glossary.citing import CITATION_RUN, CitationRenderer
from glossary.figures import Figures
from glossary.markers import marked
from glossary.normalise import (
    APOSTROPHES,
    DASHES,
    SPACES,
    is_case_sensitive,
    unify_spelling,
    with_plural,
    written_forms,
)

# The standard library's escape is several times faster than Django's for
# the thousands of short strings one long body produces.
escape = html.escape

# Keys this short are looked up per whole word instead of in the automaton:
# inside a long text they occur within ordinary words thousands of times
# ("ra" in "rare"), and each such hit would be rejected one by one.
SHORT_KEY_LENGTH = 3
SHORT_WORD = re.compile(rf"\b\w{{1,{SHORT_KEY_LENGTH}}}\b")

# Dashes editors and word processors type for a hyphen, apostrophes, and
# whitespace that may sit between the words of a term (a line break in the
# source, say). Each is mapped one character to one, so offsets in the
# normalised text are offsets in the original.
_FOLD_MAP = {
    **{dash: "-" for dash in DASHES if dash != "-"},
    **{mark: "'" for mark in APOSTROPHES if mark != "'"},
    **{space: " " for space in SPACES if space != " "},
}
# A regular expression finds the rare characters to fold in C; translate()
# with a mapping table walks every character in Python-level lookups.
_FOLD_CHARS = re.compile("[" + "".join(_FOLD_MAP) + "]")

WIKI_OR_CITATION = re.compile(
    rf"\[\[(?P<wiki>[^\[\]\n]+?)\]\]|(?P<cite>{CITATION_RUN.pattern})"
)


def fold(text):
    """
    Lower-case `text` and unify dashes, apostrophes and spaces, keeping its
    length.

    `str.lower()` can lengthen a few characters (İ becomes two); in that rare
    case each character is lowered on its own and kept if it would grow.
    """
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    return fold_marks(lowered)


def fold_marks(text):
    """`text` with dashes, apostrophes and spaces unified, case and length kept."""
    text = text.replace("\n", " ")
    if _FOLD_CHARS.search(text):
        text = _FOLD_CHARS.sub(lambda match: _FOLD_MAP[match.group()], text)
    return text


@lru_cache(maxsize=1024)
def whole_words_pattern(words):
    """A regular expression matching any of `words` as a whole word."""
    alternatives = "|".join(
        re.escape(word) for word in sorted(words, key=len, reverse=True)
    )
    return re.compile(rf"\b(?:{alternatives})\b")


def lookup_key(text):
    """The form a name, alias or `[[Name]]` is compared in."""
    return " ".join(fold(text).split())


WIKI_LINK = re.compile(r"\[\[(?P<name>[^\[\]\n|]+?)\s*(?:\|[^\[\]\n]*)?\]\]")


def explicit_link_keys(source):
    """The lookup key of each name a `[[Name]]` or `[[Name|text]]` names."""
    return {lookup_key(match.group("name")) for match in WIKI_LINK.finditer(source)}


@dataclass(frozen=True)
class TermInfo:
    """What a link to a term shows; `url` is the term page's address."""

    id: int
    name: str
    slug: str
    definition: str
    url: str

    @cached_property
    def escaped_url(self):
        return escape(self.url)

    @cached_property
    def preview_html(self):
        """The preview's content, escaped once per matcher, not per link."""
        return f"<strong>{escape(self.name)}</strong>: {escape(self.definition)}"


def _key_of(form):
    # Written forms have one kind of space, dash and apostrophe already;
    # only a letter that lengthens when lowered needs fold().
    key = form.lower()
    return key if len(key) == len(form) else lookup_key(form)


@lru_cache(maxsize=65536)
def phrase_keys(text):
    """
    How the matcher stores one name or alias, worked out once per text so
    that rebuilding after one term changes reuses the rest:

    - whether it matches only as typed (a short abbreviation in capitals);
    - its written forms, as typed first, each with its folded key;
    - (key, ending) for each plural that adds an ending to a form's key,
      found by `Matcher.find` after the singular, which keeps the
      automaton small;
    - (form, key) for each plural that changes the word ("antibodies"),
      which needs a key of its own.
    """
    case_sensitive = is_case_sensitive(text)
    forms = tuple((form, _key_of(form)) for form in written_forms(text))
    endings, plurals = [], []
    if not case_sensitive:
        for form, key in forms:
            plural = with_plural(form)
            if plural is None:
                continue
            if plural.startswith(key):
                endings.append((key, plural[len(key) :]))
            else:
                plurals.append((plural, _key_of(plural)))
    return case_sensitive, forms, tuple(endings), tuple(plurals)


class Matcher:
    """
    Finds term names and aliases in text: whole words, leftmost and then
    longest match first, never overlapping.

    Each name and alias is matched in every written form that search takes
    as the same (glossary/normalise.py): hyphen, space or nothing between its
    parts, Greek letters or their names, any apostrophe, and the plural of
    its last word. Case is ignored, except for short abbreviations typed in
    capitals (AS, ALL, IL-6), which match only as typed and never in the
    plural ("ILs" is not "IL").
    """

    def __init__(self, terms, phrases):
        """
        `terms` is an iterable of TermInfo; `phrases` of (text, term_id)
        pairs, names first. When two terms share a phrase, the first wins;
        a name or alias as typed wins over another term's spelling variant,
        and that over a plural.
        """
        self.terms = {term.id: term for term in terms}
        keyed = [
            (phrase_keys(text), term_id)
            for text, term_id in phrases
            if term_id in self.terms and text and text.strip()
        ]
        # Per folded key: the term matched in any case, {form as typed:
        # term} for abbreviations, and the ending that makes the key plural.
        # Plain dicts filled with setdefault (first wins): building runs on
        # every glossary change, over tens of thousands of keys.
        any_case, exact, plural_endings = {}, {}, {}
        for (case_sensitive, forms, _, _), term_id in keyed:
            form, key = forms[0]
            if case_sensitive:
                exact.setdefault(key, {}).setdefault(form, term_id)
            else:
                any_case.setdefault(key, term_id)
        for (case_sensitive, forms, _, _), term_id in keyed:
            if len(forms) == 1:
                continue
            if case_sensitive:
                for form, key in forms[1:]:
                    exact.setdefault(key, {}).setdefault(form, term_id)
            else:
                for _, key in forms[1:]:
                    any_case.setdefault(key, term_id)
        for (_, _, endings, plurals), term_id in keyed:
            for key, ending in endings:
                if any_case.get(key) == term_id:
                    plural_endings[key] = ending
            for _, key in plurals:
                any_case.setdefault(key, term_id)

        self.automaton = ahocorasick.Automaton()
        self.short_keys = {}
        for key in any_case.keys() | exact.keys():
            term_id, exact_forms = any_case.get(key), exact.get(key)
            if len(key) <= SHORT_KEY_LENGTH and SHORT_WORD.fullmatch(key):
                self.short_keys[key] = (term_id, exact_forms)
            else:
                self.automaton.add_word(
                    key,
                    (len(key), term_id, exact_forms, plural_endings.get(key)),
                )
        if len(self.automaton):
            self.automaton.make_automaton()

    def _entry(self, key):
        if key in self.short_keys:
            return self.short_keys[key]
        found = self.automaton.get(key, None)
        return found[1:3] if found else None

    def _singular_entry(self, key):
        """The entry whose plural, made by adding an ending, is `key`."""
        for ending in ("s", "es"):
            found = self.automaton.get(key[: -len(ending)], None)
            if found and found[3] == ending:
                return found[1], None
        return None

    def resolve(self, name):
        """
        The term called `name` (a name or alias), or None. An abbreviation
        is found in any case here: an explicit link says which term it means.
        """
        key = lookup_key(name)
        entry = self._entry(key) or self._singular_entry(key)
        if entry is None:
            return None
        term_id, exact = entry
        if exact:
            term_id = exact.get(unify_spelling(name), term_id)
            if term_id is None:
                term_id = next(iter(exact.values()))
        return self.terms[term_id]

    def find(self, text):
        """Return (start, end, TermInfo) for each whole-word match in `text`."""
        if not text or not (self.short_keys or len(self.automaton)):
            return []
        folded = fold(text)
        last = len(folded) - 1
        candidates = []
        if self.short_keys:
            # Most short words are "the", "of", "and": find which glossary
            # keys occur at all (a C-level scan), then locate only those.
            present = self.short_keys.keys() & set(SHORT_WORD.findall(folded))
            if present:
                pattern = whole_words_pattern(frozenset(present))
                for word in pattern.finditer(folded):
                    start, end = word.span()
                    term_id, exact = self.short_keys[word.group()]
                    if exact:
                        term_id = exact.get(fold_marks(text[start:end]), term_id)
                    if term_id is not None:
                        candidates.append((start, start - end, 0, term_id))
        iterate = self.automaton.iter(folded) if len(self.automaton) else ()
        for end, (length, term_id, exact, plural_ending) in iterate:
            start = end - length + 1
            if start > 0 and folded[start].isalnum() and folded[start - 1].isalnum():
                continue
            if end < last and folded[end].isalnum() and folded[end + 1].isalnum():
                # Inside a longer word: a match only if that word is the
                # plural ("cytokines"), which gives way to any other key.
                if plural_ending is None or not folded.startswith(
                    plural_ending, end + 1
                ):
                    continue
                end += len(plural_ending)
                if end < last and folded[end + 1].isalnum():
                    continue
                candidates.append((start, start - end - 1, 1, term_id))
                continue
            if exact:
                term_id = exact.get(fold_marks(text[start : end + 1]), term_id)
                if term_id is None:
                    continue
            candidates.append((start, -length, 0, term_id))
        candidates.sort()
        matches, covered_until = [], 0
        for start, negative_length, _, term_id in candidates:
            if start >= covered_until:
                end = start - negative_length
                matches.append((start, end, self.terms[term_id]))
                covered_until = end
        return matches


@dataclass
class LinkReport:
    """
    What rendering a body found, for storage next to its HTML: the terms
    linked, the cited references' keys (one per use), the names of
    unresolved [[links]], and unknown keys as typed or, for a citation that
    cannot be read, its text as typed, brackets included; the slugs of the
    images shown, and [kind, text] for each image not shown: ["missing",
    slug] or ["external", its address as typed].
    """

    linked_term_ids: list = field(default_factory=list)
    citations: list = field(default_factory=list)
    unresolved_links: list = field(default_factory=list)
    unknown_citations: list = field(default_factory=list)
    embedded_images: list = field(default_factory=list)
    image_problems: list = field(default_factory=list)


# Links are built from escaped glossary data and put in place after the
# body's HTML has been sanitised, so the sanitiser reads the short body and
# not thousands of previews. In the body they stand as private-use
# characters, which are removed from editors' text first.
FRAGMENT_START, FRAGMENT_END = "\ue000", "\ue001"
FRAGMENT = re.compile(f"{FRAGMENT_START}(\\d+){FRAGMENT_END}")


def strip_fragment_marks(source):
    """`source` without the characters that mark link placeholders."""
    if FRAGMENT_START in source or FRAGMENT_END in source:
        source = source.replace(FRAGMENT_START, "").replace(FRAGMENT_END, "")
    return source


class BodyLinker:
    """
    Rewrites the text of one body's inline tokens into linked HTML.

    One instance serves one body: it remembers which terms are already
    linked (only a first mention is linked), the citation numbers given so
    far (numbers follow first use) and what could not be resolved, which
    is marked for staff only (glossary/markers.py).
    """

    def __init__(self, matcher, known_reference_keys=(), self_term_id=None, images=()):
        self.matcher = matcher
        self.self_term_id = self_term_id
        self.report = LinkReport()
        self.linked = set()
        self.citations = CitationRenderer(known_reference_keys, self.report)
        self.figures = Figures(images, self.report)
        self.preview_count = 0
        self.fragments = []

    def fragment(self, html):
        """A placeholder for trusted link HTML, filled in by `fill()`."""
        self.fragments.append(html)
        return f"{FRAGMENT_START}{len(self.fragments) - 1}{FRAGMENT_END}"

    def fill(self, html):
        """Put the link HTML in place of the placeholders in `html`."""
        if not self.fragments:
            return html
        return FRAGMENT.sub(lambda match: self.fragments[int(match.group(1))], html)

    # Each method below returns HTML for part of a text run.

    def link_text(self, text, auto_link=True):
        if not auto_link:
            return escape(text)
        html, position = [], 0
        for start, end, term in self.matcher.find(text):
            if term.id in self.linked or term.id == self.self_term_id:
                continue
            html.append(escape(text[position:start]))
            html.append(self.term_link(term, text[start:end]))
            position = end
        html.append(escape(text[position:]))
        return "".join(html)

    def term_link(self, term, shown):
        self.linked.add(term.id)
        self.report.linked_term_ids.append(term.id)
        self.preview_count += 1
        preview_id = f"term-preview-{self.preview_count}"
        return self.fragment(
            f'<span class="term"><a class="term-link" href="{term.escaped_url}" '
            f'aria-describedby="{preview_id}" rel="noopener noreferrer">'
            f"{escape(shown)}</a>"
            f'<span class="term-preview" role="tooltip" id="{preview_id}">'
            f"{term.preview_html}</span></span>"
        )

    def wiki_link(self, inner, in_link):
        name, _, shown = inner.partition("|")
        name, shown = name.strip(), (shown.strip() or name.strip())
        term = self.matcher.resolve(name)
        if term is None:
            self.report.unresolved_links.append(name)
            return self.fragment(
                marked(
                    escape(shown),
                    "unresolved-link",
                    f"No glossary entry called {escape(name)}",
                )
            )
        if in_link or term.id == self.self_term_id:
            return escape(shown)
        if term.id not in self.linked:
            return self.term_link(term, shown)
        return self.fragment(
            f'<a class="term-link" href="{term.escaped_url}" '
            f'rel="noopener noreferrer">{escape(shown)}</a>'
        )

    def citation(self, run, in_link):
        if in_link:
            return self.fragment(self.citations.render_in_link(run))
        return self.fragment(self.citations.render(run))

    def image(self, src, alt, standalone=False):
        """
        HTML for a Markdown image (glossary/figures.py), and whether it is
        a figure, which stands in place of its paragraph.
        """
        html, is_figure = self.figures.image(src, alt, standalone)
        return self.fragment(html), is_figure

    def raw_html(self, html):
        """HTML typed by an editor, with no <img> left in it."""
        return self.figures.raw_html(html)

    def rewrite(self, text, *, in_heading=False, in_link=False):
        """HTML for a run of plain text from the body."""
        html, position = [], 0
        auto_link = not (in_heading or in_link)
        for match in WIKI_OR_CITATION.finditer(text):
            html.append(self.link_text(text[position : match.start()], auto_link))
            if match.group("wiki") is not None:
                html.append(self.wiki_link(match.group("wiki"), in_link))
            else:
                html.append(self.citation(match.group("cite"), in_link))
            position = match.end()
        html.append(self.link_text(text[position:], auto_link))
        return "".join(html)
