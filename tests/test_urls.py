import pytest
from django.urls import resolve

from articles.models import Article
from portal.models import PAGE_ROUTE_NAME, address_taken_by_site
from tests.factories import make_article

pytestmark = pytest.mark.django_db


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
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"
