from dataclasses import dataclass
from itertools import combinations

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from glossary.diagram import (
    BOX_PADDING,
    LABEL_SIZE,
    MARGIN,
    NAME_SIZE,
    WIDE_WIDTH,
    Box,
    narrow_diagram,
    text_width,
    wide_diagram,
    wrap,
)
from glossary.models import TermRelation
from tests.factories import make_term
from tests.html import element, elements, hrefs, ids, links


@dataclass
class FakeTerm:
    name: str

    def get_absolute_url(self):
        return "/glossary/x/"


LONG_NAMES = [
    "Tumor necrosis factor alpha",
    "Granulocyte-macrophage colony-stimulating factor",
    "Interleukin-1 receptor antagonist",
    "Pro-inflammatory cytokines",
    "TNF",
    "Interleukin" + "verylongwordwithoutanyspaces" * 6,
    "Ω-3 fatty acids and their (many) metabolites, listed by name",
]
LABELS = [
    "inhibits",
    "is a kind of",
    "treats",
    "related to",
    "inhibited by",
    "is sometimes mistaken for",
]


def overlapping(first, second):
    left, top, right, bottom = first.bounds()
    other_left, other_top, other_right, other_bottom = second.bounds()
    return (
        left < other_right
        and other_left < right
        and top < other_bottom
        and other_top < bottom
    )


def pairs(count, offset=0):
    """`count` (label, term) pairs, labels in runs as the page sorts them."""
    chosen = [
        (LABELS[(n + offset) % len(LABELS)], LONG_NAMES[(n + offset) % 7])
        for n in range(count)
    ]
    return [(label, FakeTerm(name)) for label, name in sorted(chosen)]


def groups(count):
    grouped = {}
    for label, term in pairs(count):
        grouped.setdefault(label, []).append(term)
    return list(grouped.items())


def test_wrap_breaks_long_name_between_words_within_width():
    assert wrap("Tumor necrosis factor alpha", 134, 14) == [
        "Tumor necrosis",
        "factor alpha",
    ]


def test_wrap_breaks_after_hyphen_before_breaking_inside_a_word():
    lines = wrap("Granulocyte-macrophage colony-stimulating factor", 134, 14)
    assert lines == ["Granulocyte-", "macrophage", "colony-", "stimulating", "factor"]


def test_wrap_keeps_every_character_of_an_unbroken_word():
    word = "Interleukin" + "verylongwordwithoutanyspaces" * 3
    lines = wrap(word, 134, 14)
    assert len(lines) > 1
    assert "".join(lines) == word
    assert all(text_width(line, 14) <= 134 for line in lines)


def test_wrap_keeps_short_name_on_one_line():
    assert wrap("TNF", 134, 14) == ["TNF"]


@pytest.mark.parametrize(
    "outgoing, incoming", [(1, 0), (0, 1), (3, 3), (1, 9), (12, 2), (7, 7)]
)
def test_wide_diagram_parts_never_overlap(outgoing, incoming):
    diagram = wide_diagram(
        FakeTerm(LONG_NAMES[0]), pairs(outgoing), pairs(incoming, offset=2)
    )
    parts = list(diagram.parts())
    assert len(parts) == 1 + 2 * (outgoing + incoming)
    assert [
        (first, second)
        for first, second in combinations(parts, 2)
        if overlapping(first, second)
    ] == []


def test_wide_rows_spread_out_for_labels_on_several_lines():
    mistaken = [
        ("is sometimes mistaken for", FakeTerm(name))
        for name in ("TNF", "IL-1", "IL-6", "IFN")
    ]
    diagram = wide_diagram(FakeTerm("Cytokine"), mistaken, mistaken)
    assert {len(relation.label.lines) for relation in diagram.relations} == {4}
    parts = list(diagram.parts())
    assert [
        (first, second)
        for first, second in combinations(parts, 2)
        if overlapping(first, second)
    ] == []


@pytest.mark.parametrize("count", [1, 3, 6, 14])
def test_narrow_diagram_parts_never_overlap(count):
    diagram = narrow_diagram(FakeTerm(LONG_NAMES[1]), groups(count))
    parts = list(diagram.parts())
    assert [
        (first, second)
        for first, second in combinations(parts, 2)
        if overlapping(first, second)
    ] == []


