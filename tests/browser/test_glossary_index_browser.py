"""The glossary's A–Z index read with scripts off, on a phone-sized screen."""

import re

import pytest

from tests.factories import make_terms


@pytest.fixture
def long_index(live_server):
    make_terms(f"Beta {number:03}" for number in range(150))
    make_terms(["Cytokine", "Cell"])
    return live_server


def test_index_is_read_by_plain_links_without_scripts(browser, long_index):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 375, "height": 800}
    )
    page = context.new_page()
    page.goto(f"{long_index.url}/glossary/")
    letters = page.get_by_role("navigation", name="First letters")
    letters.get_by_role("link", name="B (150)").click()
    page.wait_for_url(re.compile(r"/glossary/letter/b/$"))
    page.get_by_role("navigation", name="Pages of terms under B").get_by_role(
        "link", name="Next"
    ).click()
    page.wait_for_url(re.compile(r"/glossary/letter/b/\?page=2$"))
    names = page.locator(".term-list > li > a").all_inner_texts()
    assert names == [f"Beta {number:03}" for number in range(100, 150)]
    # Every letter of the bar is on screen: it wraps rather than scrolls.
    boxes = [item.bounding_box() for item in letters.locator("li").all()]
    assert len(boxes) == 26
    assert all(0 <= box["x"] and box["x"] + box["width"] <= 375 for box in boxes)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()
