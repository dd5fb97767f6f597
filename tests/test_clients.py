"""Which client a request is counted against, with and without proxies."""

import pytest
from django.test import RequestFactory

from portal.clients import client_ip


def request(remote_addr="203.0.113.9", forwarded=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_proxies_the_forwarded_header_is_not_believed(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(forwarded="198.51.100.1")) == "203.0.113.9"


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        # The client put an address of its own first; the proxy appended
        # the one it was reached from.
        (1, "10.0.0.1, 198.51.100.7", "198.51.100.7"),
        (2, "10.0.0.1, 198.51.100.7, 192.0.2.3", "198.51.100.7"),
        (1, "2001:DB8::1", "2001:db8::1"),
        # Fewer entries than proxies: the nearest there is.
        (2, "198.51.100.7", "198.51.100.7"),
    ],
)
def test_behind_proxies_the_client_is_counted_from_the_right(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request(remote_addr="127.0.0.1", forwarded=forwarded)) == expected


def test_an_address_that_is_not_one_is_unknown(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request(forwarded="<script>")) == "unknown"
    assert client_ip(request(remote_addr="")) == "unknown"
