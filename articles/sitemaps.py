from django.contrib.sitemaps import Sitemap

from articles.models import Article


class ArticleSitemap(Sitemap):
    """Published articles only; drafts and scheduled ones stay out."""

    changefreq = "monthly"

    def items(self):
        return Article.objects.published()

    def lastmod(self, article):
        return article.updated_at
