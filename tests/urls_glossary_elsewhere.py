"""The site's URLs with the glossary mounted under another prefix."""

from django.urls import include, path

from portal.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("health-words/", include("glossary.urls")),
    *(pattern for pattern in site_urlpatterns if str(pattern.pattern) != "glossary/"),
]
