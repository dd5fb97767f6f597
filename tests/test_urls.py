import pytest

from articles.models import Article
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
