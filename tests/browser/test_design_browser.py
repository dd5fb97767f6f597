"""
How the site looks and behaves in a real browser: print, the dark scheme,
reduced motion, the contents of long articles, tap targets and the one
search box.
"""

import re

import pytest

from tests.factories import make_article

ARTICLE = "/articles/what-are-cytokines/"

# WCAG relative luminance of a computed "rgb(r, g, b)" colour.
LUMINANCE = """
(colour) => {
  const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map((value) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
"""


def contrast(page, foreground, background):
    lighter, darker = sorted(
        (page.evaluate(LUMINANCE, foreground), page.evaluate(LUMINANCE, background)),
        reverse=True,
    )
    return (lighter + 0.05) / (darker + 0.05)


def style(locator, prop, pseudo=None):
    return locator.evaluate(
        "(element, [prop, pseudo]) => getComputedStyle(element, pseudo)[prop]",
        [prop, pseudo],
    )


@pytest.fixture
def context_of(browser):
    """Browser contexts made with the options given, closed after the test."""
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


def test_article_prints_its_references_with_addresses_and_no_navigation(
    demo_site, about_page, page
):
    page.goto(f"{demo_site.url}{ARTICLE}")
    assert page.locator(".site-footer nav").is_visible() is True
    page.emulate_media(media="print")
    for hidden in (
        ".site-nav",
        ".site-header .search-form",
        ".site-footer nav",
        ".skip-link",
        ".toc",
        ".related-articles",
    ):
        assert style(page.locator(hidden), "display") == "none", hidden
    assert page.locator("section.references").is_visible() is True
    assert page.locator(".cite-box").is_visible() is True
    doi = page.locator("#ref-mcinnes-2007 a", has_text="10.1038/nri2094")
    assert style(doi, "content", "::after") == '" <https://doi.org/10.1038/nri2094>"'
    glossary_link = page.locator(".body a.term-link").first
    assert style(glossary_link, "content", "::after") == "none"
    body = page.locator("body")
    assert style(body, "color") == "rgb(0, 0, 0)"
    assert style(body, "backgroundColor") == "rgb(255, 255, 255)"


def test_dark_scheme_is_dark_and_readable_and_reduced_motion_is_still(
    demo_site, context_of
):
    dark = context_of(color_scheme="dark", reduced_motion="reduce")
    dark.goto(f"{demo_site.url}{ARTICLE}")
    body = dark.locator("body")
    background = style(body, "backgroundColor")
    assert dark.evaluate(LUMINANCE, background) < 0.05
    assert dark.evaluate(LUMINANCE, style(body, "color")) > 0.6
    link = dark.locator(".body a").first
    assert contrast(dark, style(link, "color"), background) >= 4.5
    preview = dark.locator(".term-preview").first
    assert (
        contrast(dark, style(preview, "color"), style(preview, "backgroundColor"))
        >= 4.5
    )
    html = dark.locator("html")
    assert style(html, "scrollBehavior") == "auto"
    assert style(dark.locator(".site-header button"), "transitionDuration") == "0s"

    light = context_of(color_scheme="light", reduced_motion="no-preference")
    light.goto(f"{demo_site.url}{ARTICLE}")
    assert (
        light.evaluate(LUMINANCE, style(light.locator("body"), "backgroundColor")) > 0.9
    )
    assert style(light.locator("html"), "scrollBehavior") == "smooth"


def test_long_article_contents_link_to_headings_beside_or_above_the_body(
    demo_site, context_of
):
    short = make_article(body="## One\n\nText.\n\n## Two\n\nMore text.")
    wide = context_of(viewport={"width": 1280, "height": 800})
    wide.goto(f"{demo_site.url}{ARTICLE}")
    contents = wide.get_by_role("navigation", name="On this page")
    assert contents.get_by_role("link").count() == 5
    contents.get_by_role("link", name="Blocking cytokines with medicines").click()
    wide.wait_for_url(re.compile("#blocking-cytokines-with-medicines$"))
    # Scrolling is smooth, so the heading arrives at the top of the window.
    wide.wait_for_function(
        "() => { const top = document.getElementById("
        "'blocking-cytokines-with-medicines').getBoundingClientRect().top;"
        " return top >= 0 && top < 100; }"
    )
    # Beside the body, and still in view after the jump.
    box = contents.bounding_box()
    body = wide.locator(".body").bounding_box()
    assert box["x"] >= body["x"] + body["width"]
    assert 0 <= box["y"] < 800

    phone = context_of(viewport={"width": 390, "height": 844})
    phone.goto(f"{demo_site.url}{ARTICLE}")
    box = phone.get_by_role("navigation", name="On this page").bounding_box()
    assert box["y"] + box["height"] <= phone.locator(".body").bounding_box()["y"]

    phone.goto(f"{demo_site.url}{short.get_absolute_url()}")
    assert phone.get_by_text("On this page").count() == 0


def test_one_search_box_big_tap_targets_and_a_skip_link_that_shows(demo_site, page):
    for path in ("/", "/search/", "/search/?q=tnf"):
        page.goto(f"{demo_site.url}{path}")
        assert page.locator("input[type=search]").count() == 1, path
        assert page.get_by_role("search").count() == 1, path
    assert page.locator("input[type=search]").input_value() == "tnf"

    page.goto(f"{demo_site.url}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("element => element === document.activeElement") is True
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["x"] >= 0
    # A focus ring that shows.
    assert style(skip, "outlineStyle") == "solid"
    assert float(style(skip, "outlineWidth").removesuffix("px")) >= 2

    small = []
    for path, selector in (
        ("/glossary/", ".letter-bar a"),
        ("/glossary/", ".kind-filter a"),
        (ARTICLE, ".tags a"),
        (ARTICLE, ".site-nav a"),
    ):
        page.goto(f"{demo_site.url}{path}")
        links = page.locator(selector)
        assert links.count() > 0, selector
        for box in (link.bounding_box() for link in links.all()):
            if box["width"] < 24 or box["height"] < 24:
                small.append((selector, box))
    assert small == []
