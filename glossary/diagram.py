"""
A small server-rendered diagram of a term's relations, drawn twice.

The wide drawing puts the term in the middle, the terms that point to it on
the left (the drugs that inhibit a cytokine) and the terms it points to on
the right (the family it belongs to). The narrow drawing, for phones, is a
tree that reads down from the term, one group per relation ("inhibited by"
and the drugs). The page's stylesheet shows the one that fits its column at
full size, so the text is never shrunk to a size nobody can read.

Names are wrapped onto as many lines as their box needs, never cut. Browsers
measure text, the server cannot, so widths are estimated from the advance
widths of DejaVu Sans, wider than the usual system sans-serif faces: a line
that fits by this estimate fits on the page. Each relation's label has a
place of its own (above its branch in the wide drawing, its own row in the
narrow one), so labels never overlap each other or a box.

Every box but the term's own links to its term page, for the mouse and the
finger. The drawings are hidden from screen readers and left out of the Tab
order: the list of relations beside them says the same with the same links.
"""

import re
from dataclasses import dataclass, field

from django.template.loader import render_to_string

NAME_SIZE = 14
LABEL_SIZE = 13
LINE_SPACING = 1.3
# Above and below a baseline, in ems: what a browser counts as a line of
# text when it reports the text's box.
ASCENT, DESCENT = 0.93, 0.24
BOX_PADDING = 8
MARGIN = 4

# Advance widths in ems, rounded up from DejaVu Sans's; other lower-case
# letters, digits and Greek take DEFAULT_WIDTH, capitals UPPER_WIDTH, and
# the scripts of East Asia a whole em.
NARROW_CHARS = dict.fromkeys("fijlrt!'(),-./:;[]|", 0.42)
NARROW_CHARS[" "] = 0.32
WIDE_CHARS = frozenset("mwMW@%")
DEFAULT_WIDTH = 0.66
UPPER_WIDTH = 0.8
FULL_WIDTH_FROM = "\u2e80"


def text_width(text, size):
    """The width `text` takes at font size `size`, estimated generously."""
    ems = 0.0
    for char in text:
        if char in NARROW_CHARS:
            ems += NARROW_CHARS[char]
        elif char in WIDE_CHARS or char >= FULL_WIDTH_FROM:
            ems += 1.0
        elif char.isupper():
            ems += UPPER_WIDTH
        else:
            ems += DEFAULT_WIDTH
    return ems * size


# Inside a word, a line may break after a hyphen.
AFTER_HYPHEN = re.compile(r"(?<=-)(?=\w)")


def wrap(text, width, size):
    """
    `text` as lines no wider than `width` at font size `size`: broken
    between words or after a hyphen, and inside a word only when the word
    alone is wider than a line. Every character is kept; runs of spaces
    become one.
    """
    lines, current = [], ""
    for index, word in enumerate(text.split()):
        parts = AFTER_HYPHEN.split(word)
        for number, part in enumerate(parts):
            joiner = " " if number == 0 and index and current else ""
            candidate = current + joiner + part
            if text_width(candidate, size) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = ""
            for char in part:
                if current and text_width(current + char, size) > width:
                    lines.append(current)
                    current = ""
                current += char
    if current or not lines:
        lines.append(current)
    return lines


def spaced(text, lines):
    """
    (line, space) for each of `text`'s `lines`: space is " " where the text
    had a space at the break and "" where a word was broken, so that the
    lines read back as the text.
    """
    result, position = [], 0
    for line in lines:
        # Lines hold the text's other characters in order, but any run of
        # spaces, tabs or no-break spaces in it as one plain space.
        remaining = sum(not char.isspace() for char in line)
        while remaining and position < len(text):
            remaining -= not text[position].isspace()
            position += 1
        followed_by_space = position < len(text) and text[position].isspace()
        result.append((line, " " if followed_by_space else ""))
    if result:
        result[-1] = (result[-1][0], "")
    return result


def text_height(line_count, size):
    """The height of `line_count` lines of text at font size `size`."""
    return ((line_count - 1) * LINE_SPACING + ASCENT + DESCENT) * size


@dataclass
class Box:
    """A term's box: its name wrapped to fit, centred in it."""

    term: object
    lines: list
    x: float
    y: float
    width: float
    is_centre: bool = False

    @classmethod
    def for_term(cls, term, width, **kwargs):
        lines = wrap(term.name, width - 2 * BOX_PADDING, NAME_SIZE)
        return cls(term, lines, 0, 0, width, **kwargs)

    @property
    def height(self):
        return text_height(len(self.lines), NAME_SIZE) + 2 * BOX_PADDING

    @property
    def middle(self):
        return self.y + self.height / 2

    @property
    def text_x(self):
        return self.x + self.width / 2

    @property
    def baselines(self):
        """(baseline, line, space after it) for each line of the name."""
        first = self.y + BOX_PADDING + ASCENT * NAME_SIZE
        step = LINE_SPACING * NAME_SIZE
        return [
            (first + n * step, line, space)
            for n, (line, space) in enumerate(spaced(self.term.name, self.lines))
        ]

    def bounds(self):
        return (self.x, self.y, self.x + self.width, self.y + self.height)

    def move(self, dx, dy):
        self.x += dx
        self.y += dy


