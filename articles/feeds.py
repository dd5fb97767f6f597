from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from articles.models import Article
from editorial.addresses import site_address


class LatestArticlesFeed(Feed):
    """RSS of the 20 most recently published articles."""

    title = "Latest articles"
    description = "New and updated explanations from the health library."

    # Addresses are on PORTAL_SITE_URL when that is set; a path is made
    # absolute on the request's host by the feed itself.
    def link(self):
        return site_address(reverse("articles:list"))

    def feed_url(self):
        return site_address(reverse("articles:rss"))

    def items(self):
        return Article.objects.published()[:20]

    def item_title(self, article):
        return article.title

    def item_link(self, article):
        return site_address(article.get_absolute_url())

    def item_description(self, article):
        # Feed readers show a description as HTML. The summary is plain
        # text, so HTML typed into it (an <img> of another site's, say) is
        # escaped to stay text there as it does on the site.
        return escape(article.summary)

    def item_author_name(self, article):
        return article.author or settings.SITE_NAME

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at


class LatestArticlesAtomFeed(LatestArticlesFeed):
    """The same articles as an Atom feed, each entry with its summary."""

    feed_type = Atom1Feed

    def subtitle(self):
        return self.description

    def feed_url(self):
        return site_address(reverse("articles:atom"))

    def author_name(self):
        return settings.SITE_NAME
