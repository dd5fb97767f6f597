"""
Searches and suggestions are counted per client (glossary/rate_limits.py):
beyond the rate, 429 with Retry-After, a page in the site's look for
search and JSON for suggestions, never kept; other clients go on being
served.
"""

import json

import pytest
from django.core.cache import caches

from glossary.rate_limits import refusal
from tests.html import element, text

pytestmark = pytest.mark.django_db

READER = "203.0.113.7"
OTHER_READER = "198.51.100.20"


@pytest.fixture(autouse=True)
def counted(settings):
    """Counting on (the test settings leave it off), with low rates."""
    settings.RATELIMIT_ENABLE = True
    settings.SEARCH_RATE_LIMIT = "3/m"
    settings.SUGGEST_RATE_LIMIT = "5/m"
    caches["default"].clear()
    yield
    caches["default"].clear()


def search(client, address, reader=READER, **headers):
    return client.get(address, REMOTE_ADDR=reader, headers=headers)


def assert_refused_until_window_ends(response):
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("address", ["/search/?q=tnf", "/glossary/search/?q=tnf"])
def test_search_beyond_the_limit_is_refused_with_a_page(client, address):
    for __ in range(3):
        assert search(client, address).status_code == 200

    response = search(client, address)

    assert_refused_until_window_ends(response)
    page = response.content.decode()
    assert element(page, "h1").text == "Too many searches at once"
    assert element(page, "link", rel="stylesheet", href="/static/portal/site.css")
    seconds = int(response["Retry-After"])
    assert f"wait {seconds} second{'s' if seconds > 1 else ''} and" in text(page)


@pytest.mark.parametrize("seconds, wait", [(1, "1 second"), (42, "42 seconds")])
def test_refusal_says_how_long_to_wait(rf, seconds, wait):
    response = refusal(rf.get("/glossary/suggest/"), seconds, True, "suggestions")

    assert f"Please wait {wait} and try again." in json.loads(response.content)["error"]


def test_another_client_is_still_served(client):
    for __ in range(4):
        search(client, "/search/?q=tnf")

    assert search(client, "/search/?q=tnf").status_code == 429
    assert search(client, "/search/?q=tnf", OTHER_READER).status_code == 200


def test_site_and_glossary_search_share_one_count(client):
    for address in ("/search/?q=a", "/glossary/search/?q=b", "/search/?q=c"):
        assert search(client, address).status_code == 200

    assert search(client, "/glossary/search/?q=d").status_code == 429


def test_clients_behind_the_sites_proxy_are_counted_apart(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for __ in range(4):
        search(client, "/search/?q=tnf", proxy, X_Forwarded_For=READER)

    assert (
        search(client, "/search/?q=tnf", proxy, X_Forwarded_For=READER).status_code
        == 429
    )
    other = search(client, "/search/?q=tnf", proxy, X_Forwarded_For=OTHER_READER)
    assert other.status_code == 200


def test_suggestions_beyond_the_limit_are_refused_as_json(client):
    for letters in ("a", "ad", "ada", "adal", "adali"):
        assert search(client, f"/glossary/suggest/?q={letters}").status_code == 200

    response = search(client, "/glossary/suggest/?q=adalim")

    assert_refused_until_window_ends(response)
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"].startswith("Too many searches")


def test_refused_suggestions_are_never_kept(client, demo):
    for letters in ("a", "ad", "ada", "adal", "adali"):
        search(client, f"/glossary/suggest/?q={letters}")
    assert search(client, "/glossary/suggest/?q=adalim").status_code == 429

    response = search(client, "/glossary/suggest/?q=adalim", OTHER_READER)

    assert response.status_code == 200
    assert response.json()["results"][0]["name"] == "Adalimumab"


def test_a_client_without_an_address_is_counted_not_failed(client):
    for __ in range(3):
        assert search(client, "/search/?q=tnf", reader="").status_code == 200

    assert search(client, "/search/?q=tnf", reader="").status_code == 429


def test_searches_are_served_when_the_count_cannot_be_kept(client, settings):
    settings.RATELIMIT_USE_CACHE = "unreachable"

    for __ in range(5):
        assert search(client, "/search/?q=tnf").status_code == 200