@dataclass
class Label:
    """
    A relation's words; `x` is the middle of the lines (or their start
    when `anchor` is "start"), `bottom` the baseline of the last line.
    """

    lines: list
    x: float
    bottom: float
    anchor: str = "middle"

    @classmethod
    def wrapped(cls, text, width, x=0, anchor="middle"):
        return cls(wrap(text, width, LABEL_SIZE), x, 0, anchor)

    @property
    def width(self):
        return max(text_width(line, LABEL_SIZE) for line in self.lines)

    @property
    def height(self):
        return text_height(len(self.lines), LABEL_SIZE)

    @property
    def baselines(self):
        step = LINE_SPACING * LABEL_SIZE
        count = len(self.lines)
        return [
            (self.bottom - (count - 1 - n) * step, line, " ")
            for n, line in enumerate(self.lines)
        ]

    def bounds(self):
        top = self.bottom - (len(self.lines) - 1) * LINE_SPACING * LABEL_SIZE
        top -= ASCENT * LABEL_SIZE
        left = self.x if self.anchor == "start" else self.x - self.width / 2
        return (left, top, left + self.width, self.bottom + DESCENT * LABEL_SIZE)

    def move(self, dx, dy):
        self.x += dx
        self.bottom += dy


@dataclass
class Relation:
    """
    One arrow: the related term's box, the label and the line's points.
    When `reads_from_box`, the sentence starts at the related term
    ("Adalimumab inhibits"), and so does the drawing's reading order.
    """

    box: Box
    label: Label | None
    points: list = field(default_factory=list)
    reads_from_box: bool = False

    @property
    def path(self):
        start, *rest = self.points
        return f"M {start[0]:.1f} {start[1]:.1f} " + " ".join(
            f"L {x:.1f} {y:.1f}" for x, y in rest
        )

    def move(self, dx, dy):
        self.box.move(dx, dy)
        if self.label is not None:
            self.label.move(dx, dy)
        self.points = [(x + dx, y + dy) for x, y in self.points]


@dataclass
class Diagram:
    """
    One drawing: its name ("wide" or "narrow"), size and parts. `left` is
    where its view starts: past an empty column, so that what is drawn
    stands in the middle of the page, not beside a blank.
    """

    name: str
    width: float
    centre: Box
    relations: list
    height: float = 0
    left: float = 0

    def parts(self):
        """Every box and label, the things that must not overlap."""
        yield self.centre
        for relation in self.relations:
            yield relation.box
            if relation.label is not None:
                yield relation.label

    def fit(self):
        """Move everything below a margin and set the height to hold it."""
        top = min(part.bounds()[1] for part in self.parts())
        dy = MARGIN - top
        self.centre.move(0, dy)
        for relation in self.relations:
            relation.move(0, dy)
        self.height = max(part.bounds()[3] for part in self.parts()) + MARGIN
        left = min(part.bounds()[0] for part in self.parts())
        right = max(part.bounds()[2] for part in self.parts())
        if right < self.width:
            right = min(self.width, right + MARGIN)
        self.left = max(0, left - MARGIN)
        self.width = right - self.left
        return self

    @property
    def view_box(self):
        return f"{self.left:.0f} 0 {self.width:.0f} {self.height:.0f}"


# The wide drawing: three columns with room between them for the labels.
# The stylesheet (portal/static/portal/diagram.css) shows it only where its
# column is at least WIDE_WIDTH pixels wide.
WIDE_WIDTH = 700
SIDE_WIDTH = 160
CENTRE_WIDTH = 150
TRUNK_GAP = 14
ARROW = 8
ROW_GAP = 12
LABEL_GAP = 4


def stack(relations, side):
    """
    Place one side's boxes in a column, branches from a trunk beside the
    centre box, and each label above its branch; spread the rows out where
    a label is taller than the room above its branch.
    """
    gap = (WIDE_WIDTH - 2 * SIDE_WIDTH - CENTRE_WIDTH) / 2
    if side == "left":
        box_x, trunk_x = 0, SIDE_WIDTH + gap - TRUNK_GAP
        branch = (SIDE_WIDTH, trunk_x)
    else:
        box_x = WIDE_WIDTH - SIDE_WIDTH
        trunk_x = box_x - gap + TRUNK_GAP
        branch = (trunk_x, box_x - ARROW)
    previous_bottom = previous_branch = None
    for relation in relations:
        box, label = relation.box, relation.label
        box.x = box_x
        top = 0
        if previous_bottom is not None:
            top = max(
                previous_bottom + ROW_GAP,
                previous_branch + LABEL_GAP + label.height - box.height / 2,
            )
        box.y = top
        label.x = (branch[0] + branch[1]) / 2
        label.bottom = box.middle - LABEL_GAP - DESCENT * LABEL_SIZE
        previous_bottom, previous_branch = top + box.height, box.middle
    return trunk_x


