from django.contrib.sitemaps import Sitemap

from portal.models import Page


class PageSitemap(Sitemap):
    """The site's pages about itself; every one is public."""

    changefreq = "yearly"

    def items(self):
        return Page.objects.order_by("slug")

    def lastmod(self, page):
        return page.updated_at
