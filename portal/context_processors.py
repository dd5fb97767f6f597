from django.conf import settings
from django.utils.functional import SimpleLazyObject

from glossary.search import MAX_QUERY_LENGTH
from portal.models import Page


def site(request):
    """The site's name, for the header and page titles, its description,
    and the length of query every search box accepts."""
    return {
        "site_name": settings.SITE_NAME,
        "site_description": settings.SITE_DESCRIPTION,
        "max_query_length": MAX_QUERY_LENGTH,
    }


def footer_pages(request):
    """
    The pages the footer links to: read with one query, only when a
    template shows them (admin pages do not), and once a request however
    many templates it renders.
    """

    def read():
        if not hasattr(request, "footer_pages"):
            request.footer_pages = list(Page.objects.in_footer())
        return request.footer_pages

    return {"footer_pages": SimpleLazyObject(read)}
