"""The site's URLs, with two views the request log tests need."""

from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("The view broke on purpose")


def cached(request):
    # What the page cache sets on a request it answered from the cache.
    request.page_cache_status = "hit"
    return HttpResponse("From the cache")


urlpatterns = [
    path("test-broken/", broken),
    path("test-cached/", cached),
    *site_urlpatterns,
]
