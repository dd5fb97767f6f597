"""
What /healthz checks: a query on a real table through the connection pages
use (so the same connect and statement timeouts bound it), and a value
written to the default cache and read back. Each check answers "ok" or
"unavailable: " and the first line of what went wrong.
"""

import logging
import secrets

from django.core.cache import cache
from django.utils.text import Truncator

from portal.models import Page

logger = logging.getLogger(__name__)

OK = "ok"
REASON_LENGTH = 120


def unavailable(part, error):
    """The status of a failed check, logged once per check."""
    lines = str(error).strip().splitlines() or [type(error).__name__]
    reason = Truncator(lines[0].strip()).chars(REASON_LENGTH)
    logger.warning("Health check: %s unavailable: %s", part, reason)
    return f"unavailable: {reason}"


def database_status():
    """Whether a query on the site's pages table gets an answer."""
    try:
        Page.objects.exists()
    # Whatever stops the query, the site cannot serve pages.
    except Exception as error:
        return unavailable("database", error)
    return OK


def cache_status():
    """Whether the default cache gives back a value just written to it."""
    # A key of its own, so that checks running at once in several server
    # processes cannot read each other's value.
    key = f"healthz:{secrets.token_hex(8)}"
    value = secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=30)
        read = cache.get(key)
        cache.delete(key)
    except Exception as error:
        return unavailable("cache", error)
    if read != value:
        return unavailable("cache", "the value written was not read back")
    return OK
