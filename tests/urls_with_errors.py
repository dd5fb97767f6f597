"""The site's URLs and error handlers, with views that fail."""

from django.db import connection
from django.urls import path

from portal import urls as site_urls


def raise_error(request):
    raise RuntimeError("the secret detail of this failure")


def query_a_missing_table(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT title FROM no_such_table")


handler500 = site_urls.handler500

urlpatterns = [
    path("failing/", raise_error),
    path("failing-sql/", query_a_missing_table),
    *site_urls.urlpatterns,
]
