"""
Pages for reading answer GET and HEAD only: any other method (POST, PUT,
DELETE, TRACE, OPTIONS...) gets 405 Method Not Allowed with
`Allow: GET, HEAD`, never the page. portal/urls.py wraps every public
route with `read_only()`, so a route added to an app's urls.py follows the
rule without remembering it (tests/test_methods.py walks them all).
"""

from functools import wraps

from django.http import HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

NOT_ALLOWED = "This address is for reading only: it answers GET and HEAD.\n"


def read_only_view(view):
    """
    `view`, answering only GET and HEAD, and anything else with 405 and a
    line saying why (a browser shows it rather than a blank page). CSRF
    protection is for requests that change something, which the view
    refuses itself; without the exemption CsrfViewMiddleware would answer a
    POST with 403 before the view could say 405.
    """
    safe_view = require_safe(view)

    @wraps(view)
    def read(request, *args, **kwargs):
        response = safe_view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            response.content = NOT_ALLOWED
            response["Content-Type"] = "text/plain; charset=utf-8"
        return response

    return csrf_exempt(read)


def read_only(patterns):
    """`patterns` (routes and includes) with every view made read-only."""
    return [read_only_route(entry) for entry in patterns]


def read_only_route(entry):
    if isinstance(entry, URLResolver):
        return URLResolver(
            entry.pattern,
            read_only(entry.url_patterns),
            entry.default_kwargs,
            entry.app_name,
            entry.namespace,
        )
    return URLPattern(
        entry.pattern, read_only_view(entry.callback), entry.default_args, entry.name
    )