@pytest.mark.parametrize("name", ["wide", "narrow"])
def test_every_name_is_whole_inside_its_box_and_the_drawing(name):
    term = FakeTerm(LONG_NAMES[5])
    if name == "wide":
        diagram = wide_diagram(term, pairs(7), pairs(7, offset=3))
    else:
        diagram = narrow_diagram(term, groups(7))
    boxes = [diagram.centre] + [relation.box for relation in diagram.relations]
    for box in boxes:
        assert "".join(box.lines).replace(" ", "") == box.term.name.replace(" ", "")
        for line in box.lines:
            assert text_width(line, NAME_SIZE) <= box.width - 2 * BOX_PADDING
    for part in diagram.parts():
        left, top, right, bottom = part.bounds()
        assert diagram.left <= left and right <= diagram.left + diagram.width
        assert 0 <= top and bottom <= diagram.height


@pytest.mark.parametrize("sides", ["outgoing only", "incoming only", "both"])
def test_wide_drawing_has_no_blank_column_so_it_stands_centred(sides):
    term = FakeTerm("Adalimumab")
    outgoing = pairs(3) if sides != "incoming only" else []
    incoming = pairs(2, offset=3) if sides != "outgoing only" else []
    diagram = wide_diagram(term, outgoing, incoming)
    drawn_left = min(part.bounds()[0] for part in diagram.parts())
    drawn_right = max(part.bounds()[2] for part in diagram.parts())
    blank_left = drawn_left - diagram.left
    blank_right = diagram.left + diagram.width - drawn_right
    assert abs(blank_left - blank_right) <= MARGIN
    assert (
        diagram.width < WIDE_WIDTH if sides != "both" else diagram.width == WIDE_WIDTH
    )


def test_wide_labels_of_every_kind_fit_between_columns_on_one_line():
    kinds = TermRelation.Kind.labels
    diagram = wide_diagram(
        FakeTerm("Cytokine"),
        [(label, FakeTerm("A")) for label in kinds],
        [(label, FakeTerm("B")) for label in kinds],
    )
    assert [len(relation.label.lines) for relation in diagram.relations] == [1] * (
        2 * len(kinds)
    )
    assert LABEL_SIZE >= 12


def test_term_page_draws_relations_for_the_eye_and_lists_them_for_everyone(
    demo, client
):
    html = client.get("/glossary/adalimumab/").content.decode()
    # The page's other drawings are the wordmark's, outside <main>.
    drawings = elements(element(html, "main"), "svg")
    assert [svg.attrs["class"] for svg in drawings] == [
        "relation-diagram-wide",
        "relation-diagram-narrow",
    ]
    for svg in drawings:
        # Keyboards and screen readers meet each related term once, in the
        # list below; the drawing's links are for the mouse and the finger.
        assert svg.attrs["aria-hidden"] == "true"
        assert "/glossary/tnf-alpha/" in hrefs(svg)
        for link in elements(svg, "a"):
            assert link.attrs["tabindex"] == "-1"
        assert "Tumor necrosis factor alpha" in " ".join(
            element(svg, "a", href="/glossary/tnf-alpha/").text.split()
        )
    relations = element(html, "section", class_="relations")
    listed = element(relations, "dl")
    assert ("/glossary/tnf-alpha/", "Tumor necrosis factor alpha") in links(listed)
    page_ids = ids(html)
    assert len(page_ids) == len(set(page_ids))


def test_term_without_relations_has_no_diagram(demo, client):
    term = make_term(name="Lonely")
    html = client.get(term.get_absolute_url()).content.decode()
    assert elements(element(html, "main"), "svg") == []
    assert "diagram.css" not in html


def test_lines_read_back_as_the_name_with_spaces_only_where_it_had_them():
    name = "Granulocyte-macrophage  colony-stimulating factor"
    box = Box.for_term(FakeTerm(name), 150)
    shown = "".join(line + space for __, line, space in box.baselines)
    assert shown == "Granulocyte-macrophage colony-stimulating factor"


def test_stylesheet_shows_the_wide_drawing_where_it_fits_at_full_size():
    stylesheet = (settings.BASE_DIR / "portal/static/portal/diagram.css").read_text()
    assert f"@container (min-width: {WIDE_WIDTH}px)" in stylesheet


@given(st.text(min_size=1, max_size=120).filter(str.strip))
def test_wrapped_names_read_back_whole_and_fit(name):
    box = Box.for_term(FakeTerm(name), 150)
    shown = "".join(line + space for __, line, space in box.baselines)
    assert shown == " ".join(name.split())
    inner = 150 - 2 * BOX_PADDING
    assert all(
        text_width(line, NAME_SIZE) <= inner or len(line) == 1 for line in box.lines
    )
