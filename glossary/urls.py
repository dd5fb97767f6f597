from django.urls import path

from glossary import views

app_name = "glossary"

urlpatterns = [
    path("", views.TermListView.as_view(), name="list"),
    path("letter/<str:letter>/", views.TermListView.as_view(), name="letter"),
    path("search/", views.search, name="search"),
    path("suggest/", views.suggest, name="suggest"),
    path("<slug:slug>/", views.TermDetailView.as_view(), name="detail"),
]
