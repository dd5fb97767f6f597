"""
How well glossary auto-links land on real text.

The corpus in tests/corpus/ is a glossary of more than a hundred terms
(`glossary.json`) and patient articles (`articles/*.md`) written with the
traps real text holds: abbreviations that are English words in capitals
(AS, ALL, MS, CAT, IT), pronunciation guides such as "(sar il' ue mab)",
"biologic activity" next to the drug class "Biologics", possessives with
any apostrophe, plurals, and numbers in names (IL-6, IL-17, IL-1 beta).

In the articles a mention that should link is marked `{{shown text|slug}}`;
the first mark of each term in an article is where its link is expected
(marks are never put in headings, which are not linked). Each article is
rendered with the marks removed, through the same Markdown renderer and
linker as a saved article, and the links it gets are compared with the
marks:

- precision: the share of links made that sit on a marked mention of the
  same term (a link on an ordinary word or to the wrong term counts
  against it);
- recall: the share of expected first mentions that got their link.

A mention is identified by its text and which occurrence of that text (as
a whole word, case kept) it is in the article, so the rendered page and the
Markdown source can be compared without offsets.
"""

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from django.utils.text import slugify

from bench.harness import Floors
from glossary.linking import BodyLinker, Matcher, TermInfo
from glossary.markup import render_body
from glossary.models import split_aliases

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "corpus"
MARK = re.compile(r"\{\{([^{}|]+)\|([a-z0-9-]+)\}\}")
URL_PREFIX = "/glossary/"


@dataclass(frozen=True)
class Mention:
    """The `occurrence`-th whole-word `text` of an article, naming `slug`."""

    slug: str
    text: str
    occurrence: int


@dataclass
class Article:
    name: str
    source: str  # Markdown with the marks removed
    marked: list  # every marked Mention, in order

    @property
    def expected(self):
        """The first marked mention of each term: where its link belongs."""
        first = {}
        for mention in self.marked:
            first.setdefault(mention.slug, mention)
        return list(first.values())

    @property
    def words(self):
        return len(self.source.split())


@dataclass
class Score:
    """Links made in one article, sorted against what was expected."""

    article: Article
    links: list
    correct: list = field(default_factory=list)
    wrong: list = field(default_factory=list)  # (Mention, marked slug or None)
    missed: list = field(default_factory=list)

    def __post_init__(self):
        marked = {(m.text, m.occurrence): m.slug for m in self.article.marked}
        for link in self.links:
            if marked.get((link.text, link.occurrence)) == link.slug:
                self.correct.append(link)
            else:
                self.wrong.append((link, marked.get((link.text, link.occurrence))))
        made = set(self.links)
        self.missed = [m for m in self.article.expected if m not in made]


def occurrence(text, phrase, end):
    """Which whole-word occurrence of `phrase` ends at `end` in `text`."""
    pattern = re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")
    return sum(1 for match in pattern.finditer(text) if match.end() <= end)


def load_glossary(corpus=CORPUS):
    """TermInfo rows and (phrase, term id) pairs, names first, as the site has."""
    rows = json.loads((corpus / "glossary.json").read_text(encoding="utf-8"))
    terms, names, aliases = [], [], []
    for number, row in enumerate(rows, start=1):
        slug = slugify(row["name"])
        terms.append(
            TermInfo(number, row["name"], slug, row["definition"], f"/glossary/{slug}/")
        )
        names.append((row["name"], number))
        aliases += [
            (alias, number) for alias in split_aliases("\n".join(row["aliases"]))
        ]
    return rows, terms, [*names, *aliases]


def load_articles(slugs, corpus=CORPUS):
    """Every corpus article, its marks read and removed."""
    articles = []
    for path in sorted((corpus / "articles").glob("*.md")):
        annotated = path.read_text(encoding="utf-8")
        source, marked, position = [], [], 0
        for mark in MARK.finditer(annotated):
            shown, slug = mark.groups()
            if slug not in slugs:
                raise ValueError(f"{path.name}: no term with the slug {slug!r}")
            line_start = annotated.rfind("\n", 0, mark.start()) + 1
            if annotated.startswith("#", line_start):
                raise ValueError(f"{path.name}: a mark in a heading: {shown!r}")
            source.append(annotated[position : mark.start()])
            source.append(shown)
            position = mark.end()
            plain = "".join(source)
            marked.append(Mention(slug, shown, occurrence(plain, shown, len(plain))))
        source.append(annotated[position:])
        articles.append(Article(path.stem, "".join(source), marked))
    return articles


