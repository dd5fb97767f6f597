"""
What a page tells search engines and the sites it is shared on: canonical
address, Open Graph, the meta description, breadcrumbs and JSON-LD.
"""

import html
import re

from django import template
from django.conf import settings
from django.template.defaultfilters import stringfilter
from django.urls import reverse
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

from editorial.addresses import absolute_url
from editorial.json_text import html_safe_json

register = template.Library()

DESCRIPTION_LENGTH = 160
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


@register.simple_tag
def json_ld(data):
    """`data`, a schema.org object, as a JSON-LD script element."""
    payload = {"@context": "https://schema.org", **data}
    # Inside <script> the JSON must not hold "</script>" or "<!--",
    # which would end or change the element.
    text = html_safe_json(payload, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text)
    )


@register.filter
@stringfilter
def meta_description(text):
    """
    `text` (plain or HTML) as a description for search results: plain
    text on one line, cut at a word to at most 160 characters with an
    ellipsis.
    """
    text = " ".join(html.unescape(strip_tags(text)).split())
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    cut = text[: DESCRIPTION_LENGTH - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.–—-") + "…"


def canonical_url(request):
    """
    The page's own absolute address: its path and a page number past the
    first, without any other query (search terms, tracking, filters).
    """
    url = absolute_url(request, request.path)
    page = request.GET.get("page", "")
    # Digits as typed in ASCII only ("²" is a digit to Python), and not so
    # many that no list could have that page.
    if PAGE_NUMBER.fullmatch(page) and page != "1":
        url += f"?page={page}"
    return url


@register.inclusion_tag("includes/page_meta.html", takes_context=True)
def page_meta(
    context, description="", kind="website", modified=None, published=None, title=""
):
    """
    The canonical link and Open Graph properties of the page. Its title is
    `title`, else the last of its breadcrumbs (the site's name on the home page); its
    description is `description` or the site's; `kind` is the og:type, and
    `published` and `modified` the article:published_time and
    article:modified_time of an article. Nothing on a page
    rendered without its request (Django's own 400 page).
    """
    request = context.get("request")
    if request is None:
        return {}
    breadcrumbs = context.get("breadcrumbs")
    return {
        "canonical_url": canonical_url(request),
        "title": title or (breadcrumbs[-1][0] if breadcrumbs else settings.SITE_NAME),
        "description": meta_description(description or settings.SITE_DESCRIPTION),
        "kind": kind,
        "modified": modified,
        "published": published,
        "site_name": settings.SITE_NAME,
    }


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, structured_data=True):
    """
    The page's breadcrumbs (the context's `breadcrumbs`, (label, address)
    pairs after Home, the current page last) as a navigation list and,
    unless `structured_data` is False (an error page), as a schema.org
    BreadcrumbList; nothing when there are none.
    """
    request = context.get("request")
    if request is None or not context.get("breadcrumbs"):
        return {}
    trail = [("Home", reverse("home")), *context["breadcrumbs"]]
    items = [
        {
            "@type": "ListItem",
            "position": position,
            "name": label,
            "item": absolute_url(request, url) if url else canonical_url(request),
        }
        for position, (label, url) in enumerate(trail, start=1)
    ]
    return {
        "trail": trail,
        "structured_data": structured_data
        and {"@type": "BreadcrumbList", "itemListElement": items},
    }
