from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.html import escape

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
        # Feed readers show a description as HTML. The summary is plain
        # text, so HTML typed into it (an <img> of another site's, say) is
        # escaped to stay text there as it does on the site.
        return escape(article.summary)

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at
