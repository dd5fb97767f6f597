"""Breadcrumbs as a reader sees them, on a desktop window and on a phone."""

import pytest

ARTICLE = "/articles/what-are-cytokines/"


@pytest.mark.parametrize("width", [1280, 375])
def test_breadcrumbs_show_the_way_home_above_the_article(demo_site, page, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(demo_site.url + ARTICLE)
    trail = page.get_by_role("navigation", name="Breadcrumb")
    assert trail.is_visible()
    links = trail.get_by_role("link")
    assert links.all_inner_texts() == ["Home", "Articles"]
    current = trail.locator('[aria-current="page"]')
    assert current.inner_text() == "What are cytokines?"
    box = trail.bounding_box()
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= width
    assert box["y"] + box["height"] <= heading["y"]
    separator = page.evaluate(
        "getComputedStyle(document.querySelectorAll('.breadcrumbs li')[1],"
        " '::before').content"
    )
    assert "›" in separator