def wide_diagram(term, outgoing, incoming):
    """The three-column drawing: (label, term) pairs on either side."""
    label_width = (WIDE_WIDTH - 2 * SIDE_WIDTH - CENTRE_WIDTH) / 2
    label_width -= TRUNK_GAP + ARROW + 2 * LABEL_GAP

    def relations_for(pairs):
        return [
            Relation(Box.for_term(other, SIDE_WIDTH), Label.wrapped(text, label_width))
            for text, other in pairs
        ]

    centre = Box.for_term(term, CENTRE_WIDTH, is_centre=True)
    centre.x = (WIDE_WIDTH - CENTRE_WIDTH) / 2
    left, right = relations_for(incoming), relations_for(outgoing)
    for relation in left:
        relation.reads_from_box = True
    left_trunk = stack(left, "left")
    right_trunk = stack(right, "right")
    # Stand each column and the centre box on one middle line.
    extent = max(
        centre.height,
        *(column[-1].box.bounds()[3] for column in (left, right) if column),
    )
    centre.y = (extent - centre.height) / 2
    for column in (left, right):
        if column:
            dy = (extent - column[-1].box.bounds()[3]) / 2
            for relation in column:
                relation.move(0, dy)
    middle = centre.middle
    for relation in left:
        box = relation.box
        relation.points = [
            (box.x + box.width, box.middle),
            (left_trunk, box.middle),
            (left_trunk, middle),
            (centre.x, middle),
        ]
    for relation in right:
        box = relation.box
        relation.points = [
            (centre.x + centre.width, middle),
            (right_trunk, middle),
            (right_trunk, box.middle),
            (box.x, box.middle),
        ]
    return Diagram("wide", WIDE_WIDTH, centre, left + right).fit()


# The narrow drawing: a tree down the left edge, for columns under
# WIDE_WIDTH pixels; as wide as a 320-pixel phone's column.
NARROW_WIDTH = 300
TREE_X = 16
INDENT = 36
LABEL_INDENT = 28


def narrow_diagram(term, groups):
    """The tree: the term's box, then each (label, terms) group below it."""
    centre = Box.for_term(term, NARROW_WIDTH, is_centre=True)
    relations = []
    y = centre.height + ROW_GAP
    for text, others in groups:
        label = Label.wrapped(
            text, NARROW_WIDTH - LABEL_INDENT, x=LABEL_INDENT, anchor="start"
        )
        label.bottom = y + label.height - DESCENT * LABEL_SIZE
        y += label.height + LABEL_GAP
        for number, other in enumerate(others):
            box = Box.for_term(other, NARROW_WIDTH - INDENT)
            box.x, box.y = INDENT, y
            # Only the group's first box is captioned by its label; the
            # others share it (an empty label takes no room).
            relation = Relation(box, label if number == 0 else None)
            relation.points = [
                (TREE_X, centre.height),
                (TREE_X, box.middle),
                (INDENT, box.middle),
            ]
            relations.append(relation)
            y += box.height + LABEL_GAP * 2
        y += ROW_GAP - LABEL_GAP * 2
    return Diagram("narrow", NARROW_WIDTH, centre, relations).fit()


def relation_diagram(term, relations=None, incoming_relations=None):
    """
    Return the HTML of `term`'s relation diagrams (wide and narrow), or ""
    when it has none.

    Uses the term's prefetched `relations` and `incoming_relations` unless
    others are given (the unsaved rows of a preview).
    """
    if relations is None:
        relations = term.relations.all()
    if incoming_relations is None:
        incoming_relations = term.incoming_relations.all()

    def by_label_and_name(pair):
        return pair[0], pair[1].name.casefold()

    outgoing = sorted(
        ((r.get_kind_display(), r.target) for r in relations), key=by_label_and_name
    )
    incoming = sorted(
        ((r.get_kind_display(), r.source) for r in incoming_relations),
        key=by_label_and_name,
    )
    if not outgoing and not incoming:
        return ""
    return render_to_string(
        "glossary/includes/relation_diagram.html",
        {
            "term": term,
            "diagrams": [
                wide_diagram(term, outgoing, incoming),
                narrow_diagram(
                    term, term.relation_groups(relations, incoming_relations)
                ),
            ],
        },
    )
