"""
Cross-links inside Markdown bodies: glossary auto-links, explicit
`[[Name]]` / `[[Name|shown text]]` links and `[@key]` citations.

Term names and aliases are matched with an Aho–Corasick automaton
(pyahocorasick), so the cost of linking grows with the length of the text,
not with the size of the glossary. The automaton is built once per glossary
change and reused for every body rendered after that.
"""

import re
from dataclasses import dataclass, field

import ahocorasick
from django.utils.html import escape

# Dashes editors and word processors type for a hyphen, and whitespace that
# may sit between the words of a term (a line break in the source, say).
# Both are mapped one character to one, so offsets in the normalised text are
# offsets in the original.
_FOLD_TABLE = str.maketrans(
    {
        **{dash: "-" for dash in "\u2010\u2011\u2012\u2013\u2014\u2212"},
        **{space: " " for space in "\t\n\r\f\v\u00a0\u2009\u202f"},
    }
)

WIKI_OR_CITATION = re.compile(
    r"\[\[(?P<wiki>[^\[\]\n]+?)\]\]"
    r"|\[(?P<cite>@[\w.:\-]+(?:\s*;\s*@[\w.:\-]+)*)\]"
)
CITATION_KEYS = re.compile(r"@([\w.:\-]+)")
CITATION_BLOCK = re.compile(r"\[(@[\w.:\-]+(?:\s*;\s*@[\w.:\-]+)*)\]")


def fold(text):
    """
    Lower-case `text` and unify dashes and spaces, keeping its length.

    `str.lower()` can lengthen a few characters (İ becomes two); in that rare
    case each character is lowered on its own and kept if it would grow.
    """
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    return lowered.translate(_FOLD_TABLE)


def lookup_key(text):
    """The form a name, alias or `[[Name]]` is compared in."""
    return " ".join(fold(text).split())


def cited_keys_in(source):
    """Every reference key cited in a Markdown source, in order, with repeats."""
    keys = []
    for block in CITATION_BLOCK.finditer(source or ""):
        keys.extend(CITATION_KEYS.findall(block.group(1)))
    return keys


@dataclass(frozen=True)
class TermInfo:
    id: int
    name: str
    slug: str
    definition: str

    @property
    def url(self):
        # Built by hand, not with reverse(): rendering a long body can link
        # thousands of terms and the pattern is fixed by glossary/urls.py.
        return f"/glossary/{self.slug}/"


class Matcher:
    """
    Finds term names and aliases in text: case-insensitive, whole words,
    leftmost and then longest match first, never overlapping.
    """

    def __init__(self, terms, phrases):
        """
        `terms` is an iterable of TermInfo; `phrases` of (text, term_id)
        pairs, names first. When two terms share a phrase, the first wins.
        """
        self.terms = {term.id: term for term in terms}
        self.automaton = ahocorasick.Automaton()
        for text, term_id in phrases:
            key = lookup_key(text)
            if key and term_id in self.terms and key not in self.automaton:
                self.automaton.add_word(key, (term_id, len(key)))
        if len(self.automaton):
            self.automaton.make_automaton()

    def resolve(self, name):
        """The term called `name` (a name or alias), or None."""
        found = (
            self.automaton.get(lookup_key(name), None) if len(self.automaton) else None
        )
        return self.terms[found[0]] if found else None

    def find(self, text):
        """Return (start, end, TermInfo) for each whole-word match in `text`."""
        if not len(self.automaton) or not text:
            return []
        folded = fold(text)
        last = len(folded) - 1
        candidates = []
        for end, (term_id, length) in self.automaton.iter(folded):
            start = end - length + 1
            if start > 0 and folded[start].isalnum() and folded[start - 1].isalnum():
                continue
            if end < last and folded[end].isalnum() and folded[end + 1].isalnum():
                continue
            candidates.append((start, -length, term_id))
        candidates.sort()
        matches, covered_until = [], 0
        for start, negative_length, term_id in candidates:
            if start >= covered_until:
                end = start - negative_length
                matches.append((start, end, self.terms[term_id]))
                covered_until = end
        return matches


