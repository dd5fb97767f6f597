"""
The page a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE):
too many failed sign-ins for the account or from the network, when to try
again, and who can unlock it sooner. It says the same whether or not the
account exists, and is cheap to draw: a flood of guesses meets it on every
request.

A flood is answered from memory, at the top of the middleware, before
sessions, the database or the sign-in view (SignInGateMiddleware):
- once a client's sign-in for an account is found locked out (the client
  or the account, either), each process remembers that pair for
  RECHECK_SECONDS and refuses it again, so that a locked-out client's
  guesses cost readers almost nothing. After that the database
  (django-axes) is asked again, so the unlock commands take effect within
  those seconds in every process;
- a client's sign-ins are let through at most one each
  SIGN_IN_PACE_SECONDS: nobody types a password twice in a second, and a
  client guessing as fast as it can is refused the rest from memory, until
  its failures lock it out.
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
# Client address -> time.monotonic() its last sign-in was let through.
_last_sign_in = {}
# Clients remembered before those past their pace are forgotten.
REMEMBERED_CLIENTS = 1000
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
    Forget the lock-outs and sign-in times this process remembers (once a
    record of failures is deleted: an unlock command run here; connected by
    PortalConfig).
    """
    with _known_locked_guard:
        _known_locked.clear()
        _last_sign_in.clear()


def too_soon(request):
    """
    Whether the client's last sign-in was let through less than
    SIGN_IN_PACE_SECONDS ago; if not, this one is, and is noted.
    """
    pace = settings.SIGN_IN_PACE_SECONDS
    if not pace:
        return False
    now = time.monotonic()
    client = client_ip(request)
    with _known_locked_guard:
        if len(_last_sign_in) > REMEMBERED_CLIENTS:
            for known, let_through in list(_last_sign_in.items()):
                if now - let_through >= pace:
                    del _last_sign_in[known]
        let_through = _last_sign_in.get(client)
        if let_through is not None and now - let_through < pace:
            return True
        _last_sign_in[client] = now
        return False


class SignInGateMiddleware:
    """
    Refuses, first thing, a sign-in by a client for an account that this
    process found locked out in the last RECHECK_SECONDS, and a client's
    sign-in that comes within SIGN_IN_PACE_SECONDS of its last.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path == reverse("admin:login"):
            if _known_locked and is_known_locked_out(request):
                return lockout_response(request)
            if too_soon(request):
                return too_soon_response()
        return self.get_response(request)


def lockout_response(request, original_response=None, credentials=None):
    """
    429 with Retry-After, the seconds left of the pause, and the minutes
    left in words (django-axes' AXES_LOCKOUT_CALLABLE, and the gate).
    """
    end = getattr(request, "lockout_end", None) or lockout_end(
        request, (credentials or {}).get("username") or request.POST.get("username")
    )
    seconds = max(math.ceil((end - timezone.now()).total_seconds()), 1)
    return refused_sign_in(
        "admin/portal/locked_out.html",
        "Too many failed sign-ins",
        seconds,
        minutes=math.ceil(seconds / 60),
    )


def too_soon_response():
    """429 with Retry-After: a sign-in that came too soon after the last."""
    seconds = settings.SIGN_IN_PACE_SECONDS
    return refused_sign_in(
        "admin/portal/too_soon.html",
        "Signing in again so soon",
        seconds,
        seconds=seconds,
    )


def refused_sign_in(template, title, retry_after, **words):
    """A refused sign-in: 429 with `Retry-After`, never cached (see page)."""
    site = admin.site
    html = refusal_page(
        template,
        title,
        site.site_header,
        site.site_title,
        site.site_url,
        tuple(sorted(words.items())),
    )
    response = HttpResponse(html, status=TOO_MANY_REQUESTS)
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response


@lru_cache(maxsize=64)
def refusal_page(template, title, site_header, site_title, site_url, words):
    """
    `template` in the admin's look, drawn without the user, the app list or
    the database, once per process for each wording: a flood meets it on
    every request. Context: `site_header`, `site_title`, `site_url`,
    `title`, and `words` (name, value pairs).
    """
    context = {
        "site_header": site_header,
        "site_title": site_title,
        "site_url": site_url,
        "title": title,
        **dict(words),
    }
    return render_to_string(template, context)
