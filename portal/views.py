import posixpath
import sys
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static as static_url
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.views import defaults, static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import DetailView
from taggit.models import Tag

from articles.models import Article
from caching.pages import cached_page
from editorial.addresses import absolute_url
from editorial.json_text import HtmlSafeJsonResponse
from glossary.limits import BODY_MAX_LENGTH
from glossary.models import Term
from glossary.rate_limits import limited_per_client
from glossary.search import RESULTS_PER_PAGE, SUGGEST_LIMIT
from glossary.views import search_page
from images.models import ORIGINALS_FOLDER
from portal.error_pages import render_error_page
from portal.health import OK, cache_status, database_status
from portal.models import Page
from portal.outages import RETRY_AFTER_SECONDS, is_database_outage


@cached_page("articles.article")
def home(request):
    """
    The front page: the latest published articles and the glossary search.

    Template: home.html; context: `latest_articles` (up to 6).
    """
    latest = Article.objects.published().with_listing_data()[:6]
    return render(request, "home.html", {"latest_articles": latest})


@limited_per_client("search", "SEARCH_RATE_LIMIT")
def site_search(request):
    """
    Site-wide search: published articles (title, summary, body, or a
    mention of the glossary term the query names) and glossary terms, shown
    in two groups. When the glossary read the query otherwise than typed
    ("humira injection" as "humira"), the page says so, and articles are
    looked for that way too if none match as typed. A blank query shows the
    prompt.

    Template: search.html; context: `query`, `was_shortened`,
    `breadcrumbs`, `articles` (up to 20), `articles_searched_for`, `terms`
    (up to 10), `searched_for`, `ignored_words`, `did_you_mean`.
    """

    def find_results(query):
        terms = Term.objects.search(query, limit=SUGGEST_LIMIT)
        articles = list(Article.objects.search(query)[:RESULTS_PER_PAGE])
        articles_searched_for = ""
        if not articles and terms.searched_for:
            articles_searched_for = terms.searched_for
            found = Article.objects.search(articles_searched_for)
            articles = list(found[:RESULTS_PER_PAGE])
        did_you_mean = [] if articles or terms else Term.objects.closest_to(query)
        return {
            "articles": articles,
            "articles_searched_for": articles_searched_for,
            "terms": terms[:],
            "searched_for": terms.searched_for,
            "ignored_words": terms.ignored_words,
            "did_you_mean": did_you_mean,
        }

    return search_page(request, "search.html", find_results, [("Search", None)])


@cached_page("articles.article")
def tag_detail(request, slug):
    """
    Published articles and glossary terms carrying one tag.

    Template: tag_detail.html; context: `tag`, `articles`, `terms`,
    `breadcrumbs`.
    """
    tag = get_object_or_404(Tag, slug=slug)
    articles = Article.objects.published().filter(tags=tag).with_listing_data()
    terms = Term.objects.filter(tags=tag).alphabetical()
    return render(
        request,
        "tag_detail.html",
        {
            "tag": tag,
            "articles": articles,
            "terms": terms,
            "breadcrumbs": [(f"Tagged “{tag.name}”", None)],
        },
    )


@method_decorator(cached_page(), name="dispatch")
class PageDetailView(DetailView):
    """
    A page about the site itself (About, Editorial policy, Disclaimer...).

    Template: portal/page_detail.html; context: `page`, `breadcrumbs`.
    """

    model = Page

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [(self.object.title, None)]
        return context


