import pytest
from django.db import IntegrityError

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_article_slug_fills_from_title():
    article = make_article(title="What are cytokines?")
    assert article.slug == "what-are-cytokines"


def test_article_slug_clash_gets_numbered_suffix():
    first = make_article(title="Same title")
    second = make_article(title="Same title")
    third = make_article(title="Same title")
    assert [first.slug, second.slug, third.slug] == [
        "same-title",
        "same-title-2",
        "same-title-3",
    ]


def test_article_explicit_duplicate_slug_is_refused_by_database():
    make_article(slug="taken")
    with pytest.raises(IntegrityError):
        Article.objects.create(title="Other", slug="taken")


def test_article_slug_from_symbols_only_title_is_not_blank():
    assert make_article(title="???").slug == "article"
