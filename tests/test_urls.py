from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest
from django.urls import resolve
from django.utils import timezone

from articles.models import Article
from portal.models import PAGE_ROUTE_NAME, address_taken_by_site
from tests.factories import make_article, make_term

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


def sitemap_lastmods(client):
    """{address: lastmod} of every entry in the parsed sitemap."""
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)
    return {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.iter(f"{SITEMAP}url")
    }


def test_sitemap_lists_published_articles_and_terms_not_drafts(client, demo):
    make_article(title="Secret draft", slug="secret-draft", status=Article.Status.DRAFT)
    xml = client.get("/sitemap.xml").content.decode()
    assert "/articles/what-are-cytokines/</loc>" in xml
    assert "/glossary/adalimumab/</loc>" in xml
    assert "secret-draft" not in xml


def test_feed_lists_published_articles_not_drafts(client, demo):
    make_article(title="Secret draft", status=Article.Status.DRAFT)
    xml = client.get("/articles/feed/").content.decode()
    assert "<title>What are cytokines?</title>" in xml
    assert "Secret draft" not in xml


def test_sitemap_lists_content_and_site_pages_each_with_lastmod(client, demo):
    lastmods = sitemap_lastmods(client)
    assert lastmods[SITE + "/articles/what-are-cytokines/"] == "2026-11-20"
    for path in ("/glossary/adalimumab/", "/glossary/tnf-alpha/", "/about/"):
        assert lastmods[SITE + path]
    assert lastmods[SITE + "/tags/treatment/"]
    assert lastmods[SITE + "/"] == lastmods[SITE + "/articles/"] == "2026-11-20"
    assert lastmods[SITE + "/glossary/"]
    assert SITE + "/references/" in lastmods


def test_sitemap_dates_a_tag_page_by_its_latest_item(client):
    for day in (3, 19, 11):
        make_article(
            tags=["biosimilars"], updated_at=datetime(2025, 5, day, tzinfo=UTC)
        )
    make_article(
        tags=["biosimilars"],
        status=Article.Status.DRAFT,
        updated_at=datetime(2025, 6, 1, tzinfo=UTC),
    )
    assert sitemap_lastmods(client)[SITE + "/tags/biosimilars/"] == "2025-05-19"
    make_term().tags.set(["biosimilars"])
    today = timezone.now().date().isoformat()
    assert sitemap_lastmods(client)[SITE + "/tags/biosimilars/"] == today


def test_sitemap_leaves_out_tags_only_drafts_and_archives_carry(client, demo):
    make_article(status=Article.Status.DRAFT, tags=["unfinished"])
    make_article(status=Article.Status.ARCHIVED, tags=["withdrawn"])
    make_article(tags=["finished"])
    addresses = sitemap_lastmods(client)
    assert SITE + "/tags/finished/" in addresses
    assert SITE + "/tags/unfinished/" not in addresses
    assert SITE + "/tags/withdrawn/" not in addresses


def test_robots_txt_keeps_crawlers_from_admin_and_search(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for line in (
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /glossary/search/",
    ):
        assert line in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


def test_atom_feed_entries_carry_what_readers_show(client, demo):
    make_article(title="Secret draft", status=Article.Status.DRAFT)
    response = client.get("/feeds/articles/")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    entries = {
        entry.findtext(f"{ATOM}title"): entry for entry in root.iter(f"{ATOM}entry")
    }
    assert "Secret draft" not in entries
    entry = entries["What are cytokines?"]
    address = SITE + "/articles/what-are-cytokines/"
    assert entry.findtext(f"{ATOM}title") == "What are cytokines?"
    assert entry.findtext(f"{ATOM}id") == address
    assert entry.find(f"{ATOM}link").attrib["href"] == address
    assert entry.findtext(f"{ATOM}published") == "2026-11-02T09:00:00+00:00"
    assert entry.findtext(f"{ATOM}updated") == "2026-11-20T09:00:00+00:00"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Editorial team"
    assert entry.findtext(f"{ATOM}summary").startswith("Cytokines are the protein")


@pytest.mark.parametrize("address", ["/feeds/articles/rss/", "/articles/feed/"])
def test_rss_feed_answers_at_its_old_and_new_address(client, demo, address):
    root = ElementTree.fromstring(client.get(address).content)
    assert sorted(item.findtext("link") for item in root.iter("item")) == [
        SITE + "/articles/biologic-medicines-for-rheumatoid-arthritis/",
        SITE + "/articles/interleukin-1-and-inflammation/",
        SITE + "/articles/what-are-cytokines/",
    ]


def test_static_stylesheet_is_served(client):
    response = client.get("/static/portal/site.css")
    assert response.status_code == 200
    assert b"--accent" in b"".join(response.streaming_content)


@pytest.mark.parametrize(
    "address",
    [
        "/",
        "/articles/",
        "/articles/feed/",
        "/robots.txt",
        "/glossary/",
        "/glossary/search/",
        "/references/",
        "/search/",
        "/tags/tnf/",
        "/admin/",
        "/sitemap.xml",
    ],
)
def test_site_addresses_are_never_taken_by_site_pages(address):
    assert resolve(address).url_name != PAGE_ROUTE_NAME
    slug = address.strip("/").split("/")[0]
    # A slug has no dot, so no page could be at /sitemap.xml/.
    if slug and "." not in slug:
        assert address_taken_by_site(slug)


@pytest.mark.parametrize(
    "slug", ["about", "editorial-policy", "disclaimer", "privacy", "accessibility"]
)
def test_site_page_addresses_reach_the_page_route(slug):
    assert resolve(f"/{slug}/").url_name == PAGE_ROUTE_NAME
    assert address_taken_by_site(slug) == ""


def test_favicon_ico_redirects_to_the_served_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/portal/favicon.svg"
    # Kept by the browser a day, not asked for on every page.
    assert "max-age=86400" in response["Cache-Control"]
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"
