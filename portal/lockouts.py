"""
The page a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE):
too many failed sign-ins for the account or from the network, when to try
again, and who can unlock it sooner. It says the same whether or not the
account exists, and is cheap to draw: a flood of guesses meets it on every
request.
"""

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

TOO_MANY_REQUESTS = 429


def lockout_minutes():
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(request, original_response=None, credentials=None):
    """
    429 with Retry-After, in the admin's look; drawn without the user, the
    app list or the database.

    Template: admin/portal/locked_out.html; context: `site_header`,
    `site_title`, `site_url`, `title`, `minutes`.
    """
    site = admin.site
    context = {
        "site_header": site.site_header,
        "site_title": site.site_title,
        "site_url": site.site_url,
        "title": "Too many failed sign-ins",
        "minutes": lockout_minutes(),
    }
    html = render_to_string("admin/portal/locked_out.html", context, request)
    response = HttpResponse(html, status=TOO_MANY_REQUESTS)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    add_never_cache_headers(response)
    return response
