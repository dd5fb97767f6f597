from django.contrib.sitemaps import Sitemap

from glossary.models import Term


class TermSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Term.objects.alphabetical()

    def lastmod(self, term):
        return term.modified_at
