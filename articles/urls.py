from django.urls import path

from articles import views
from articles.feeds import LatestArticlesFeed

app_name = "articles"

urlpatterns = [
    path("articles/", views.ArticleListView.as_view(), name="list"),
    path("articles/feed/", LatestArticlesFeed(), name="feed"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
]