def robots_txt(request):
    """
    robots.txt: every page may be crawled except the admin and search
    results (endless, and thin); the sitemap's absolute address.
    """
    sitemap_url = absolute_url(
        request, reverse("django.contrib.sitemaps.views.sitemap")
    )
    # The admin is named only at the address every scanner tries anyway: a
    # moved one (PORTAL_ADMIN_PATH) is not given away here, and its pages
    # ask not to be indexed themselves.
    admin_index = reverse("admin:index")
    lines = [
        "User-agent: *",
        "Allow: /",
        *([f"Disallow: {admin_index}"] if admin_index == "/admin/" else []),
        f"Disallow: {reverse('search')}",
        f"Disallow: {reverse('glossary:search')}",
        f"Disallow: {reverse('glossary:suggest')}",
        "",
        f"Sitemap: {sitemap_url}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def page_not_found(request, exception):
    """
    The 404 page, with its breadcrumbs, naming the address asked for.

    Template: 404.html; context: `request_path`, `breadcrumbs`.
    """
    context = {
        "request_path": quote(request.path),
        "breadcrumbs": [("Page not found", None)],
    }
    return render(request, "404.html", context, status=404)


def server_error(request):
    """
    The page for an error no view handled (handler500; with DEBUG on,
    Django's own page shows instead). A database that cannot be reached
    gets 503 with Retry-After and "briefly unavailable" (503.html); any
    other error the 500 page (500.html). Both are drawn without the
    database (portal/error_pages.py) and show no error text.

    Context: `site_name`, `site_description`, `max_query_length`,
    `request`, `breadcrumbs`.
    """
    outage = is_database_outage(sys.exception())
    if wants_json(request):
        # The search box's suggestions: a short reason it can show.
        response = HtmlSafeJsonResponse(
            {"error": "briefly unavailable" if outage else "something went wrong"},
            status=503 if outage else 500,
        )
    elif outage:
        response = render_error_page(request, "503.html", 503, "Briefly unavailable")
    else:
        return render_error_page(request, "500.html", 500, "Something went wrong")
    if outage:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def csrf_failure(request, reason=""):
    """
    A form refused for its missing or stale CSRF token (CSRF_FAILURE_VIEW):
    403, in the site's look, saying what to do; the reason is Django's, for
    the log, not the page.
    """
    return render_error_page(request, "403_csrf.html", 403, "Form not accepted")


def wants_json(request):
    """Whether the request asked for JSON rather than a page."""
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


# No session, user or CSRF token is read, so no cookie is set and nothing
# varies by one; never cached, by the site's caches or anyone else's.
@require_safe
@never_cache
def healthz(request):
    """
    Whether the site can serve pages, for load balancers and monitors: JSON
    `{"status", "database", "cache"}`, each part "ok" or "unavailable:
    <reason>" (portal/health.py); 200 when all are ok, else 503.
    """
    parts = {"database": database_status(), "cache": cache_status()}
    healthy = all(status == OK for status in parts.values())
    return HtmlSafeJsonResponse(
        {"status": OK if healthy else "unavailable", **parts},
        status=200 if healthy else 503,
    )


def favicon(request):
    """
    The site icon, for browsers and crawlers that ask for /favicon.ico
    without reading the page's `<link rel="icon">`: a temporary redirect to
    the SVG among the static files, whose hashed name changes with it.
    """
    response = redirect(static_url("portal/favicon.svg"))
    # Browsers ask on every page otherwise; a day is short enough for a
    # new icon's name to be found.
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response


def bad_request(request, exception):
    """
    A request Django would not read. A form larger than
    DATA_UPLOAD_MAX_MEMORY_SIZE gets a 413 page saying that nothing was
    saved and that Back in the browser returns to the text; anything else
    gets Django's 400 page (400.html).

    Template: 413.html; context: `max_size` (bytes), `body_max_length`
    (written out, "100,000").
    """
    if isinstance(exception, RequestDataTooBig):
        return render(
            request,
            "413.html",
            {
                "max_size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
                "body_max_length": f"{BODY_MAX_LENGTH:,}",
            },
            status=413,
        )
    return defaults.bad_request(request, exception)


def media_file(request, path):
    """
    An uploaded file from MEDIA_ROOT, when SERVE_MEDIA is on (by default
    only while debugging, as `make run` does). A public site serves
    MEDIA_URL from its web server or object storage instead (README,
    "Images"); without SERVE_MEDIA this is a 404.
    """
    if not settings.SERVE_MEDIA:
        raise Http404("Uploaded files are served by the web server.")
    # Originals keep their metadata; readers get the sizes made from them,
    # as the production set-up in the README serves only those.
    if posixpath.normpath(path).lstrip("/").startswith(f"{ORIGINALS_FOLDER}/"):
        raise Http404("Original uploads are not served.")
    return static.serve(request, path, document_root=settings.MEDIA_ROOT)
