from editorial.addresses import SiteSitemap
from glossary.models import Term


class TermSitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self):
        return Term.objects.alphabetical()

    def lastmod(self, term):
        return term.modified_at
