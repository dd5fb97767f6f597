"""
What each page tells readers and search engines about itself: breadcrumbs,
title, meta description, canonical address and Open Graph.
"""

import pytest

from articles.models import Article
from portal.templatetags.page_meta import meta_description
from tests.factories import make_article, make_term
from tests.html import element, elements, json_ld, links, meta_content, text

pytestmark = pytest.mark.django_db

ARTICLE = "/articles/what-are-cytokines/"
SITE = "http://testserver"


def breadcrumbs(html):
    """(links before the current page, the current page's text)."""
    nav = element(html, "nav", class_="breadcrumbs")
    assert nav.attrs["aria-label"] == "Breadcrumb"
    current = element(nav, "li", aria_current="page")
    assert elements(current, "a") == []
    return links(nav), text(current)


@pytest.mark.parametrize(
    ("address", "trail", "current"),
    [
        (ARTICLE, [("/", "Home"), ("/articles/", "Articles")], "What are cytokines?"),
        ("/articles/", [("/", "Home")], "Articles"),
        (
            "/glossary/adalimumab/",
            [("/", "Home"), ("/glossary/", "Glossary")],
            "Adalimumab",
        ),
        ("/glossary/", [("/", "Home")], "Glossary"),
        (
            "/glossary/search/?q=humira",
            [("/", "Home"), ("/glossary/", "Glossary")],
            "Search",
        ),
        ("/references/", [("/", "Home")], "References"),
        ("/search/?q=tnf", [("/", "Home")], "Search"),
        ("/tags/treatment/", [("/", "Home")], "Tagged “treatment”"),
        ("/about/", [("/", "Home")], "About"),
        ("/no-such-page/", [("/", "Home")], "Page not found"),
    ],
)
def test_page_breadcrumbs_lead_home_and_end_at_the_page(
    client, demo, address, trail, current
):
    assert breadcrumbs(client.get(address).content.decode()) == (trail, current)


def test_breadcrumbs_open_the_main_content(client, demo):
    main = element(client.get(ARTICLE).content.decode(), "main")
    first = next(child for child in main.children if not isinstance(child, str))
    assert first.attrs.get("class") == "breadcrumbs"


def test_home_page_has_no_breadcrumbs_and_is_shared_as_the_site(client, demo):
    html = client.get("/").content.decode()
    assert elements(html, "nav", class_="breadcrumbs") == []
    assert json_ld(html) == []
    assert meta_content(html, property="og:title") == "Cytokine Health Library"
    assert meta_content(html, property="og:description") == meta_content(
        html, name="description"
    )


def test_term_title_names_the_term_then_the_site(client, demo):
    head = element(client.get("/glossary/adalimumab/").content.decode(), "head")
    assert text(element(head, "title")) == "Adalimumab · Cytokine Health Library"


def test_article_description_is_its_summary_cut_at_a_word(client):
    summary = (
        "Interleukin-6 drives the fever, fatigue and joint swelling of "
        "rheumatoid arthritis; blocking its receptor with tocilizumab calms "
        "the disease in many people whose joints did not respond to "
        "methotrexate or to a TNF blocker."
    )
    article = make_article(summary=summary)
    html = client.get(article.get_absolute_url()).content.decode()
    description = meta_content(html, name="description")
    assert description == (
        "Interleukin-6 drives the fever, fatigue and joint swelling of "
        "rheumatoid arthritis; blocking its receptor with tocilizumab calms "
        "the disease in many people…"
    )
    assert len(description) <= 160
    assert meta_content(html, property="og:description") == description


def test_term_description_is_its_definition(client):
    term = make_term(
        name="Interleukin-17", definition="A cytokine of <b>psoriasis</b>."
    )
    html = client.get(term.get_absolute_url()).content.decode()
    assert meta_content(html, name="description") == "A cytokine of psoriasis."


def test_meta_description_is_one_line_of_plain_text():
    assert meta_description("<p>Two\n  lines</p> <p>of text &amp; more.</p>") == (
        "Two lines of text & more."
    )


def test_article_canonical_and_open_graph_are_absolute_without_tracking(client, demo):
    html = client.get(ARTICLE + "?utm_source=newsletter&ref=x").content.decode()
    canonical = element(html, "link", rel="canonical").attrs["href"]
    assert canonical == SITE + ARTICLE
    assert meta_content(html, property="og:url") == SITE + ARTICLE
    assert meta_content(html, property="og:title") == "What are cytokines?"
    assert meta_content(html, property="og:type") == "article"
    assert meta_content(html, property="og:site_name") == "Cytokine Health Library"
    assert (
        meta_content(html, property="article:modified_time")
        == "2026-11-20T09:00:00+00:00"
    )


