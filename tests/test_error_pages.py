"""
What a reader sees when a page fails: the styled 500 page for a bug, the
styled 503 "briefly unavailable" page with Retry-After when the database
cannot be reached, neither with any trace of the error, and neither reading
the database to draw itself.
"""

import pytest
from django.test import Client

from tests.factories import make_article
from tests.html import element, text
from tests.unreachable_database import unreachable_database

pytestmark = pytest.mark.urls("tests.urls_with_errors")

ERROR_WORDS = ("Traceback", "Error", "secret detail", "no_such_table")


@pytest.fixture
def reader(client):
    """A reader's browser, shown the error page rather than the exception."""
    client.raise_request_exception = False
    return client


def assert_styled_page_without_error_text(page):
    assert element(page, "link", rel="stylesheet", href="/static/portal/site.css")
    assert element(page, "meta", name="robots").attrs["content"] == "noindex"
    for word in ERROR_WORDS:
        assert word not in page


def test_a_failing_view_shows_the_styled_500_page_without_the_database(reader):
    # No database access is allowed in this test: a query would fail the
    # styled page, leaving the plain one.
    response = reader.get("/failing/")

    assert response.status_code == 500
    page = response.content.decode()
    assert element(page, "h1").text == "Something went wrong on our side"
    assert "Retry-After" not in response
    assert_styled_page_without_error_text(page)


def test_a_mistake_in_sql_is_the_500_page_not_an_outage(reader):
    response = reader.get("/failing-sql/")

    assert response.status_code == 500
    assert "Something went wrong on our side" in text(response.content.decode())


@pytest.mark.django_db
def test_a_page_whose_database_is_unreachable_is_503_briefly_unavailable(reader):
    article = make_article(title="Fatigue")
    with unreachable_database():
        response = reader.get(article.get_absolute_url())

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert element(page, "h1").text == "This page is briefly unavailable"
    assert "try again in a minute" in text(page)
    assert_styled_page_without_error_text(page)


@pytest.mark.django_db
def test_suggestions_while_the_database_is_unreachable_are_json_the_box_can_show(
    reader,
):
    with unreachable_database():
        response = reader.get(
            "/glossary/suggest/?q=tnf", headers={"Accept": "application/json"}
        )

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {"error": "briefly unavailable"}


def test_an_error_page_that_cannot_be_drawn_is_a_plain_page(reader, settings, tmp_path):
    # Static files served from a collection that lacks the stylesheet, as
    # when collectstatic has not run: base.html cannot name it.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        },
    }
    response = reader.get("/failing/")

    assert response.status_code == 500
    page = response.content.decode()
    assert element(page, "h1").text == "Something went wrong on our side"
    assert "Traceback" not in page


@pytest.mark.django_db
def test_a_form_sent_without_its_token_gets_a_page_saying_what_to_do(db):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/admin/login/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    page = response.content.decode()
    assert element(page, "h1").text == "This form was not accepted"
    assert "reload the page and send the form again" in text(page)
    assert_styled_page_without_error_text(page)
