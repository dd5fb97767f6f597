"""
A small server-rendered SVG of a term's relations.

The term sits in the middle; terms it points to (its targets: the cytokine a
drug inhibits, the family it belongs to) stand on the right, and terms that
point to it on the left. Every box links to its term page. The SVG carries a
title and a description that say the same in words.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string

WIDTH = 720
ROW_HEIGHT = 44
BOX_WIDTH = 160
BOX_HEIGHT = 30
MAX_LABEL = 21


@dataclass
class Node:
    term: object
    label: str
    x: int
    y: int

    @property
    def text_x(self):
        return self.x + BOX_WIDTH // 2

    @property
    def text_y(self):
        return self.y + BOX_HEIGHT // 2 + 5


@dataclass
class Edge:
    start_x: int
    start_y: int
    end_x: int
    end_y: int
    label: str

    @property
    def label_x(self):
        return (self.start_x + self.end_x) // 2

    @property
    def label_y(self):
        return (self.start_y + self.end_y) // 2 - 6


def short(text):
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def relation_diagram(term, relations=None, incoming_relations=None):
    """
    Return the SVG markup for `term`'s relations, or "" when it has none.

    Uses the term's prefetched `relations` and `incoming_relations` unless
    others are given (the unsaved rows of a preview).
    """
    if relations is None:
        relations = term.relations.all()
    if incoming_relations is None:
        incoming_relations = term.incoming_relations.all()
    outgoing = [(r.get_kind_display(), r.target) for r in relations]
    incoming = [(r.get_kind_display(), r.source) for r in incoming_relations]
    if not outgoing and not incoming:
        return ""
    rows = max(len(outgoing), len(incoming), 1)
    height = rows * ROW_HEIGHT + 20
    centre = Node(
        term, short(term.name), (WIDTH - BOX_WIDTH) // 2, (height - BOX_HEIGHT) // 2
    )
    nodes, edges = [], []
    for side, relations in (("right", outgoing), ("left", incoming)):
        top = (height - len(relations) * ROW_HEIGHT) // 2
        x = WIDTH - BOX_WIDTH - 4 if side == "right" else 4
        for row, (label, other) in enumerate(relations):
            node = Node(other, short(other.name), x, top + row * ROW_HEIGHT + 7)
            nodes.append(node)
            middle_y = node.y + BOX_HEIGHT // 2
            if side == "right":
                edge = Edge(
                    centre.x + BOX_WIDTH, centre.text_y - 5, node.x, middle_y, label
                )
            else:
                edge = Edge(
                    node.x + BOX_WIDTH, middle_y, centre.x, centre.text_y - 5, label
                )
            edges.append(edge)
    sentences = [f"{term.name} {label} {other.name}." for label, other in outgoing]
    sentences += [f"{other.name} {label} {term.name}." for label, other in incoming]
    return render_to_string(
        "glossary/includes/relation_diagram.svg",
        {
            "term": term,
            "width": WIDTH,
            "height": height,
            "box_width": BOX_WIDTH,
            "box_height": BOX_HEIGHT,
            "centre": centre,
            "nodes": nodes,
            "edges": edges,
            "description": " ".join(sentences),
        },
    )