@dataclass
class LinkReport:
    """What rendering a body found, for storage next to its HTML."""

    linked_term_ids: list = field(default_factory=list)
    citations: list = field(default_factory=list)
    unresolved_links: list = field(default_factory=list)
    unknown_citations: list = field(default_factory=list)


class BodyLinker:
    """
    Rewrites the text of one body's inline tokens into linked HTML.

    One instance serves one body: it remembers which terms are already
    linked (only a first mention is linked), the citation numbers given so
    far (numbers follow first use) and what could not be resolved.
    """

    def __init__(self, matcher, known_reference_keys=(), self_term_id=None):
        self.matcher = matcher
        self.known_keys = set(known_reference_keys)
        self.self_term_id = self_term_id
        self.report = LinkReport()
        self.linked = set()
        self.citation_numbers = {}
        self.citation_uses = {}
        self.preview_count = 0

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
        return (
            f'<span class="term"><a class="term-link" href="{escape(term.url)}" '
            f'aria-describedby="{preview_id}">{escape(shown)}</a>'
            f'<span class="term-preview" role="tooltip" id="{preview_id}">'
            f"<strong>{escape(term.name)}</strong>: {escape(term.definition)}"
            "</span></span>"
        )

    def wiki_link(self, inner, in_link):
        name, _, shown = inner.partition("|")
        name, shown = name.strip(), (shown.strip() or name.strip())
        term = self.matcher.resolve(name)
        if term is None:
            self.report.unresolved_links.append(name)
            return (
                '<span class="unresolved-link" title="No glossary entry called '
                f'{escape(name)}">{escape(shown)}</span>'
            )
        if in_link or term.id == self.self_term_id:
            return escape(shown)
        if term.id not in self.linked:
            return self.term_link(term, shown)
        return f'<a class="term-link" href="{escape(term.url)}">{escape(shown)}</a>'

    def citation(self, inner):
        parts = []
        for key in CITATION_KEYS.findall(inner):
            if key not in self.known_keys:
                self.report.unknown_citations.append(key)
                parts.append(
                    f'<span class="citation-missing" title="Unknown reference key">'
                    f"@{escape(key)}?</span>"
                )
                continue
            number = self.citation_numbers.setdefault(
                key, len(self.citation_numbers) + 1
            )
            use = self.citation_uses[key] = self.citation_uses.get(key, 0) + 1
            self.report.citations.append(key)
            parts.append(
                f'<a href="#ref-{escape(key)}" id="cite-{escape(key)}-{use}" '
                f'aria-label="Reference {number}">{number}</a>'
            )
        return f'<sup class="citation">{",".join(parts)}</sup>'

    def rewrite(self, text, *, in_heading=False, in_link=False):
        """HTML for a run of plain text from the body."""
        html, position = [], 0
        auto_link = not (in_heading or in_link)
        for match in WIKI_OR_CITATION.finditer(text):
            html.append(self.link_text(text[position : match.start()], auto_link))
            if match.group("wiki") is not None:
                html.append(self.wiki_link(match.group("wiki"), in_link))
            elif in_link:
                html.append(escape(match.group(0)))
            else:
                html.append(self.citation(match.group("cite")))
            position = match.end()
        html.append(self.link_text(text[position:], auto_link))
        return "".join(html)


_cached_matcher = None  # (glossary version, Matcher)


def get_matcher():
    """
    The matcher for the current glossary, rebuilt only when it changed.

    The glossary's version is read from the database (one small query), so
    each server process notices a change made by any other.
    """
    from glossary.models import Term

    global _cached_matcher
    version = Term.objects.glossary_version()
    cached = _cached_matcher
    if cached is None or cached[0] != version:
        cached = _cached_matcher = (version, Term.objects.build_matcher())
    return cached[1]


def forget_matcher():
    global _cached_matcher
    _cached_matcher = None
