import re

import pytest


def test_reader_opens_demo_article_and_follows_reference_link(demo_site, page):
    # The site has no network access to the DOI resolver, so the browser's
    # request for it is answered here; what matters is where the click goes.
    page.route(
        "https://doi.org/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<title>Resolved DOI</title>"
        ),
    )
    page.goto(f"{demo_site.url}/")
    page.get_by_role("link", name="What are cytokines?").click()
    page.wait_for_url("**/articles/what-are-cytokines/")
    assert page.get_by_role("heading", level=1).inner_text() == "What are cytokines?"

    references = page.locator("section.references ol > li")
    assert references.count() == 3
    mcinnes = page.locator("#ref-mcinnes-2007")
    assert mcinnes.inner_text().startswith("McInnes IB, Schett G.")

    mcinnes.get_by_role("link", name="10.1038/nri2094").click()
    page.wait_for_url("https://doi.org/10.1038/nri2094")
    assert page.title() == "Resolved DOI"


def test_keyboard_focus_on_glossary_link_shows_its_definition(demo_site, page):
    page.goto(f"{demo_site.url}/articles/what-are-cytokines/")
    link = page.locator(".body a.term-link", has_text="adalimumab")
    preview = page.locator("#" + link.get_attribute("aria-describedby"))
    assert preview.is_visible() is False

    # Tab through the page until the adalimumab link has focus, as a keyboard
    # user would.
    for _ in range(200):
        page.keyboard.press("Tab")
        if link.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("The adalimumab link never received keyboard focus")

    assert preview.is_visible() is True
    assert "monoclonal antibody against TNF-alpha" in preview.inner_text()
    # Screen readers announce the preview as the link's description.
    description = link.evaluate(
        "element => document.getElementById("
        "element.getAttribute('aria-describedby')).textContent"
    )
    assert description.startswith("Adalimumab: ")


def test_citation_number_leads_to_reference_and_back(demo_site, page):
    page.goto(f"{demo_site.url}/articles/what-are-cytokines/")
    first_citation = page.locator("sup.citation a").first
    assert first_citation.inner_text() == "1"
    first_citation.click()
    page.wait_for_url(re.compile(r"#ref-biobasics-2006$"))
    entry = page.locator("#ref-biobasics-2006")
    assert entry.evaluate("element => element.matches(':target')") is True
    assert entry.locator("xpath=..").locator("li").first.get_attribute("id") == (
        "ref-biobasics-2006"
    )

    entry.locator("a.backref").first.click()
    page.wait_for_url(re.compile(r"#cite-biobasics-2006-1$"))
    assert first_citation.evaluate("element => element.matches(':target')") is True


def test_reader_copies_the_apa_citation_with_its_button(demo_site, page):
    page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=demo_site.url
    )
    page.goto(f"{demo_site.url}/articles/what-are-cytokines/")
    box = page.locator("section.cite-box")
    citation = box.locator("#cite-apa").inner_text()
    assert citation.startswith("Editorial team. (2026, November 20).")

    box.get_by_role("button", name="Copy APA citation").click()
    status = box.get_by_role("status")
    status.filter(has_text="APA citation copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == citation
