"""The site's URLs with the admin at another address, as PORTAL_ADMIN_PATH
sets it."""

from django.contrib import admin
from django.urls import path

from portal.urls import urlpatterns as site_urlpatterns

ADMIN_PATH = "staff-door/"

urlpatterns = [
    path(ADMIN_PATH, admin.site.urls),
    *(pattern for pattern in site_urlpatterns if str(pattern.pattern) != "admin/"),
]
