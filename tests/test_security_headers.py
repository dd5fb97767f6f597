"""
Every response carries the browser policies (settings.py, "Security"): a
Content-Security-Policy that allows the site's own scripts, styles and
images only, a Permissions-Policy denying the features no page uses,
cross-origin policies, and what Django's SecurityMiddleware and
XFrameOptionsMiddleware add. Kept pages, static files, error pages, JSON
and the admin included.
"""

import pytest
from django.test import Client

from tests.unreachable_database import unreachable_database

pytestmark = pytest.mark.urls("tests.urls_with_errors")

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "report-uri": "/csp-report/",
}
DENIED_FEATURES = [
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "interest-cohort",
    "browsing-topics",
]


def content_security_policy(response):
    """The policy's directives, {name: sources}."""
    directives = (
        part.strip() for part in response["Content-Security-Policy"].split(";")
    )
    return dict(directive.partition(" ")[::2] for directive in directives if directive)


def assert_policies(response, **directives):
    """The policies, with the CSP's `directives` ({"style-src": ...}) as given."""
    policy = {**POLICY, **{name.replace("_", "-"): v for name, v in directives.items()}}
    assert content_security_policy(response) == policy
    permissions = response["Permissions-Policy"]
    for feature in DENIED_FEATURES:
        assert f"{feature}=()" in permissions
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.fixture
def reader(client):
    """A reader's browser, shown the error page rather than the exception."""
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(
    "address",
    [
        "/",
        "/articles/what-are-cytokines/",
        "/glossary/adalimumab/",
        "/search/?q=tnf",
        "/about/",
        "/feeds/articles/",
        "/references/mcinnes-2007.bib",
    ],
)
def test_public_page_carries_the_policies(reader, demo, address):
    response = reader.get(address)

    assert response.status_code == 200
    assert_policies(response)


def test_sitemap_allows_the_browsers_xml_viewer_its_inline_styles(reader, demo):
    response = reader.get("/sitemap.xml")

    assert response.status_code == 200
    assert_policies(
        response, style_src="'self' 'unsafe-inline'", img_src="'self' data:"
    )


def test_kept_page_carries_the_policies(reader, demo):
    reader.get("/glossary/")
    response = reader.get("/glossary/")

    assert response.wsgi_request.page_cache_status == "hit"
    assert_policies(response)


def test_kept_page_not_modified_carries_the_policies(reader, demo):
    etag = reader.get("/glossary/")["ETag"]
    response = reader.get("/glossary/", headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert_policies(response)


def test_static_file_carries_the_policies(reader):
    response = reader.get("/static/portal/site.css")

    assert response.status_code == 200
    assert_policies(response)


@pytest.mark.parametrize(
    "address, accept",
    [
        ("/glossary/suggest/?q=adal", "application/json"),
        ("/healthz", "application/json"),
    ],
)
def test_json_carries_the_policies(reader, demo, address, accept):
    response = reader.get(address, headers={"Accept": accept})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert_policies(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address, status",
    [("/no-such-page/", 404), ("/failing/", 500), ("/glossary/", 503)],
)
def test_error_page_carries_the_policies(reader, address, status):
    with unreachable_database(is_cut=status == 503):
        response = reader.get(address)

    assert response.status_code == status
    assert_policies(response)


@pytest.mark.django_db
def test_refused_form_carries_the_policies():
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"x": "y"})

    assert response.status_code == 403
    assert_policies(response)


def test_method_not_allowed_carries_the_policies(reader, demo):
    response = reader.put("/articles/")

    assert response.status_code == 405
    assert_policies(response)


@pytest.mark.django_db
def test_admin_sign_in_page_carries_the_policies(reader):
    response = reader.get("/admin/login/")

    assert response.status_code == 200
    assert_policies(response)


def test_admin_page_carries_the_policies(staff_client, demo):
    response = staff_client.get("/admin/articles/article/")

    assert response.status_code == 200
    assert_policies(response)


def test_lock_out_page_carries_the_policies(reader, editor):
    """
    The lock-out page, both as the sign-in view draws it and as the
    middleware that remembers a lock-out answers it first thing.
    """
    for __ in range(5):
        reader.post("/admin/login/", {"username": "eddie", "password": "wrong"})
    for __ in range(2):
        response = reader.post("/admin/login/", {"username": "eddie", "password": "x"})
        assert response.status_code == 429
        assert_policies(response)
