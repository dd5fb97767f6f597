from articles.models import Article
from editorial.addresses import SiteSitemap


class ArticleSitemap(SiteSitemap):
    """Published articles only; drafts and scheduled ones stay out."""

    changefreq = "monthly"

    def items(self):
        return Article.objects.published()

    def lastmod(self, article):
        return article.updated_at
