"""
The database going away for real under the site as production serves it
(tests/outage_site.py): readers get the styled 503 page with Retry-After,
/healthz names the database, an editor's save gives the typed text back;
once the database returns, the same server answers again by itself.
"""

import time

import pytest
from django.conf import settings
from django.db import connection

from tests.admin_pages import SAVE_AND_PUBLISH, edited_form_id
from tests.html import element, elements, form_data, text
from tests.outage_site import EDITOR, OutageSite, PostgresDatabase, SqliteDatabase

# Words a page would show if it leaked the error.
ERROR_WORDS = ("Traceback", "OperationalError", "InterfaceError", "psycopg", "sqlite")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("outage")
    database_settings = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        database = PostgresDatabase(database_settings)
    else:
        database = SqliteDatabase(folder)
    site = OutageSite(database, folder)
    try:
        site.start()
        yield site
    finally:
        site.stop()


def logged_in_editor(site):
    """A browser logged in through the admin's login form."""
    browser = site.browser()
    page = browser.get("/admin/login/?next=/admin/").text
    login = form_data(page, "login-form")
    login.update(username=EDITOR, password=site.password, otp_token=site.code())
    response = browser.post("/admin/login/?next=/admin/", login)
    assert response.status == 302, response.text
    return browser


def saved_form(browser, change_url):
    """The admin change form as the browser would send it unchanged."""
    page = browser.get(change_url)
    assert page.status == 200
    data = form_data(page.text, edited_form_id(page.text))
    # A select with nothing chosen sends no value.
    return {name: value for name, value in data.items() if value != []}


def test_readers_get_503_while_the_database_is_away_and_pages_after_it_returns(
    site,
):
    browser = site.browser()
    site.database.cut()
    try:
        health = browser.get("/healthz")
        page = browser.get(site.article_url)
    finally:
        site.database.restore()

    assert health.status == 503, site.server_log()
    assert health.headers["Content-Type"] == "application/json"
    assert '"database": "unavailable: ' in health.text
    assert page.status == 503, site.server_log()
    assert page.headers["Retry-After"] == "30"
    assert element(page.text, "h1").text == "This page is briefly unavailable"
    assert "try again in a minute" in text(page.text)
    assert elements(page.text, "link", rel="stylesheet")
    for word in ERROR_WORDS:
        assert word not in page.text

    # The same server, not restarted, answers again.
    assert browser.wait_for("/healthz", 200).status == 200, site.server_log()
    page = browser.wait_for(site.article_url, 200)
    assert page.status == 200, site.server_log()
    assert element(page.text, "h1").text == "Living with fatigue"


def test_an_editors_save_while_the_database_is_away_keeps_the_text_to_send_again(
    site,
):
    browser = logged_in_editor(site)
    typed = saved_form(browser, site.change_url)
    typed.update(summary="Why tiredness comes with a flare.", **SAVE_AND_PUBLISH)

    site.database.cut()
    try:
        response = browser.post(site.change_url, typed)
    finally:
        site.database.restore()

    assert response.status == 503, site.server_log()
    assert response.headers["Retry-After"] == "30"
    assert "could not be reached, so nothing was saved" in text(response.text)
    assert "Why tiredness comes with a flare." in [
        box.text.strip() for box in elements(response.text, "textarea")
    ]
    resent = form_data(response.text, "resend-form")
    assert resent == typed
    for word in ERROR_WORDS:
        assert word not in response.text

    assert browser.wait_for("/healthz", 200).status == 200, site.server_log()
    assert saved_form(browser, site.change_url)["summary"] == (
        "Why tiredness comes with inflammation."
    )
    response = browser.post(site.change_url, resent)
    assert response.status == 302, site.server_log()
    assert saved_form(browser, site.change_url)["summary"] == (
        "Why tiredness comes with a flare."
    )


def test_a_database_that_stops_answering_holds_a_reader_for_seconds_only(site):
    if not isinstance(site.database, PostgresDatabase):
        pytest.skip("Only a database server can stop answering on a connection.")
    browser, other_reader = site.browser(), site.browser()
    search = "/search/?q=fatigue"
    # Every worker holds a connection (kept between requests), which the
    # next query waits on: not a new connection, bounded by its own timeout.
    for _ in range(10):
        assert browser.get(search).status == 200
    site.database.freeze()
    try:
        started = time.monotonic()
        page = browser.get(search)
        waited = time.monotonic() - started
        stylesheet = other_reader.get("/static/portal/site.css")
    finally:
        site.database.thaw()

    # Given up two seconds after the server's own one-second limit, not
    # held for as long as the server stays silent.
    assert page.status == 503, site.server_log()
    assert waited < 10
    assert stylesheet.status == 200
    assert browser.wait_for(search, 200).status == 200, site.server_log()
