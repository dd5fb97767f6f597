"""
The site's URLs as portal/urls.py builds them with PORTAL_ADMIN_PATH set to
"staff-door/" (read from a fresh run of the module, leaving the site's own
URLs as they are).
"""

import runpy

from django.test.utils import override_settings

ADMIN_PATH = "staff-door/"

with override_settings(ADMIN_PATH=ADMIN_PATH):
    urlpatterns = runpy.run_module("portal.urls")["urlpatterns"]
