"""
An article's table of contents, read from its rendered body.

Bodies are stored as sanitised HTML whose headings already carry ids
(glossary/markup.py), so the contents are read from that HTML when the page
is rendered: no query, and never out of step with the body shown.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

# A body with fewer top-level sections is short enough to scan by eye.
MIN_SECTIONS = 3

# Elements inside headings that are not part of their titles: a glossary
# link's preview of the definition, and citation numbers.
SKIPPED_CLASSES = frozenset({"term-preview", "citation"})
VOID_ELEMENTS = frozenset({"br", "img", "wbr", "hr"})


@dataclass
class Heading:
    """A linkable heading: its id, its text, and the headings under it."""

    id: str
    text: str
    subheadings: list["Heading"] = field(default_factory=list)


class _HeadingReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings = []  # (level, id, text) in document order
        self.current = None  # [level, id, parts] while inside an h2/h3
        self.open = []  # whether each element open inside it is skipped

    def handle_starttag(self, tag, attrs):
        if self.current is None:
            if tag in ("h2", "h3"):
                self.current = [int(tag[1]), dict(attrs).get("id") or "", []]
                self.open = []
            return
        if tag in VOID_ELEMENTS:
            # A line break in a title reads as a space.
            self.handle_data(" ")
            return
        classes = set((dict(attrs).get("class") or "").split())
        self.open.append(bool(classes & SKIPPED_CLASSES) or tag == "sup")

    def handle_endtag(self, tag):
        if self.current is None:
            return
        if tag == f"h{self.current[0]}":
            level, heading_id, parts = self.current
            text = " ".join("".join(parts).split())
            if heading_id and text:
                self.headings.append((level, heading_id, text))
            self.current = None
        elif self.open and tag not in VOID_ELEMENTS:
            self.open.pop()

    def handle_data(self, data):
        if self.current is not None and not any(self.open):
            self.current[2].append(data)


def table_of_contents(html):
    """
    The h2 headings of `html`, each with the h3s that follow it, when there
    are at least MIN_SECTIONS h2s; otherwise an empty list. Headings without
    an id (nothing to link to) or without text are left out, and so are h3s
    before the first h2.
    """
    reader = _HeadingReader()
    reader.feed(html or "")
    reader.close()
    sections = []
    for level, heading_id, text in reader.headings:
        heading = Heading(heading_id, text)
        if level == 2:
            sections.append(heading)
        elif sections:
            sections[-1].subheadings.append(heading)
    return sections if len(sections) >= MIN_SECTIONS else []
