"""
Long unbroken text (a pasted address, a made-up word, a DOI) wraps instead
of making a page scroll sideways, on a desktop window and on a phone.
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


@pytest.fixture
def long_content(live_server):
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
        f"    {LONG_WORD} in a code block",
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
        "glossary search": ("/glossary/search/?q=Interleukinverylong", LONG_WORD[:40]),
        "tag": (f"/tags/{article.tags.get().slug}/", LONG_TAG),
        "glossary": ("/glossary/", LONG_WORD[:40]),
        "term": (term.get_absolute_url(), LONG_URL),
        "references": ("/references/", LONG_TITLE[:40]),
    }


@pytest.mark.parametrize("width", [1280, 375])
def test_long_words_never_make_a_page_scroll_sideways(
    live_server, page, long_content, width
):
    page.set_viewport_size({"width": width, "height": 800})
    too_wide = {}
    for name, (path, long_text) in long_content.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert long_text in page.inner_text("main"), name
        scroll_width, inner_width = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        if scroll_width > inner_width:
            too_wide[name] = scroll_width
    assert too_wide == {}
