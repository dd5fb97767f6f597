"""The site's URLs, with a view that raises for the request log tests."""

from django.urls import path

from portal.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("The view broke on purpose")


urlpatterns = [
    path("test-broken/", broken),
    *site_urlpatterns,
]
