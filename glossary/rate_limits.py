"""
How often one client may search: searches (site and glossary) and
suggestions are counted per client with django-ratelimit, in fixed windows
in the default cache. Beyond the rate, the client is refused with 429 Too
Many Requests and Retry-After, the seconds until its window ends; other
clients are served as before.

The client is read by settings.RATELIMIT_IP_META_KEY (the address the
site's own proxies pass on) and the rates are settings (SEARCH_RATE_LIMIT,
SUGGEST_RATE_LIMIT), read from the environment.
"""

import functools
import logging

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.utils.cache import add_never_cache_headers
from django_ratelimit.core import get_usage

logger = logging.getLogger(__name__)


def limited_per_client(group, rate_setting, as_json=False, what="searches"):
    """
    Count the view's requests per client under `group` (views sharing a
    group share one count) at the rate `settings.<rate_setting>` gives.
    Beyond it: 429 with Retry-After, a page in the site's look (429.html),
    or JSON `{"error"}` when `as_json`, saying there were too many of
    `what`. A refusal is never kept by any cache.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            retry_after = seconds_refused(request, group, rate_setting)
            if retry_after is None:
                return view(request, *args, **kwargs)
            return refusal(request, retry_after, as_json, what)

        return wrapped

    return decorator


def seconds_refused(request, group, rate_setting):
    """
    Count this request; the seconds until the client may ask again when it
    is over the rate, else None. A cache that fails lets the request
    through: readers are not refused for the site's own trouble.
    """
    try:
        usage = get_usage(
            request,
            group=group,
            key="ip",
            rate=getattr(settings, rate_setting),
            increment=True,
        )
    except Exception:
        logger.warning("Could not count a %s request: served", group, exc_info=True)
        return None
    if usage is None or not usage["should_limit"]:
        return None
    # The window may end within this second.
    return max(usage["time_left"], 1)


def refusal(request, retry_after, as_json, what):
    message = (
        f"Too many {what} from your connection in a short time. "
        f"Please wait {retry_after} second{pluralize(retry_after)} and try again."
    )
    if as_json:
        response = JsonResponse({"error": message}, status=429)
    else:
        response = render(
            request,
            "429.html",
            {
                "message": message,
                "retry_after": retry_after,
                "breadcrumbs": [("Too many searches", None)],
            },
            status=429,
        )
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response
