"""
Kept pages as readers and editors meet them: a second reader is served the
page without the database, and every edit an editor makes through the
admin (the article, a term it links, a reference it cites, a tag, a
relation, publishing and archiving) shows at once; so does a scheduled
article when its time comes. Browsers revalidate with ETag and
Last-Modified. Staff are always served a fresh page, and what they see is
never kept for readers. On Redis, pages are shared by every process; with
Redis down, pages are served uncached.
"""

import datetime
import uuid

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from caching import pages
from tests.admin_pages import SAVE_AND_PUBLISH, admin_form, change_url, set_row
from tests.factories import logged_in, make_article, make_reference, make_term
from tests.html import element, text

pytestmark = pytest.mark.django_db


def read(url, **headers):
    """The page as an anonymous reader's browser gets it."""
    return Client().get(url, **headers)


def page_text(url):
    return text(element(read(url).content.decode(), "main"))


@pytest.fixture
def article(db):
    """A published article linking a term, citing a reference, tagged."""
    make_term(
        name="Interleukin-6",
        kind="cytokine",
        definition="A messenger that keeps joints swollen.",
    )
    make_reference(key="roe-2020", title="Swelling in joints")
    # The citation puts the reference in the article's list.
    return make_article(
        title="Joint swelling",
        slug="joint-swelling",
        body="Interleukin-6 keeps swelling going [@roe-2020].",
        tags=["joints"],
    )


