from django.urls import path

from articles import views
from articles.feeds import LatestArticlesAtomFeed, LatestArticlesFeed

app_name = "articles"

urlpatterns = [
    path("articles/", views.ArticleListView.as_view(), name="list"),
    # The RSS feed's first address, which readers may have subscribed to;
    # before the articles, whose slugs it would otherwise be one of.
    path("articles/feed/", LatestArticlesFeed(), name="feed"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    # Files for reference managers: the article's reference list, and the
    # article itself (references.bib, citation.ris, ...).
    path(
        "articles/<slug:slug>/references.<str:extension>",
        views.reference_list_export,
        name="references",
    ),
    path(
        "articles/<slug:slug>/citation.<str:extension>",
        views.citation_export,
        name="citation",
    ),
    path("feeds/articles/", LatestArticlesAtomFeed(), name="atom"),
    path("feeds/articles/rss/", LatestArticlesFeed(), name="rss"),
]
