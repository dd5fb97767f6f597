"""
The shell every public page shares (portal/templates/base.html): one
search box, landmarks each once and labelled, one h1 and no skipped
heading level.
"""

import re

import pytest

from tests.html import element, elements

pytestmark = pytest.mark.django_db

PAGES = {
    "home": ("/", 200),
    "article list": ("/articles/", 200),
    "article": ("/articles/what-are-cytokines/", 200),
    "glossary": ("/glossary/", 200),
    "term": ("/glossary/adalimumab/", 200),
    "search": ("/search/", 200),
    "search results": ("/search/?q=tnf", 200),
    "glossary search": ("/glossary/search/?q=tnf", 200),
    "references": ("/references/", 200),
    "tag": ("/tags/treatment/", 200),
    "site page": ("/about/", 200),
    "not found": ("/articles/no-such-article/", 404),
}


def heading_levels(html):
    return [
        int(heading.tag[1])
        for heading in elements(html)
        if re.fullmatch(r"h[1-6]", heading.tag)
    ]


@pytest.fixture
def page_html(client, demo, request):
    address, status = PAGES[request.param]
    response = client.get(address)
    assert response.status_code == status
    return response.content.decode()


@pytest.mark.parametrize("page_html", PAGES, indirect=True)
def test_page_has_one_labelled_search_box_in_its_header(page_html):
    (box,) = elements(page_html, "input", type="search")
    (form,) = elements(page_html, "form", role="search")
    assert form.attrs["action"] == "/search/"
    assert form.attrs["aria-label"] == "Site search"
    header = element(page_html, "header", class_="site-header")
    assert elements(header, "input", type="search", id=box.attrs["id"]) != []
    assert element(page_html, "label", for_=box.attrs["id"]).text == "Search the site"


@pytest.mark.parametrize("page_html", PAGES, indirect=True)
def test_page_has_each_landmark_once_and_every_nav_labelled_uniquely(page_html):
    assert len(elements(page_html, "header", class_="site-header")) == 1
    assert len(elements(page_html, "main")) == 1
    assert len(elements(page_html, "footer", class_="site-footer")) == 1
    assert element(page_html, "a", class_="skip-link").attrs["href"] == "#main"
    assert element(page_html, "main").attrs["id"] == "main"
    labels = [
        nav.attrs.get("aria-label") or nav.attrs.get("aria-labelledby")
        for nav in elements(page_html, "nav")
    ]
    assert None not in labels
    assert len(labels) == len(set(labels))


@pytest.mark.parametrize("page_html", PAGES, indirect=True)
def test_page_has_one_h1_and_skips_no_heading_level(page_html):
    levels = heading_levels(page_html)
    assert levels.count(1) == 1
    assert levels[0] == 1
    skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert skips == []


def test_header_marks_the_section_the_page_is_in(client, demo):
    html = client.get("/glossary/adalimumab/").content.decode()
    nav = element(html, "nav", aria_label="Main")
    current = [link.text for link in elements(nav, "a") if "aria-current" in link.attrs]
    assert current == ["Glossary"]


def test_search_page_shows_the_query_in_the_header_box(client, demo):
    html = client.get("/search/", {"q": "Humira <b>"}).content.decode()
    assert element(html, "input", type="search").attrs["value"] == "Humira <b>"
    assert element(html, "h1").text == "Results for “Humira <b>”"
