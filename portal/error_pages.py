"""
Error pages drawn without the database, for when it may be what failed.

They extend base.html like every page, but are rendered from settings and
the request alone: no context processor runs (the footer's would query the
site's pages), `request.user` is never read, and no error text is shown. If
even that fails (static files collected without the stylesheet, say), a
plain page answers instead, so that the error page itself never errors.
"""

import logging

from django.http import HttpResponse
from django.template.loader import render_to_string

from portal.context_processors import site

logger = logging.getLogger(__name__)

PLAIN_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    "<title>Something went wrong</title></head><body>"
    "<h1>Something went wrong on our side</h1>"
    "<p>Please try again in a few minutes.</p></body></html>"
)


def render_error_page(request, template_name, status, page_title):
    """
    `template_name` as an HttpResponse of `status`, with the context of
    every page that needs no database (`site_name`, `site_description`,
    `max_query_length`), `request`, and breadcrumbs ending at `page_title`.
    """
    context = {
        **site(request),
        "request": request,
        "breadcrumbs": [(page_title, None)],
    }
    try:
        html = render_to_string(template_name, context)
    except Exception:
        logger.exception("The %s page could not be drawn", status)
        html = PLAIN_PAGE
    return HttpResponse(html, status=status)
