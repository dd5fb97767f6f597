"""
Staff sessions end PORTAL_STAFF_SESSION_HOURS after signing in, however
busy: the admin may be open on a shared workstation. The time of signing
in is kept in the session; a request that comes later ends the session
and meets the sign-in page, saying why. A form posted then is not saved
and not lost: the page that answers it shows everything typed, to copy,
and holds the whole form with a sign-in beside it, so that signing in on
that page saves the form as first posted (portal/unsaved_forms.py).
"""

import time
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import login, logout
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django_otp.middleware import is_verified

from portal.outages import is_database_outage
from portal.sign_in.forms import AdminSignInForm
from portal.unsaved_forms import posted_fields, sent_files, typed_fields

SIGNED_IN_AT = "portal_signed_in_at"
UNAUTHORIZED = 401
# The sign-in fields of the signed-out page, named apart from the form's
# own fields (a user's change form has a "username" too); unsaved_forms
# never shows or resends fields starting with "_".
SIGN_IN_PREFIX = "_sign_in"


def note_sign_in_time(sender, request, user, **kwargs):
    """Keep the time of signing in (connected by PortalConfig.ready)."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = time.time()


def session_ended(request):
    """
    Whether the signed-in staff member's session has outlived its hours:
    signed in longer ago than that, or before the time was kept.
    """
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        # No session to end; reading it would mark every response as
        # varying by cookie, the health check's and readers' too.
        return False
    user = getattr(request, "user", None)
    try:
        if user is None or not user.is_authenticated or not user.is_staff:
            return False
    except Exception as error:
        # The session or user could not be read: left to the view, whose
        # answer to an outage keeps an editor's typed text (PortalAdminSite).
        if is_database_outage(error):
            return False
        raise
    signed_in_at = request.session.get(SIGNED_IN_AT, 0)
    return time.time() - signed_in_at > settings.STAFF_SESSION_HOURS * 60 * 60


def ended_message():
    hours = settings.STAFF_SESSION_HOURS
    return (
        f"You were signed out: a session ends {hours} hour{'s' if hours != 1 else ''}"
        " after signing in. Please sign in again."
    )


class StaffSessionMiddleware:
    """Ends staff sessions that have outlived their hours (see above)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_sign_in_to_save(request):
            refused = sign_in_to_save(request)
            if refused is not None:
                return refused
        elif session_ended(request):
            logout(request)
            sign_in_page = reverse("admin:login")
            if request.path == sign_in_page:
                # Signing in again, or about to: the page itself.
                return self.get_response(request)
            if request.method == "POST":
                return signed_out_form(request)
            messages.info(request, ended_message())
            return HttpResponseRedirect(
                f"{sign_in_page}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)


def is_sign_in_to_save(request):
    """Whether the request is the signed-out page's form, sent with a sign-in."""
    return (
        request.method == "POST"
        and request.path.startswith(reverse("admin:index"))
        and f"{SIGN_IN_PREFIX}-username" in request.POST
        and not request.user.is_authenticated
    )


def sign_in_to_save(request):
    """
    Sign in with the fields of the signed-out page, then let the form it
    holds go on to its view as first posted. None when it may go on; the
    page again, with the problem, when the sign-in is refused (django-axes
    counts the failure and locks out as at the sign-in page).

    The form's CSRF token is checked here, before signing in gives the
    browser a new one that the page could not know.
    """
    refused = CsrfViewMiddleware(lambda request: None).process_view(
        request, None, (), {}
    )
    if refused is not None:
        return refused
    form = AdminSignInForm(request, data=request.POST, prefix=SIGN_IN_PREFIX)
    if not form.is_valid():
        return signed_out_form(request, form)
    user = form.get_user()
    user.otp_device = getattr(user, "otp_device", None)
    login(request, user)
    user.is_verified = partial(is_verified, user)
    request.POST = request.POST.copy()
    for name in list(request.POST):
        if name.startswith(SIGN_IN_PREFIX):
            del request.POST[name]
    request._dont_enforce_csrf_checks = True
    return None


def signed_out_form(request, form=None):
    """
    The answer to a form posted after the session ended: nothing was saved;
    every typed field is shown to copy, and the whole form is held to send
    again with a sign-in beside it. 401.

    Template: admin/portal/signed_out.html; context: `site_header`,
    `site_title`, `site_url`, `title`, `message`, `form` (the sign-in),
    `typed`, `posted`, `files`, `action`.
    """
    site = admin.site
    context = {
        "form": form or AdminSignInForm(request, prefix=SIGN_IN_PREFIX),
        "site_header": site.site_header,
        "site_title": site.site_title,
        "site_url": site.site_url,
        "title": "Not saved: you were signed out",
        "message": ended_message(),
        "typed": typed_fields(request),
        "posted": resent_fields(request),
        "files": sent_files(request),
        "action": request.get_full_path(),
    }
    html = render_to_string("admin/portal/signed_out.html", context, request)
    response = HttpResponse(html, status=UNAUTHORIZED)
    add_never_cache_headers(response)
    return response


def resent_fields(request):
    """
    The posted fields but the CSRF token, which the page's form carries
    afresh, the sign-in's own fields and any password: a password is never
    written into a page (one typed into a user's form is typed again).
    """
    return [
        (name, value)
        for name, value in posted_fields(request)
        if name != "csrfmiddlewaretoken"
        and not name.startswith(SIGN_IN_PREFIX)
        and "password" not in name
    ]