def edit(client, obj, publish=False, **fields):
    """Post `obj`'s whole admin change form with `fields` changed."""
    data = admin_form(client, change_url(obj))
    data.update(fields)
    if publish:
        data.update(SAVE_AND_PUBLISH)
    response = client.post(change_url(obj), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


# Hits


def test_second_reader_is_served_the_kept_page_without_the_database(
    article, django_assert_num_queries
):
    first = read(article.get_absolute_url())
    with django_assert_num_queries(0):
        second = read(article.get_absolute_url())
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "Cookie" in second["Vary"]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/articles/",
        "/articles/joint-swelling/",
        "/glossary/",
        "/glossary/letter/i/",
        "/glossary/interleukin-6/",
        "/tags/joints/",
        "/references/",
        "/glossary/suggest/?q=interl",
    ],
)
def test_readers_pages_are_kept(article, url, django_assert_num_queries):
    first = read(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        assert read(url).content == first.content


def test_a_change_the_page_does_not_show_leaves_it_kept(
    article, publisher, django_assert_num_queries
):
    unrelated = make_term(name="Fatigue", definition="Tiredness.")
    read(article.get_absolute_url())
    edit(
        logged_in(publisher), unrelated, definition="Tiredness that rest does not ease."
    )
    with django_assert_num_queries(0):
        assert read(article.get_absolute_url()).status_code == 200
    assert "rest does not ease" in page_text(unrelated.get_absolute_url())


@pytest.mark.parametrize("url", ["/search/?q=swelling", "/articles/no-such-article/"])
def test_search_results_and_missing_pages_are_not_kept(article, url):
    read(url)
    with CaptureQueriesContext(connection) as queries:
        read(url)
    assert len(queries) > 0


def test_suggestions_may_be_kept_by_browsers_for_a_minute(article):
    response = read("/glossary/suggest/?q=interl")
    assert response["Cache-Control"] == "public, max-age=60"


# Editors' changes show at once


def test_editing_the_article_shows_the_new_text(article, publisher):
    read(article.get_absolute_url())
    edit(
        logged_in(publisher),
        article,
        publish=True,
        body="Interleukin-6 keeps swelling going for weeks [@roe-2020].",
    )
    assert "for weeks" in page_text(article.get_absolute_url())


def test_editing_a_linked_term_shows_its_new_definition_in_the_article(
    article, publisher, django_capture_on_commit_callbacks
):
    term = article.mentioned_terms.get()
    assert "keeps joints swollen" in read(article.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        edit(logged_in(publisher), term, definition="A protein signal of inflammation.")
    html = read(article.get_absolute_url()).content.decode()
    assert "A protein signal of inflammation." in html
    assert "keeps joints swollen" not in html


def test_renaming_a_linked_term_shows_its_new_name_and_address(
    article, publisher, django_capture_on_commit_callbacks
):
    term = article.mentioned_terms.get()
    read(article.get_absolute_url())
    read("/glossary/letter/i/")
    with django_capture_on_commit_callbacks(execute=True):
        edit(
            logged_in(publisher),
            term,
            name="Interleukin 6",
            slug="interleukin-6-protein",
            aliases="Interleukin-6",
        )
    html = read(article.get_absolute_url()).content.decode()
    assert "/glossary/interleukin-6-protein/" in html
    assert "Interleukin 6" in page_text("/glossary/letter/i/")


@pytest.mark.parametrize(
    "shown, field, value, its_page",
    [
        (
            lambda article: article.references.get(),
            "title",
            "Swelling in small joints",
            "/references/",
        ),
        (lambda article: article.tags.get(), "name", "Joint health", "/tags/joints/"),
    ],
    ids=["cited reference", "tag"],
)
def test_editing_what_the_article_shows_shows_there_and_on_its_page(
    article, publisher, shown, field, value, its_page
):
    read(article.get_absolute_url())
    read(its_page)
    edit(logged_in(publisher), shown(article), **{field: value})
    assert value in page_text(article.get_absolute_url())
    assert value in page_text(its_page)


def test_tagging_another_article_lists_it_on_the_tag_page(article, publisher):
    other = make_article(title="Morning stiffness", slug="morning-stiffness")
    assert "Morning stiffness" not in page_text("/tags/joints/")
    edit(logged_in(publisher), other, publish=True, tags="joints")
    assert "Morning stiffness" in page_text("/tags/joints/")


def test_adding_a_relation_shows_it_on_both_terms(article, publisher):
    term = article.mentioned_terms.get()
    drug = make_term(name="Tocilizumab", kind="drug")
    read(term.get_absolute_url())
    read(drug.get_absolute_url())
    client = logged_in(publisher)
    data = admin_form(client, change_url(drug))
    prefix = next(
        key.removesuffix("-TOTAL_FORMS")
        for key in data
        if key.endswith("-TOTAL_FORMS") and "relation" in key and "incoming" not in key
    )
    set_row(data, prefix, 0, kind="inhibits", target=str(term.pk))
    response = client.post(change_url(drug), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Tocilizumab" in page_text(term.get_absolute_url())
    assert "Interleukin-6" in page_text(drug.get_absolute_url())


def test_publishing_and_archiving_change_the_lists(article, publisher):
    draft = make_article(
        title="Fatigue", slug="fatigue", status=Article.Status.DRAFT, published_at=None
    )
    assert "Fatigue" not in page_text("/")
    assert "Fatigue" not in page_text("/articles/")
    client = logged_in(publisher)
    edit(client, draft, publish=True, status="published")
    assert "Fatigue" in page_text("/")
    assert "Fatigue" in page_text("/articles/")
    assert read("/articles/fatigue/").status_code == 200

    edit(client, draft, status="archived")
    draft.refresh_from_db()
    assert draft.status == "archived"
    assert "Fatigue" not in page_text("/")
    assert read("/articles/fatigue/").status_code == 410


def test_a_scheduled_article_appears_when_its_time_comes(article, monkeypatch):
    start = timezone.now()
    make_article(
        title="Fatigue",
        slug="fatigue",
        published_at=start + datetime.timedelta(hours=1),
    )
    assert "Fatigue" not in page_text("/")
    assert "Fatigue" not in page_text("/glossary/interleukin-6/")

    # An hour later, with no write in between.
    later = start + datetime.timedelta(hours=1, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(pages, "now", lambda: int(later.timestamp() * 10**9))
    assert "Fatigue" in page_text("/")
    assert read("/articles/fatigue/").status_code == 200


def test_a_change_saved_while_the_page_renders_shows_on_the_next_view(
    article, monkeypatch
):
    list_references = Article.reference_list

    def saving_meanwhile(self):
        # Another editor's save, committed after the article was read.
        if not saving_meanwhile.saved:
            saving_meanwhile.saved = True
            other = Article.objects.get(pk=self.pk)
            other.summary = "Changed while the page was drawn."
            other.save()
        return list_references(self)

    saving_meanwhile.saved = False
    monkeypatch.setattr(Article, "reference_list", saving_meanwhile)
    url = article.get_absolute_url()
    assert "Changed while the page was drawn." not in read(url).content.decode()
    assert "Changed while the page was drawn." in read(url).content.decode()


# Browsers revalidate


def test_a_browser_holding_the_page_gets_304(article):
    first = read(article.get_absolute_url())
    again = read(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    since = read(
        article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    assert since.status_code == 304


def test_a_browser_holding_an_older_page_gets_the_new_one(article, publisher):
    first = read(article.get_absolute_url())
    edit(logged_in(publisher), article, publish=True, summary="A new summary.")
    again = read(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert "A new summary." in again.content.decode()


def test_the_first_reader_gets_validators_too(article):
    response = read(article.get_absolute_url())
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert response["Cache-Control"] == "no-cache"


# Staff


def test_staff_are_served_fresh_pages_that_readers_never_get(article, publisher):
    draft = make_article(
        title="Fatigue", slug="fatigue", status=Article.Status.DRAFT, published_at=None
    )
    staff = logged_in(publisher)
    assert "Preview" in text(
        element(staff.get("/articles/fatigue/").content.decode(), "main")
    )
    assert read("/articles/fatigue/").status_code == 404

    read(article.get_absolute_url())
    staff_page = staff.get(article.get_absolute_url())
    assert staff_page.status_code == 200
    edit(staff, draft, publish=True, status="published")
    # A reader's kept home page never reached staff, nor theirs readers.
    assert "Fatigue" in text(element(staff.get("/").content.decode(), "main"))
    assert "Fatigue" in page_text("/")


# Redis


def redis_pages(location="redis://127.0.0.1:6379/0"):
    """Settings keeping pages in Redis, under a prefix of this test's own."""
    from django.conf import settings

    return override_settings(
        CACHES={
            **settings.CACHES,
            "pages": {
                "BACKEND": "caching.redis.RedisCache",
                "LOCATION": location,
                "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            },
        },
        PAGE_CACHE={**settings.PAGE_CACHE, "VERSIONS_FOLDER": None},
    )


def test_pages_kept_in_redis_are_shared_and_follow_edits(
    article, publisher, django_assert_num_queries
):
    with redis_pages():
        read(article.get_absolute_url())
        # Another server process: nothing of this one's memory.
        pages._page_cache.cache_clear()
        with django_assert_num_queries(0):
            assert read(article.get_absolute_url()).status_code == 200
        edit(logged_in(publisher), article, publish=True, summary="Read this first.")
        assert "Read this first." in read(article.get_absolute_url()).content.decode()


def test_with_redis_down_pages_are_served_uncached(article, publisher):
    with redis_pages("redis://127.0.0.1:9/0"):
        pages._page_cache.cache_clear()
        for _ in range(2):
            response = read(article.get_absolute_url())
            assert response.status_code == 200
            assert "Joint swelling" in response.content.decode()
        edit(logged_in(publisher), article, publish=True, summary="Still saved.")
        assert "Still saved." in read(article.get_absolute_url()).content.decode()
    pages._page_cache.cache_clear()
