from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalConfig(AppConfig):
    """The site itself: settings, pages, the demo content and its command."""

    default = True
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on the site's own AdminSite (portal/admin.py)."""

    default = False
    default_site = "portal.admin.PortalAdminSite"
