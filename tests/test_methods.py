"""
Public pages are for reading: every route but the admin's answers GET and
HEAD, and any other method 405 with `Allow: GET, HEAD` (portal/urls.py,
portal/read_only.py). The routes are read from the URLconf, so a new one
without an example address here fails the first test.
"""

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve

# One address of each public route, on the demo content.
EXAMPLES = {
    "home": "/",
    "articles:list": "/articles/",
    "articles:feed": "/articles/feed/",
    "articles:detail": "/articles/what-are-cytokines/",
    "articles:references": "/articles/what-are-cytokines/references.bib",
    "articles:citation": "/articles/what-are-cytokines/citation.ris",
    "articles:atom": "/feeds/articles/",
    "articles:rss": "/feeds/articles/rss/",
    "references:list": "/references/",
    "references:export": "/references/mcinnes-2007.json",
    "glossary:list": "/glossary/",
    "glossary:letter": "/glossary/letter/a/",
    "glossary:search": "/glossary/search/?q=tnf",
    "glossary:suggest": "/glossary/suggest/?q=tnf",
    "glossary:detail": "/glossary/adalimumab/",
    "search": "/search/?q=tnf",
    "tag": "/tags/treatment/",
    "robots": "/robots.txt",
    "django.contrib.sitemaps.views.sitemap": "/sitemap.xml",
    "favicon": "/favicon.ico",
    "healthz": "/healthz",
    "media": "/media/notes/readme.txt",
    "page": "/about/",
}
# Routes that take posts besides the admin's: browsers' reports of what the
# Content-Security-Policy stopped.
POSTED_TO = {"csp_report"}
UNSAFE_METHODS = ["POST", "PUT", "PATCH", "DELETE", "TRACE", "OPTIONS", "PROPFIND"]


def route_names(patterns, namespace=""):
    """The names of the routes under `patterns`, the admin's left out."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name != "admin":
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else ""
                yield from route_names(entry.url_patterns, inner or namespace)
        else:
            yield namespace + entry.name


@pytest.fixture
def media_file(media_root):
    path = media_root / "notes" / "readme.txt"
    path.parent.mkdir(parents=True)
    path.write_text("An uploaded file.")


def test_every_public_route_has_an_example_address():
    names = set(route_names(get_resolver().url_patterns)) - POSTED_TO
    assert sorted(names) == sorted(EXAMPLES)


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_address_is_the_route_and_is_served(client, demo, media_file, name):
    address = EXAMPLES[name]
    assert resolve(address.partition("?")[0]).view_name == name

    for method in ("GET", "HEAD"):
        response = client.generic(method, address)
        # The favicon redirects to its static file.
        assert response.status_code == (302 if name == "favicon" else 200)


@pytest.mark.parametrize("method", UNSAFE_METHODS)
@pytest.mark.parametrize("name", EXAMPLES)
def test_unsafe_method_is_not_allowed(demo, media_file, name, method):
    # As a browser sends it: CSRF is checked, and fails for a POST without
    # a token before any view that did not exempt itself could answer.
    client = Client(enforce_csrf_checks=True)

    response = client.generic(method, EXAMPLES[name], "x=1")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.content.decode() == (
        "This address is for reading only: it answers GET and HEAD.\n"
    )


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_kept_page_is_never_the_answer_to_another_method(client, demo, method):
    client.get("/articles/")
    hit = client.get("/articles/")
    assert hit.wsgi_request.page_cache_status == "hit"

    response = client.generic(method, "/articles/")

    assert response.status_code == 405
    assert response.wsgi_request.page_cache_status == "bypass"
    assert b"What are cytokines?" not in response.content


def test_admin_forms_still_take_posts(client, admin_user):
    response = client.post(
        "/admin/login/", {"username": admin_user.username, "password": "password"}
    )

    assert response.status_code == 302
