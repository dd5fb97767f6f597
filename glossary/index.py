"""
The glossary's A–Z index as pages: the heading a page lists, its title and
breadcrumbs, the letter bar and kind filter with their counts, and the
addresses between them. Everything is worked out from one grouped count of
the terms (TermQuerySet.index_counts), so a page costs the same few queries
however large the glossary.
"""

import math
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from glossary.models import Term
from glossary.normalise import INDEX_LETTERS, OTHER_INDEX_LETTER

# The index's headings in the order of its letter bar, as (stored letter,
# address segment, label): names that start with a digit or a sign come
# last, under "0–9".
INDEX_HEADINGS = [
    *((letter, letter.lower(), letter) for letter in INDEX_LETTERS[:-1]),
    (OTHER_INDEX_LETTER, "0-9", "0–9"),
]
LETTER_BY_SEGMENT = {segment: letter for letter, segment, _ in INDEX_HEADINGS}
SEGMENT_BY_LETTER = {letter: segment for letter, segment, _ in INDEX_HEADINGS}
LABEL_BY_LETTER = {letter: label for letter, _, label in INDEX_HEADINGS}
TERMS_PER_INDEX_PAGE = 100


def index_url(letter=None, kind="", page=1):
    """
    The address of an index page: `/glossary/` without a letter, else
    `/glossary/letter/<a>/`, with `?kind=` and `?page=` when not the
    defaults.
    """
    if letter is None:
        url = reverse("glossary:list")
    else:
        url = reverse("glossary:letter", kwargs={"letter": SEGMENT_BY_LETTER[letter]})
    query = {"kind": kind} if kind else {}
    if page != 1:
        query["page"] = page
    return f"{url}?{urlencode(query)}" if query else url


@dataclass
class IndexPage:
    """
    One page of the index: `letter` (None for one the glossary has not),
    narrowed to `kind` ("" for all), page `number`; `is_home` on
    `/glossary/`. `counts` are the terms of each (kind, letter).
    """

    counts: dict
    letter: str | None
    kind: str = ""
    number: int = 1
    is_home: bool = False

    @classmethod
    def home(cls, counts, kind="", number=1):
        """`/glossary/`: the first heading that has terms of `kind`, else A."""
        page = cls(counts, INDEX_HEADINGS[0][0], kind, number, is_home=True)
        page.letter = next(
            (letter for letter, _, _ in INDEX_HEADINGS if page.count(letter)),
            page.letter,
        )
        return page

    def count(self, letter=None, kind=None):
        """
        Terms under `letter` (all letters when None) of `kind` (the kind
        chosen when None, any when blank).
        """
        kind = self.kind if kind is None else kind
        return sum(
            count
            for (row_kind, row_letter), count in self.counts.items()
            if (not kind or row_kind == kind)
            and (letter is None or row_letter == letter)
        )

    @property
    def term_count(self):
        """Terms this page's heading lists, over all its pages."""
        return self.count(self.letter)

    @property
    def page_count(self):
        return max(1, math.ceil(self.term_count / TERMS_PER_INDEX_PAGE))

    def url(self, number):
        """The address of page `number` of this heading."""
        return index_url(self.letter, self.kind, number)

    @property
    def heading(self):
        """What this page lists ("terms under A"), "" for an unknown letter."""
        if self.letter is None:
            return ""
        if self.letter == OTHER_INDEX_LETTER:
            return "terms starting with a digit or sign"
        return f"terms under {self.letter}"

    @property
    def kind_label(self):
        return Term.Kind(self.kind).label if self.kind else ""

    @property
    def title(self):
        """The page's title before the site's name, and its og:title."""
        title = f"Glossary: {self.heading}"
        if self.kind:
            title += f" ({self.kind_label})"
        if self.number > 1:
            title += f", page {self.number}"
        return title

    @property
    def breadcrumbs(self):
        """Glossary, then the letter on a letter's page."""
        if self.is_home:
            return [("Glossary", None)]
        label = LABEL_BY_LETTER.get(self.letter, "Not found")
        return [("Glossary", reverse("glossary:list")), (label, None)]

    def letter_bar(self):
        """Every letter, "0–9" only when it has terms or is chosen."""
        rows = []
        for letter, _, label in INDEX_HEADINGS:
            count = self.count(letter)
            if letter == OTHER_INDEX_LETTER and not count and letter != self.letter:
                continue
            rows.append(
                {
                    "label": label,
                    "count": count,
                    "url": index_url(letter, self.kind) if count else None,
                    "is_current": letter == self.letter,
                }
            )
        return rows

    def kind_filter(self):
        """
        "All kinds" and each kind, counted under the letter chosen; on
        `/glossary/` counted in the whole glossary and linked there.
        """
        letter = None if self.is_home else self.letter
        rows = []
        for kind, label in [("", "All kinds"), *Term.Kind.choices]:
            count = self.count(letter, kind)
            rows.append(
                {
                    "label": label,
                    "count": count,
                    "url": index_url(letter, kind) if count or not kind else None,
                    "is_current": kind == self.kind,
                }
            )
        return rows

    def context(self):
        """What every index page's template shows, a 404's too."""
        return {
            "letter_bar": self.letter_bar(),
            "kind_filter": self.kind_filter(),
            "heading": self.heading,
            "current_kind_label": self.kind_label,
            "breadcrumbs": self.breadcrumbs,
            "page_title": self.title,
        }
