"""
Browsers' reports of what the Content-Security-Policy stopped are logged,
one line each, and anything else sent there is refused without a 500
(portal/csp_reports.py).
"""

import json
import logging

import pytest
from django.core.cache import caches
from django.test import Client

REPORT = {
    "csp-report": {
        "document-uri": "https://health.example.org/search/?q=my+condition",
        "referrer": "",
        "violated-directive": "style-src-attr",
        "effective-directive": "style-src-attr",
        "original-policy": "default-src 'self'",
        "blocked-uri": "inline",
        "line-number": 12,
        "source-file": "https://health.example.org/search/?q=my+condition",
        "status-code": 200,
        "script-sample": "",
    }
}


def send(body, content_type="application/csp-report", **extra):
    # As a browser sends it: no CSRF token.
    return Client(enforce_csrf_checks=True).post(
        "/csp-report/", body, content_type=content_type, **extra
    )


def test_report_is_logged_without_what_was_searched(caplog):
    with caplog.at_level(logging.WARNING, logger="portal.csp"):
        response = send(json.dumps(REPORT))

    assert response.status_code == 204
    (record,) = caplog.records
    logged = json.loads(record.getMessage().partition(": ")[2])
    assert logged["effective-directive"] == "style-src-attr"
    assert logged["document-uri"] == "https://health.example.org/search/"
    assert "my+condition" not in record.getMessage()


@pytest.mark.parametrize(
    "body",
    ["", "not json", "[1, 2]", '{"csp-report": "text"}', '{"other": {}}'],
)
def test_what_is_not_a_report_is_refused(body):
    response = send(body)

    assert response.status_code == 400
    assert response.json() == {"error": "not a violation report"}


def test_an_oversized_report_is_refused():
    body = json.dumps({"csp-report": {"script-sample": "x" * 20_000}})

    assert send(body).status_code == 400


def test_reports_are_only_posted():
    assert Client().get("/csp-report/").status_code == 405


def test_reports_beyond_the_limit_are_refused(settings):
    settings.RATELIMIT_ENABLE = True
    settings.CSP_REPORT_RATE_LIMIT = "2/m"
    caches["default"].clear()
    for __ in range(2):
        assert send(json.dumps(REPORT)).status_code == 204

    response = send(json.dumps(REPORT))

    assert response.status_code == 429
    assert response.json()["error"].startswith("Too many reports")
    caches["default"].clear()
