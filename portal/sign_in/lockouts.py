"""
The page a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE):
too many failed sign-ins for the account or from the network, when to try
again, and who can unlock it sooner. It says the same whether or not the
account exists, and is cheap to draw: a flood of guesses meets it on every
request.

A flood is answered from memory: once a client's sign-in for an account
is found locked out (the client or the account, either), each process
remembers that pair for RECHECK_SECONDS and refuses it again at the top
of the middleware, before sessions, the database or
the sign-in view, so that a locked-out client's guesses cost readers
almost nothing. After that the database (django-axes) is asked again, so
the unlock commands take effect within those seconds in every process.
"""

import math
import threading
import time
from functools import lru_cache

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.db.models import Q
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from portal.clients import client_address, client_ip

TOO_MANY_REQUESTS = 429
RECHECK_SECONDS = 2
# (client address, username) -> time.monotonic() to ask the database again.
_known_locked = {}
_known_locked_guard = threading.Lock()


def lockout_key(request):
    return (client_ip(request), request.POST.get("username"))


def lockout_end(request, username):
    """
    When the pause of the client or the account ends: the cool-off after
    the last failure recorded for either (a sign-in refused while paused is
    not recorded, so that is the failure that reached the limit).
    """
    address = client_address(request)
    latest = (
        AccessAttempt.objects.filter(
            Q(ip_address=address) if address else Q(ip_address__isnull=True)
        )
        .union(AccessAttempt.objects.filter(username=username))
        .values_list("attempt_time", flat=True)
    )
    last_failure = max(latest, default=None) or timezone.now()
    return (last_failure or timezone.now()) + settings.AXES_COOLOFF_TIME


def is_locked_out(request):
    """
    Whether the client, or the account the posted form names, is locked
    out: asked before the sign-in form is read, so that a locked-out guess
    costs three queries and not a password check or a failure recorded. A
    lock-out found is remembered (see above), with when it ends.
    """
    username = request.POST.get("username")
    locked = not AxesProxyHandler.is_allowed(request, {"username": username})
    if locked:
        request.lockout_end = lockout_end(request, username)
        with _known_locked_guard:
            _known_locked[lockout_key(request)] = (
                time.monotonic() + RECHECK_SECONDS,
                request.lockout_end,
            )
    return locked


def is_known_locked_out(request):
    """Whether this process found the client or account locked out lately."""
    now = time.monotonic()
    with _known_locked_guard:
        for key, (recheck_at, __) in list(_known_locked.items()):
            if recheck_at <= now:
                del _known_locked[key]
        known = _known_locked.get(lockout_key(request))
    if known is not None:
        request.lockout_end = known[1]
    return known is not None


def forget_known_lockouts(**kwargs):
    """
    Forget the lock-outs this process remembers once a record of failures
    is deleted (an unlock command run here; connected by PortalConfig).
    """
    with _known_locked_guard:
        _known_locked.clear()


class KnownLockoutMiddleware:
    """
    Refuses, first thing, a sign-in by a client for an account that this
    process found locked out in the last RECHECK_SECONDS.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "POST"
            and _known_locked
            and request.path == reverse("admin:login")
            and is_known_locked_out(request)
        ):
            return lockout_response(request)
        return self.get_response(request)


def lockout_response(request, original_response=None, credentials=None):
    """
    429 with Retry-After, in the admin's look; drawn without the user, the
    app list or the database, once per process (it says the same to all).
    """
    site = admin.site
    end = getattr(request, "lockout_end", None) or lockout_end(
        request, (credentials or {}).get("username") or request.POST.get("username")
    )
    seconds = max(math.ceil((end - timezone.now()).total_seconds()), 1)
    html = locked_out_page(
        site.site_header, site.site_title, site.site_url, math.ceil(seconds / 60)
    )
    response = HttpResponse(html, status=TOO_MANY_REQUESTS)
    response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response


@lru_cache(maxsize=64)
def locked_out_page(site_header, site_title, site_url, minutes):
    """
    Template: admin/portal/locked_out.html; context: `site_header`,
    `site_title`, `site_url`, `title`, `minutes`.
    """
    context = {
        "site_header": site_header,
        "site_title": site_title,
        "site_url": site_url,
        "title": "Too many failed sign-ins",
        "minutes": minutes,
    }
    return render_to_string("admin/portal/locked_out.html", context)
