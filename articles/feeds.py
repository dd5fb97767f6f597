from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy

from articles.models import Article


class LatestArticlesFeed(Feed):
    """RSS of the 20 most recently published articles."""

    title = "Latest articles"
    link = reverse_lazy("articles:list")
    description = "New and updated explanations from the health library."

    def items(self):
        return Article.objects.published()[:20]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.summary

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at
