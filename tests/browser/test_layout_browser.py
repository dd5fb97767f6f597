"""
No page scrolls sideways, from a 320 px phone to a 1440 px desktop: long
unbroken text (a pasted address, a made-up word, a DOI) wraps, the header
wraps, and a wide table scrolls inside its own box.
"""

import pytest

from references.models import Reference
from tests.factories import make_article, make_reference, make_term

LONG_WORD = "Interleukin" + "verylongwordwithoutanyspaces" * 7  # 207 characters
LONG_TAG = "tag" + "withoutspaces" * 7  # 94 characters
LONG_URL = (
    "https://example.org/"
    + "very-long-path-segment/" * 15
    + "?utm_source=newsletter&utm_medium=email"
)
LONG_DOI = "10.1000/" + "averylongsuffixwithoutbreaks" * 6
LONG_TITLE = "Leaflet " + "unbrokentitlewordunbrokentitleword" * 14  # 484 characters
WIDE_TABLE = "\n".join(
    [
        "| " + " | ".join(f"Column {n}" for n in range(12)) + " |",
        "|" + " --- |" * 12,
        "| " + " | ".join(f"Dose {n} mg weekly" for n in range(12)) + " |",
    ]
)
WIDTHS = [320, 375, 768, 1280, 1440]


@pytest.fixture
def long_content(live_server, about_page):
    make_reference(
        key="long-2024",
        kind=Reference.Kind.WEB_PAGE,
        title=LONG_TITLE,
        container="Example " + "Health" * 30,
        url=LONG_URL,
        doi=LONG_DOI,
    )
    article = make_article(
        title=LONG_WORD[:190],
        summary="About " + LONG_WORD,
        body=f"{LONG_WORD} is cited here [@long-2024].\n\nSee <{LONG_URL}>.\n\n"
        f"    {LONG_WORD} in a code block\n\n{WIDE_TABLE}",
        author="Author" + "x" * 150,
        tags=[LONG_TAG],
    )
    term = make_term(
        name=LONG_WORD[:200],
        aliases=LONG_WORD[:199],
        definition="Means " + LONG_WORD,
        body=f"Read more at {LONG_URL}.",
    )
    term.tags.set([LONG_TAG])
    # Each page, and long text it must show (so that it is tested with it).
    return {
        "home": ("/", LONG_WORD[:40]),
        "article list": ("/articles/", LONG_WORD[:40]),
        "article": (article.get_absolute_url(), LONG_DOI),
        "site search": ("/search/?q=Interleukinverylong", LONG_WORD[:40]),
        "empty site search": ("/search/", "search box at the top"),
        "glossary search": ("/glossary/search/?q=Interleukinverylong", LONG_WORD[:40]),
        "tag": (f"/tags/{article.tags.get().slug}/", LONG_TAG),
        "glossary": ("/glossary/", LONG_WORD[:40]),
        "term": (term.get_absolute_url(), LONG_URL),
        "references": ("/references/", LONG_TITLE[:40]),
        "site page": (about_page.get_absolute_url(), about_page.title),
        "not found": (f"/{LONG_WORD[:60]}/", LONG_WORD[:40]),
    }


# The placeholder's text and the room the box has for it.
PLACEHOLDER_ROOM = """
(input) => {
  const style = getComputedStyle(input);
  const context = document.createElement("canvas").getContext("2d");
  context.font = style.font;
  return [
    context.measureText(input.placeholder).width,
    input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
  ];
}
"""


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways_at_any_width(live_server, page, long_content, width):
    page.set_viewport_size({"width": width, "height": 800})
    too_wide = {}
    for name, (path, long_text) in long_content.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == (404 if name == "not found" else 200), path
        assert long_text in page.inner_text("main"), name
        scroll_width, inner_width = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        if scroll_width > inner_width:
            too_wide[name] = scroll_width
    assert too_wide == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_search_placeholder_fits_and_wide_tables_scroll_in_their_box(
    live_server, page, long_content, width
):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}{long_content['article'][0]}")
    text_width, room = page.locator("input[type=search]").evaluate(PLACEHOLDER_ROOM)
    assert text_width <= room
    table = page.locator(".body table")
    scroll_width, client_width = table.evaluate("t => [t.scrollWidth, t.clientWidth]")
    if width < 768:
        assert scroll_width > client_width
    assert table.evaluate("t => getComputedStyle(t).overflowX") == "auto"
