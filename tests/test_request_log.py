"""
Each request leaves one JSON line on stdout (portal/request_log.py), and a
view that raises leaves its traceback there too. The lines are read from
the handlers the settings configure, with their streams swapped for a
buffer, so the formatters are the site's own.
"""

import io
import json
import logging

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, override_settings

FIELDS = {
    "time",
    "method",
    "path",
    "status",
    "duration_ms",
    "bytes",
    "remote_addr",
    "user_id",
    "cache",
}


@pytest.fixture
def output():
    """What the request log and Django's error log write, as `lines()`."""
    buffer = io.StringIO()
    # By the names the settings give them; pytest adds handlers of its own.
    handlers = [
        handler
        for name in ("portal.requests", "django.request")
        for handler in logging.getLogger(name).handlers
        if handler.name in settings.LOGGING["handlers"]
    ]
    assert len(handlers) == 2
    streams = [handler.setStream(buffer) for handler in handlers]
    yield buffer
    for handler, stream in zip(handlers, streams, strict=True):
        handler.setStream(stream)


def request_lines(output):
    return [json.loads(line) for line in output.getvalue().splitlines()]


def test_page_request_logs_one_json_line(client, demo, output):
    response = client.get("/glossary/?q=ignored")

    assert response.status_code == 200
    [line] = request_lines(output)
    assert set(line) == FIELDS
    assert line["method"] == "GET"
    assert line["path"] == "/glossary/"
    assert line["status"] == 200
    assert line["bytes"] == len(response.content)
    assert line["remote_addr"] == "127.0.0.1"
    assert line["user_id"] is None
    assert line["duration_ms"] >= 0
    assert line["time"].endswith("+00:00")


def test_static_file_request_is_logged(client, output):
    response = client.get("/static/portal/site.css")

    assert response.status_code == 200
    [line] = request_lines(output)
    assert line["path"] == "/static/portal/site.css"
    assert line["status"] == 200
    assert line["bytes"] == int(response["Content-Length"])


def test_missing_page_is_logged_once_with_its_status(client, db, output):
    client.get("/no-such-page/")

    [line] = request_lines(output)
    assert line["status"] == 404


def test_a_host_the_site_does_not_serve_is_one_line_without_a_traceback(
    client, db, output
):
    # Scanners send such requests all the time.
    response = client.get("/", HTTP_HOST="scanner.example")

    assert response.status_code == 400
    [line] = request_lines(output)
    assert line["status"] == 400


def test_an_address_out_of_the_media_folder_is_one_line_without_a_traceback(
    client, db, output
):
    response = client.get("/media/../../etc/passwd")

    assert response.status_code == 400
    [line] = request_lines(output)
    assert line["status"] == 400


def test_signed_in_request_logs_the_user_id(staff_client, admin_user, output):
    staff_client.get("/admin/")

    [line] = request_lines(output)
    assert line["user_id"] == admin_user.pk


class PageCacheStandIn:
    """Answers as the page cache does from a kept page, marking the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.page_cache_status = "hit"
        return HttpResponse("A kept page")


@override_settings(
    MIDDLEWARE=[
        "portal.request_log.RequestLogMiddleware",
        "tests.test_request_log.PageCacheStandIn",
    ]
)
def test_request_log_reads_the_page_cache_status(client, output):
    client.get("/")

    [line] = request_lines(output)
    assert line["cache"] == "hit"


@override_settings(ROOT_URLCONF="tests.urls_request_log")
def test_view_that_raises_logs_its_traceback(db, output):
    client = Client(raise_request_exception=False)

    response = client.get("/test-broken/")

    assert response.status_code == 500
    text = output.getvalue()
    assert "ERROR django.request: Internal Server Error: /test-broken/" in text
    assert "Traceback (most recent call last):" in text
    assert "RuntimeError: The view broke on purpose" in text
    request_line = text.splitlines()[-1]
    assert json.loads(request_line)["status"] == 500
