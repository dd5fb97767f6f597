"""
The site's URLs as portal/urls.py builds them with PORTAL_ADMIN_PATH set to
"staff-door/": the module run afresh, apart from the site's own, which is
left as it is.
"""

import importlib.util

from django.test.utils import override_settings

ADMIN_PATH = "staff-door/"

_site_urls = importlib.util.module_from_spec(importlib.util.find_spec("portal.urls"))
with override_settings(ADMIN_PATH=ADMIN_PATH):
    _site_urls.__spec__.loader.exec_module(_site_urls)
urlpatterns = _site_urls.urlpatterns
