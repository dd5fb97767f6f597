"""
In Chromium: glossary link previews for keyboard, mouse and touch users,
inside the window at every width, and a relation diagram readable on a
phone and on a desktop.
"""

import re

import pytest

from glossary.models import Term
from tests.factories import make_term

ARTICLE = "/articles/what-are-cytokines/"
FIRST_TERM_LINK = ".body a.term-link[aria-describedby]"
MAX_TABS = 60


def is_focused(locator):
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, locator, tabs_so_far=0):
    """Press Tab until `locator` has focus; return the Tabs pressed in all."""
    tabs = tabs_so_far
    while not is_focused(locator):
        tabs += 1
        assert tabs < MAX_TABS, "never reached by Tab"
        page.keyboard.press("Tab")
    return tabs


def preview_of(page, link):
    return page.locator("#" + link.get_attribute("aria-describedby"))


def inside_window(page, locator):
    left, right = locator.evaluate(
        "element => { const box = element.getBoundingClientRect();"
        " return [box.left, box.right]; }"
    )
    return 0 <= left and right <= page.viewport_size["width"]


def test_keyboard_journey_through_preview_to_reference_and_back(demo_site, page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{demo_site.url}{ARTICLE}")
    link = page.locator(FIRST_TERM_LINK).first
    preview = preview_of(page, link)

    tabs = tab_to(page, link)
    assert preview.is_visible() is True
    assert inside_window(page, preview) is True

    page.keyboard.press("Escape")
    assert preview.is_visible() is False
    assert is_focused(link) is True
    # Hidden until focus leaves and comes back.
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    assert is_focused(link) is True
    assert preview.is_visible() is True

    citation = page.locator(".body sup.citation a").first
    assert citation.inner_text() == "1"
    tab_to(page, citation, tabs)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#ref-biobasics-2006$"))
    entry = page.locator("#ref-biobasics-2006")
    assert entry.evaluate("element => element.matches(':target')") is True

    # Tab goes on from the reference the link led to, to its back link.
    back = entry.locator("a.backref").first
    assert tab_to(page, back) <= 3
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#cite-biobasics-2006-1$"))
    assert citation.evaluate("element => element.matches(':target')") is True


def test_hovered_preview_stays_under_pointer_and_escape_dismisses_it(demo_site, page):
    page.goto(f"{demo_site.url}{ARTICLE}")
    link = page.locator(FIRST_TERM_LINK).first
    preview = preview_of(page, link)

    link.hover()
    assert preview.is_visible() is True
    # The pointer crosses the gap onto the preview, and it stays open.
    preview.hover()
    page.wait_for_timeout(600)
    assert preview.is_visible() is True

    page.keyboard.press("Escape")
    assert preview.is_visible() is False
    link.hover()
    page.wait_for_timeout(100)
    assert preview.is_visible() is False

    page.mouse.move(0, 0)
    page.wait_for_timeout(600)
    link.hover()
    assert preview.is_visible() is True


@pytest.fixture
def term_with_links(demo_site):
    """A term page whose body links several terms, near both edges."""
    term = make_term(
        name="Cytokine storm",
        slug="cytokine-storm",
        definition="An immune reaction out of control.",
        body=(
            "Macrophages pour out TNF-alpha and interleukin-1. Doctors may "
            "give adalimumab, etanercept, infliximab or anakinra, a drug "
            "for rheumatoid arthritis, to calm the inflammation."
        ),
    )
    return term.get_absolute_url()


OPEN_EACH_PREVIEW = """
() => Array.from(document.querySelectorAll(".body .term-link[aria-describedby]"),
  link => {
    link.focus();
    const preview = document.getElementById(link.getAttribute("aria-describedby"));
    const box = preview.getBoundingClientRect();
    return {
      name: link.textContent,
      shown: getComputedStyle(preview).display !== "none",
      left: box.left,
      right: box.right,
      pageWidth: document.documentElement.scrollWidth,
    };
  })
"""


def previews_outside_window(page, width):
    """Each preview, opened by focus as Tab would, that crosses an edge."""
    page.set_viewport_size({"width": width, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") == width
    previews = page.evaluate(OPEN_EACH_PREVIEW)
    assert len(previews) >= 8
    return [
        preview
        for preview in previews
        if not preview["shown"]
        or preview["left"] < 0
        or preview["right"] > width
        or preview["pageWidth"] > width
    ]


@pytest.mark.parametrize("width", [320, 375, 768, 1280])
def test_open_previews_stay_inside_the_window(demo_site, term_with_links, page, width):
    for path in (ARTICLE, term_with_links):
        page.goto(f"{demo_site.url}{path}")
        assert previews_outside_window(page, width) == [], path


@pytest.mark.parametrize("width", [320, 768])
def test_previews_stay_inside_the_window_without_script(demo_site, browser, width):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{demo_site.url}{ARTICLE}")
    assert previews_outside_window(page, width) == []
    context.close()


def test_preview_does_not_animate_when_reduced_motion_is_asked_for(demo_site, page):
    page.goto(f"{demo_site.url}{ARTICLE}")
    link = page.locator(FIRST_TERM_LINK).first
    preview = preview_of(page, link)
    animation = "element => getComputedStyle(element).animationName"
    link.focus()
    assert preview.evaluate(animation) != "none"
    page.emulate_media(reduced_motion="reduce")
    assert preview.evaluate(animation) == "none"


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_first_tap_opens_preview_and_its_link_leads_to_the_term(demo_site, phone):
    url = f"{demo_site.url}{ARTICLE}"
    phone.goto(url)
    link = phone.locator(".body a.term-link", has_text="adalimumab")
    preview = preview_of(phone, link)

    link.tap()
    assert preview.is_visible() is True
    assert phone.url == url
    assert link.get_attribute("aria-expanded") == "true"
    assert inside_window(phone, preview) is True
    # Holding a link, it is a small dialog the link controls, not a tooltip.
    assert preview.get_attribute("role") == "dialog"
    assert link.get_attribute("aria-controls") == preview.get_attribute("id")

    # A tap on its text leaves it open; a tap elsewhere closes it.
    preview.locator("strong").tap()
    assert preview.is_visible() is True
    phone.get_by_role("heading", level=1).tap()
    assert preview.is_visible() is False
    assert link.get_attribute("aria-expanded") is None
    assert preview.get_attribute("role") == "tooltip"

    link.tap()
    read_more = preview.get_by_role("link", name="Read more about Adalimumab")
    read_more.tap()
    phone.wait_for_url("**/glossary/adalimumab/")


def test_second_tap_on_a_glossary_link_follows_it(demo_site, phone):
    phone.goto(f"{demo_site.url}{ARTICLE}")
    link = phone.locator(".body a.term-link", has_text="adalimumab")
    link.tap()
    assert preview_of(phone, link).is_visible() is True
    link.tap()
    phone.wait_for_url("**/glossary/adalimumab/")


MEASURE_DIAGRAM = """
() => {
  const drawings = [...document.querySelectorAll(".relations svg")]
    .filter(svg => getComputedStyle(svg).display !== "none");
  const svg = drawings[0];
  const frame = svg.parentElement.getBoundingClientRect();
  const box = element => {
    const r = element.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom];
  };
  const scale = svg.getScreenCTM().a;
  return {
    shown: drawings.length,
    // What the drawing shows, not its title and description.
    text: [...svg.querySelectorAll("text")].map(
      text => text.textContent.replace(/\\s+/g, " ")).join(" | "),
    boxes: [...svg.querySelectorAll("rect")].map(box),
    labels: [...svg.querySelectorAll(".diagram-label")].map(box),
    names: [...svg.querySelectorAll("rect + text")].map(text => ({
      text: box(text), box: box(text.previousElementSibling),
    })),
    smallestText: Math.min(...[...svg.querySelectorAll("text")].map(
      text => parseFloat(getComputedStyle(text).fontSize) * scale)),
    offCentre: Math.abs(
      (frame.left + frame.right) / 2
      - (svg.getBoundingClientRect().left + svg.getBoundingClientRect().right) / 2),
    pageWidth: document.documentElement.scrollWidth,
  };
}
"""


def overlap(first, second):
    return (
        first[0] < second[2]
        and second[0] < first[2]
        and first[1] < second[3]
        and second[1] < first[3]
    )


def within(inner, outer):
    return (
        outer[0] <= inner[0]
        and inner[2] <= outer[2]
        and outer[1] <= inner[1]
        and inner[3] <= outer[3]
    )


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize(
    "slug, relation_count", [("tnf-alpha", 6), ("rheumatoid-arthritis", 7)]
)
def test_relation_diagram_shows_full_names_readably(
    demo_site, page, width, slug, relation_count
):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{demo_site.url}/glossary/{slug}/")
    diagram = page.evaluate(MEASURE_DIAGRAM)

    assert diagram["shown"] == 1
    term = Term.objects.get(slug=slug)
    related = [other.name for __, others in term.relation_groups() for other in others]
    assert len(related) == relation_count
    for name in related + [term.name]:
        assert name in diagram["text"]
    parts = diagram["boxes"] + diagram["labels"]
    assert diagram["labels"]
    assert [
        (first, second)
        for number, first in enumerate(parts)
        for second in parts[number + 1 :]
        if overlap(first, second)
    ] == []
    assert all(within(name["text"], name["box"]) for name in diagram["names"])
    assert diagram["smallestText"] >= 12
    assert diagram["offCentre"] <= 1
    assert diagram["pageWidth"] == width
