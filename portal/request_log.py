"""
One JSON line per request on the `portal.requests` logger, which the
settings send to stdout:

    {"time": "2025-05-01T09:30:00.123+00:00", "method": "GET",
     "path": "/glossary/", "status": 200, "duration_ms": 12.4,
     "bytes": 18324, "remote_addr": "127.0.0.1", "user_id": null,
     "cache": "hit"}

gunicorn's access log is off (gunicorn.conf.py), so this is the only line a
request leaves. The middleware comes first in MIDDLEWARE, so static files
that WhiteNoise answers are logged too, and so is the 500 page of a view
that raised (Django turns the exception into a response below it).
"""

import json
import logging
import time
from datetime import UTC, datetime

logger = logging.getLogger("portal.requests")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started_at = datetime.now(UTC)
        started = time.perf_counter()
        response = self.get_response(request)
        if logger.isEnabledFor(logging.INFO):
            duration = time.perf_counter() - started
            logger.info(log_line(request, response, started_at, duration))
        return response


def log_line(request, response, started_at, duration):
    # The path only: a query string holds what readers searched for, which
    # on a health site can say more about them than a log should keep.
    return json.dumps(
        {
            "time": started_at.isoformat(timespec="milliseconds"),
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            # Until the view returned; a streamed body is sent after that.
            "duration_ms": round(duration * 1000, 1),
            "bytes": body_size(response),
            # The proxy's address when there is one in front.
            "remote_addr": request.META.get("REMOTE_ADDR"),
            "user_id": user_id(request),
            # Set by the page cache: "hit", "miss" or "bypass".
            "cache": getattr(request, "page_cache_status", None),
        }
    )


def body_size(response):
    """The body's length in bytes, or None for a stream of unknown length."""
    length = response.get("Content-Length")
    if length is not None:
        return int(length)
    if response.streaming:
        return None
    return len(response.content)


def user_id(request):
    """
    The signed-in user's id, or None: only a user the request loaded
    already. Logging never loads one, so a line costs no query, and is
    written even when the database is down.
    """
    user = getattr(request, "_cached_user", None)
    if user is None or not user.is_authenticated:
        return None
    return user.pk