class _LinkReader(HTMLParser):
    """The reader's text of rendered HTML and where each term link sits in it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text = []
        self.length = 0
        self.links = []  # (href, start, text)
        self.open_link = None
        self.preview_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if self.preview_depth:
            self.preview_depth += tag == "span"
        elif tag == "span" and "term-preview" in classes:
            self.preview_depth = 1
        elif tag == "a" and "term-link" in classes:
            self.open_link = (attrs.get("href", ""), self.length, [])

    def handle_endtag(self, tag):
        if self.preview_depth:
            self.preview_depth -= tag == "span"
        elif tag == "a" and self.open_link is not None:
            href, start, parts = self.open_link
            self.links.append((href, start, "".join(parts)))
            self.open_link = None

    def handle_data(self, data):
        if self.preview_depth:
            return
        self.text.append(data)
        self.length += len(data)
        if self.open_link is not None:
            self.open_link[2].append(data)


def links_in(html):
    """Each term link of rendered HTML as a Mention of the term it goes to."""
    reader = _LinkReader()
    reader.feed(html)
    reader.close()
    text = "".join(reader.text)
    mentions = []
    for href, start, shown in reader.links:
        slug = href.removeprefix(URL_PREFIX).strip("/")
        end = start + len(shown)
        mentions.append(Mention(slug, shown, occurrence(text, shown, end)))
    return mentions


def score(articles, matcher):
    """A Score per article, rendered as a saved article is."""
    return [
        Score(article, links_in(render_body(article.source, BodyLinker(matcher))))
        for article in articles
    ]


def totals(scores):
    """(precision, recall, links made, correct links, expected links)."""
    made = sum(len(s.links) for s in scores)
    correct = sum(len(s.correct) for s in scores)
    expected = sum(len(s.article.expected) for s in scores)
    found = expected - sum(len(s.missed) for s in scores)
    precision = correct / made if made else 1.0
    recall = found / expected if expected else 1.0
    return precision, recall, made, correct, expected


def evaluate(corpus=CORPUS):
    """The glossary rows and a Score per article of the corpus."""
    rows, terms, phrases = load_glossary(corpus)
    articles = load_articles({term.slug for term in terms}, corpus)
    return rows, score(articles, Matcher(terms, phrases))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.corpus")
    parser.add_argument(
        "--verbose", action="store_true", help="list every link made and missed"
    )
    options = parser.parse_args(argv)
    rows, scores = evaluate()
    alias_count = sum(len(row["aliases"]) for row in rows)
    print("Glossary links on the test corpus (tests/corpus/)")
    print(f"Glossary: {len(rows)} terms, {alias_count} aliases")
    print()
    print(
        f"{'article':<24}{'words':>7}{'expected':>10}{'links':>7}"
        f"{'wrong':>7}{'missed':>8}"
    )
    for s in scores:
        print(
            f"{s.article.name:<24}{s.article.words:>7}{len(s.article.expected):>10}"
            f"{len(s.links):>7}{len(s.wrong):>7}{len(s.missed):>8}"
        )
        for link, marked in s.wrong:
            what = f"marked {marked}" if marked else "an ordinary word"
            print(
                f"    wrong:  {link.text!r} #{link.occurrence} -> {link.slug} ({what})"
            )
        for mention in s.missed:
            print(
                f"    missed: {mention.text!r} #{mention.occurrence} -> {mention.slug}"
            )
        if options.verbose:
            for link in s.correct:
                print(f"    linked: {link.text!r} #{link.occurrence} -> {link.slug}")
    precision, recall, made, correct, expected = totals(scores)
    print()
    print(
        f"Precision {precision:.3f} ({correct} of {made} links on a marked mention "
        "of their term)"
    )
    print(f"Recall    {recall:.3f} (of {expected} expected first-mention links)")
    floors = Floors()
    floors.check("precision >= 0.99", f"{precision:.3f}", precision >= 0.99)
    floors.check("recall >= 0.95", f"{recall:.3f}", recall >= 0.95)
    return floors.exit_status


if __name__ == "__main__":
    sys.exit(main())
