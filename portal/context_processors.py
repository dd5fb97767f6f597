from django.conf import settings

from glossary.search import MAX_QUERY_LENGTH


def site(request):
    """The site's name, for the header and page titles, and the length of
    query every search box accepts."""
    return {"site_name": settings.SITE_NAME, "max_query_length": MAX_QUERY_LENGTH}
