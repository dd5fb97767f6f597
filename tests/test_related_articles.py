"""
"Related articles" on an article page: other published articles that share
its glossary terms or tags, the most shared first.
"""

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_term
from tests.html import element, elements, links, text

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timezone.timedelta(days=days)


def related_titles(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    section = element(html, "section", class_="related-articles")
    assert text(element(section, "h2")) == "Related articles"
    return [title for _, title in links(section)]


@pytest.fixture
def terms(db):
    for name in ("Adalimumab", "Etanercept", "Infliximab", "Anakinra"):
        make_term(name=name)


def make_sharing(title, terms=(), tags=(), updated_days_ago=10, **fields):
    """An article whose body names `terms` (so it links them) and has `tags`."""
    return make_article(
        title=title,
        body=" and ".join(terms) or "Nothing in the glossary.",
        tags=tags,
        updated_at=days_ago(updated_days_ago),
        **fields,
    )


def test_related_articles_rank_by_shared_terms_and_tags_then_recent_update(
    client, terms
):
    article = make_sharing(
        "Biologic medicines",
        terms=["Adalimumab", "Etanercept", "Infliximab"],
        tags=["treatment", "arthritis"],
    )
    make_sharing("Three terms", ["Adalimumab", "Etanercept", "Infliximab"])
    make_sharing(
        "Two tags and a term, newer",
        ["Adalimumab"],
        ["treatment", "arthritis"],
        updated_days_ago=1,
    )
    make_sharing("Two terms", ["Etanercept", "Infliximab"])
    make_sharing("Tagged alike, newer", tags=["arthritis"], updated_days_ago=2)
    make_sharing("Named once, older", ["Infliximab"], updated_days_ago=20)
    make_sharing("Mentioned once, oldest", ["Adalimumab"], updated_days_ago=30)
    make_sharing("Other term and tag", ["Anakinra"], ["diet"])
    assert related_titles(client, article) == [
        "Two tags and a term, newer",
        "Three terms",
        "Two terms",
        "Tagged alike, newer",
        "Named once, older",
    ]


def test_related_articles_leave_out_unpublished_and_the_article_itself(client, terms):
    shared = {"terms": ["Adalimumab"], "tags": ["treatment"]}
    article = make_sharing("Biologic medicines", **shared)
    make_sharing("Draft", status=Article.Status.DRAFT, **shared)
    make_sharing("In review", status=Article.Status.IN_REVIEW, **shared)
    make_sharing("Archived", status=Article.Status.ARCHIVED, **shared)
    make_sharing(
        "Scheduled", published_at=timezone.now() + timezone.timedelta(days=1), **shared
    )
    make_sharing("Published", **shared)
    assert related_titles(client, article) == ["Published"]


def test_related_articles_are_hidden_when_nothing_is_shared(client, terms):
    article = make_sharing("Biologic medicines", ["Adalimumab"], ["treatment"])
    make_sharing("Unrelated", ["Anakinra"], ["diet"])
    html = client.get(article.get_absolute_url()).content.decode()
    assert not elements(html, "section", class_="related-articles")
    assert "Related articles" not in html


def test_demo_articles_list_each_other(client, demo):
    page = Article.objects.get(slug="what-are-cytokines")
    related = related_titles(client, page)
    assert "Biologic medicines for rheumatoid arthritis" in related
    assert "What are cytokines?" not in related
