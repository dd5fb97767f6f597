"""
Who is asking: the address of the client a request came from, for the
limits that count per client (sign-in failures, search and suggestions).

A proxy in front of the site (a load balancer, a TLS terminator) makes
every request come from its own address, and passes the client's on in
X-Forwarded-For, each proxy appending the address it was reached from.
Only the entries the site's own proxies appended can be believed: a
client can send the header with any addresses it likes. So with
PORTAL_TRUSTED_PROXIES proxies in front (settings.TRUSTED_PROXY_COUNT),
the client is that many entries from the right; with none, the header is
ignored and the client is the connection's address.
"""

import ipaddress

from django.conf import settings

UNKNOWN = "unknown"


def client_ip(request):
    """The client's address as text, or "unknown" when it cannot be read."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            entry.strip()
            for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if entry.strip()
        ]
        # Fewer entries than proxies: the request did not come through them
        # all, so the nearest entry is the best there is.
        address = (
            forwarded[-proxies]
            if len(forwarded) >= proxies
            else (forwarded[0] if forwarded else address)
        )
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return UNKNOWN


def client_address(request):
    """
    The client's address, or None when it cannot be read: for django-axes,
    which keeps it in an address column (PostgreSQL's inet) that cannot
    hold "unknown". Clients whose address is unknown share one count.
    """
    address = client_ip(request)
    return None if address == UNKNOWN else address


def address_for_limits(request):
    """
    `client_ip` as django-ratelimit reads it (RATELIMIT_IP_META_KEY), which
    needs an address: clients whose address cannot be read (a Unix socket
    with no proxy header) share one count.
    """
    address = client_ip(request)
    return "0.0.0.0" if address == UNKNOWN else address
