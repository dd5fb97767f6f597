"""
The XSS corpus (tests/corpus/xss_vectors.txt) as the tests use it: every
vector, and the rows of articles, terms, references, tags and site pages
that carry them into every kind of stored field.

Long fields (bodies, summaries, definitions, aliases) take several vectors
each; short fields (titles, names, authors...) one each, across several
rows, so that every vector lands in some short field of every kind. The
same rows are typed into the admin's forms (tests/stored_content_admin.py)
and saved through the ORM (tests/stored_content_orm.py).
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus" / "xss_vectors.txt"
ESCAPES = {"\\t": "\t", "\\n": "\n", "\\r": "\r"}
# Rows of each kind: enough short fields for every vector to land in one.
ROWS = 8
# What the rows' addresses are once their typed slug or key is refused.
SAFE_SLUG = "xss-{kind}-{row}"
EMBEDDED_IMAGE = "x"

# Short text fields of each kind an editor types into (one vector each),
# and the long ones (several vectors each).
ARTICLE_SHORT = ("title", "author")
REFERENCE_SHORT = (
    "authors", "title", "container", "editors", "publisher",
    "edition", "volume", "issue", "pages",
)  # fmt: skip
# Fields shorter than most vectors.
REFERENCE_MAX_LENGTHS = {"edition": 40, "volume": 40, "issue": 40, "pages": 40}
REFERENCE_KINDS = ("journal", "book", "chapter", "web")
# Vectors that are template syntax: pages show them exactly as typed.
TEMPLATE_SYNTAX = ("{{ 7|add:42 }}", '{% now "Y" %}', "{{ request }}", "${7*7}")


@dataclass(frozen=True)
class Vector:
    group: str
    text: str


@cache
def vectors():
    """Every vector of the corpus, in its order."""
    found, group = [], ""
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            group = line[3:].strip()
        elif line.startswith("#") or not line.strip():
            continue
        else:
            text = re.sub(r"\\[tnr]", lambda match: ESCAPES[match.group()], line)
            found.append(Vector(group, text))
    return tuple(found)


def texts():
    return [vector.text for vector in vectors()]


def share(row):
    """The vectors row `row` carries in its long fields: every ROWS-th."""
    return texts()[row::ROWS]


class ShortFields:
    """
    Hands out one vector per short field, going round the corpus so that
    every vector is taken before any is taken again; a field takes the
    next vector within its length.
    """

    def __init__(self):
        self.waiting = []

    def take(self, max_length=200, accept=lambda text: True):
        for _ in range(2):
            for text in self.waiting:
                if len(text) <= max_length and accept(text):
                    self.waiting.remove(text)
                    return text
            self.waiting = list(texts())
        raise ValueError(f"No vector fits {max_length} characters.")


def within(items, max_length, separator=" "):
    """As many of `items` as fit in `max_length` characters, joined."""
    kept = []
    for item in items:
        if len(separator.join([*kept, item])) <= max_length:
            kept.append(item)
    return separator.join(kept)


def as_paragraphs(items):
    """Markdown with each item a paragraph of its own."""
    return "\n\n".join(items)


@dataclass
class Rows:
    """What each row of each kind holds, as an editor would type it."""

    articles: list
    terms: list
    references: list
    tags: list
    pages: list
    images: list


@cache
def hostile_rows():
    """
    Rows of every kind with the corpus in every field an editor types:
    fields are the model's, keyed by name; each row's `row` is its number.
    Lengths are kept within the fields' limits, and a term's name and
    aliases never read the same as another's (the form would refuse them,
    rightly), so that every vector reaches a page.
    """
    from glossary.models import SearchEntry

    short = ShortFields()
    spellings = set()

    def new_spelling(text):
        compact = SearchEntry.compact_form(text)
        return bool(compact) and compact not in spellings

    rows = Rows([], [], [], [], [], [])
    for row in range(ROWS):
        mine = share(row)
        rows.references.append(
            {
                "row": row,
                "kind": REFERENCE_KINDS[row % len(REFERENCE_KINDS)],
                **{
                    name: short.take(REFERENCE_MAX_LENGTHS.get(name, 300))
                    for name in REFERENCE_SHORT
                },
            }
        )
        rows.articles.append(
            {
                "row": row,
                **{name: short.take() for name in ARTICLE_SHORT},
                "summary": within(mine, 600),
                "body": as_paragraphs(mine),
            }
        )
        name = short.take(accept=new_spelling)
        spellings.add(SearchEntry.compact_form(name))
        rows.terms.append(
            {
                "row": row,
                "name": name,
                "definition": within(mine, 500),
                "body": as_paragraphs(mine),
            }
        )
        rows.tags.append({"row": row, "name": short.take(100)})
    for term in rows.terms:
        aliases = []
        for text in share(term["row"]):
            alias = " ".join(text.split())
            if new_spelling(alias):
                spellings.add(SearchEntry.compact_form(alias))
                aliases.append(alias)
        term["aliases"] = "\n".join(aliases)
    rows.pages.append({"row": 0, "title": short.take(), "body": as_paragraphs(texts())})
    # The image the corpus's Markdown embeds (`image:x`).
    rows.images.append(
        {
            "row": 0,
            "title": short.take(),
            "alt_text": short.take(),
            "caption": within(texts(), 500),
            "credit": short.take(),
        }
    )
    return rows


def slug_for(kind, row):
    # Bodies embed the image by the slug the corpus names.
    if kind == "image":
        return EMBEDDED_IMAGE
    return SAFE_SLUG.format(kind=kind, row=row)
