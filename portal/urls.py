from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from articles.sitemaps import ArticleSitemap
from glossary.sitemaps import TermSitemap
from portal import views
from portal.csp_reports import csp_report
from portal.models import PAGE_ROUTE_NAME
from portal.read_only import read_only
from portal.sitemaps import PageSitemap, SectionSitemap, TagSitemap

sitemaps = {
    "sections": SectionSitemap,
    "articles": ArticleSitemap,
    "glossary": TermSitemap,
    "tags": TagSitemap,
    "pages": PageSitemap,
}

# The public site: for reading, so GET and HEAD only (405 otherwise).
public_patterns = [
    path("", views.home, name="home"),
    path("", include("articles.urls")),
    path("", include("references.urls")),
    path("glossary/", include("glossary.urls")),
    path("search/", views.site_search, name="search"),
    # Tag slugs keep letters beyond ASCII ("tnf-α"), as django-taggit makes them.
    re_path(r"^tags/(?P<slug>[-\w]+)/$", views.tag_detail, name="tag"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        # Opened in a browser, the sitemap is drawn by the browser's XML
        # viewer, whose styles and icons are inline; the file holds no markup
        # of the site's, so they are allowed here alone.
        csp_update({"style-src": [UNSAFE_INLINE], "img-src": ["data:"]})(sitemap),
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    path(
        f"{settings.MEDIA_URL.strip('/')}/<path:path>",
        views.media_file,
        name="media",
    ),
    # Last, so that every other address wins; a page cannot take one of
    # theirs (Page.clean).
    path("<slug:slug>/", views.PageDetailView.as_view(), name=PAGE_ROUTE_NAME),
]

urlpatterns = [
    # The editors' admin, whose forms change content, at PORTAL_ADMIN_PATH
    # (portal/environment.py checks it).
    path(settings.ADMIN_PATH, admin.site.urls),
    # Browsers post the violations of the Content-Security-Policy here.
    path("csp-report/", csp_report, name="csp_report"),
    *read_only(public_patterns),
]

# A form too large to read gets its own page (413); other bad requests
# Django's 400 page.
handler400 = views.bad_request
handler404 = views.page_not_found
# A database that cannot be reached gets 503 and "briefly unavailable";
# any other error the 500 page.
handler500 = views.server_error
