"""
Absolute addresses of the site's pages, for what is read away from the
site: canonical links, Open Graph, JSON-LD, robots.txt, the sitemap and
feeds.

Behind a proxy that passes on neither the public host nor the scheme, the
request cannot tell them; PORTAL_SITE_URL ("https://health.example.org")
then names them. Left empty, they are taken from the request.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.exceptions import DisallowedHost


def site_address(path):
    """`path` on PORTAL_SITE_URL when that is set, else `path` as it is."""
    site_url = settings.PORTAL_SITE_URL
    return f"{site_url}{path}" if site_url else path


def absolute_url(request, path):
    """`path` as an absolute address, on PORTAL_SITE_URL or the request's."""
    if settings.PORTAL_SITE_URL:
        return site_address(path)
    try:
        return request.build_absolute_uri(path)
    except DisallowedHost:
        # The 400 page answering a request for a host not in
        # ALLOWED_HOSTS must not fail in turn; it names no host.
        return path


class SiteSitemap(Sitemap):
    """A sitemap whose addresses are on PORTAL_SITE_URL when that is set."""

    def get_protocol(self, protocol=None):
        if settings.PORTAL_SITE_URL:
            return urlsplit(settings.PORTAL_SITE_URL).scheme
        return super().get_protocol(protocol)

    def get_domain(self, site=None):
        if settings.PORTAL_SITE_URL:
            return urlsplit(settings.PORTAL_SITE_URL).netloc
        return super().get_domain(site)