def test_other_pages_are_websites_without_modified_time(client, demo):
    html = client.get("/glossary/").content.decode()
    assert meta_content(html, property="og:type") == "website"
    assert elements(html, "meta", property="article:modified_time") == []
    assert meta_content(html, property="og:title") == "Glossary: terms under A"


def test_canonical_keeps_the_page_number_only(client):
    for number in range(21):
        make_article(title=f"Cytokine note {number}")
    html = client.get("/articles/?page=2&utm_campaign=x").content.decode()
    canonical = element(html, "link", rel="canonical").attrs["href"]
    assert canonical == SITE + "/articles/?page=2"


def test_head_links_the_atom_and_rss_feeds(client, demo):
    html = client.get("/").content.decode()
    atom = element(html, "link", rel="alternate", type="application/atom+xml")
    rss = element(html, "link", rel="alternate", type="application/rss+xml")
    assert (atom.attrs["href"], rss.attrs["href"]) == (
        "/feeds/articles/",
        "/feeds/articles/rss/",
    )


def test_site_url_setting_gives_the_public_address(client, demo, settings):
    settings.PORTAL_SITE_URL = "https://health.example.org"
    html = client.get(ARTICLE).content.decode()
    public = "https://health.example.org" + ARTICLE
    assert element(html, "link", rel="canonical").attrs["href"] == public
    assert json_ld(html)[0]["url"] == public
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: https://health.example.org/sitemap.xml" in robots
    assert f"<loc>{public}</loc>" in client.get("/sitemap.xml").content.decode()
    assert f'href="{public}"' in client.get("/feeds/articles/").content.decode()


def test_draft_preview_for_staff_still_renders_its_meta(staff_client):
    article = make_article(title="Work in progress", status=Article.Status.DRAFT)
    html = staff_client.get(article.get_absolute_url()).content.decode()
    assert meta_content(html, property="og:title") == "Work in progress"


def test_archived_article_page_keeps_its_breadcrumbs(client):
    article = make_article(title="Old advice", status=Article.Status.ARCHIVED)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    assert breadcrumbs(response.content.decode()) == (
        [("/", "Home"), ("/articles/", "Articles")],
        "Old advice",
    )


def test_request_for_another_host_is_a_bad_request_not_an_error(client):
    response = client.get("/articles/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "evil.example" not in response.content.decode()


@pytest.mark.parametrize("query", ["?page=²", "?page=" + "9" * 5000, "?page=0012"])
def test_odd_page_numbers_never_break_the_page(client, query):
    # The front page reads no page number, so the canonical link alone
    # meets it.
    response = client.get("/" + query)
    assert response.status_code == 200
    canonical = element(response.content.decode(), "link", rel="canonical")
    assert canonical.attrs["href"] == SITE + "/"
    # A list has no such page: a 404, which names no canonical address.
    response = client.get("/articles/" + query)
    assert response.status_code == 404
    html = response.content.decode()
    assert elements(html, "link", rel="canonical") == []
    assert meta_content(html, name="robots") == "noindex"


def test_article_says_when_it_was_published_and_modified(client, demo):
    html = client.get("/articles/what-are-cytokines/").content.decode()
    published = meta_content(html, property="article:published_time")
    assert published == "2026-11-02T09:00:00+00:00"
    modified = meta_content(html, property="article:modified_time")
    assert modified == "2026-11-20T09:00:00+00:00"


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/glossary/?kind=drug", "Glossary: terms under A (Drug)"),
        ("/glossary/letter/e/?kind=drug", "Glossary: terms under E (Drug)"),
        ("/glossary/letter/zz/", "Glossary: page not found"),
        ("/glossary/?page=99", "Glossary: page not found"),
    ],
)
def test_glossary_titles_say_what_the_page_lists(client, demo, path, title):
    html = client.get(path).content.decode()
    assert text(element(html, "title")) == f"{title} · Cytokine Health Library"


def test_glossary_index_with_a_bad_page_number_keeps_the_way_back(client, demo):
    response = client.get("/glossary/letter/a/?page=abc")
    assert response.status_code == 400
    html = response.content.decode()
    trail = element(html, "nav", **{"aria-label": "Breadcrumb"})
    assert links(trail) == [("/", "Home"), ("/glossary/", "Glossary")]
    assert text(element(trail, "li", **{"aria-current": "page"})) == (
        "Request not understood"
    )
    assert meta_content(html, name="robots") == "noindex"
