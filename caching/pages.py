"""
Rendered pages kept for anonymous readers (`cached_page` and
`PageCacheMiddleware`), each current until something it showed changes
(caching/dependencies.py, caching/versions.py).

A reader with no session cookie is anonymous: their request is answered
from a kept page before the session, the user or the database is touched.
Everyone else (staff, editors previewing) is served a fresh render, and
nothing rendered for them is kept.

Kept pages carry an ETag (a digest of the page) and Last-Modified (when
the render began); a browser that sends either back for an unchanged page
gets 304 Not Modified.

The cache may fail (Redis restarting, the network): then pages are
rendered as if nothing were kept, and the cache is left alone for a few
seconds, so that readers do not each wait for it. Changes recorded while
it was unreachable are recorded when it answers again, with a change of
every page, since which pages showed them is not known.
"""

import functools
import hashlib
import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from caching import dependencies
from caching.versions import CacheVersions, FileVersions, now

logger = logging.getLogger(__name__)

# What a browser sends when it holds a copy of the page.
CONDITIONAL_HEADERS = frozenset({"HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE"})

# Pages whose last check this process remembers, at most (a few hundred
# bytes each).
MAX_FOUND_CURRENT = 20_000
# Pages of a shared cache this process keeps in memory too, at most.
MAX_SERVED_LATELY = 500

# Headers that belong to one response, not to the page: it is answered
# with the others again.
ONE_RESPONSE_HEADERS = {"date", "set-cookie", "content-length"}


@dataclass
class KeptPage:
    began: int  # when its render began, nanoseconds (versions.now)
    token: object  # the change token then (versions.change_token)
    valid_until: int | None  # when a list it shows changes with no write
    keys: tuple
    status: int
    headers: dict
    content: bytes
    etag: str


def cached_page(*lists):
    """
    Keep the view's pages for anonymous readers. `lists` are the models
    ("articles.article") whose lists the page shows (the latest articles,
    the glossary index):
    a row joining or leaving one changes the page as well as a change to
    any row it read. The page is kept only when it is a 200 that sets no
    cookie.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            recorder = dependencies.recording()
            if recorder is not None:
                recorder.keep = True
                recorder.lists(*lists)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class PageCache:
    """The kept pages and the record of changes, used through `page_cache()`."""

    # How long a failing cache is left alone before it is tried again.
    PAUSE_AFTER_FAILURE = 5.0

    def __init__(self, alias, versions, seconds):
        self.alias = alias
        self.versions = versions
        self.seconds = seconds
        self.paused_until = 0.0
        self.unrecorded = set()
        self.lock = threading.Lock()
        # {page key: the change token when it was last found current}, in
        # this process.
        self.found_current = {}
        # The pages this process served lately, as objects in its memory:
        # a reader is then served without reading the whole page from Redis
        # or unpickling it from the memory cache, once the change token says
        # nothing changed.
        self.served_lately = {}

    @property
    def cache(self):
        return caches[self.alias]

    def key(self, request):
        # The Host header as sent: a host the site does not serve is refused
        # (400) when rendered, so no page is ever kept under it.
        address = "{}://{}{}?{}".format(
            request.scheme,
            request.META.get("HTTP_HOST", ""),
            request.path,
            request.META.get("QUERY_STRING", ""),
        )
        return "page:" + hashlib.sha256(address.encode()).hexdigest()

    def guarded(self, operation, fallback=None):
        """`operation()`, or `fallback` while the cache fails."""
        if time.monotonic() < self.paused_until:
            return fallback
        try:
            self.record_unrecorded()
            return operation()
        except Exception:
            self.paused_until = time.monotonic() + self.PAUSE_AFTER_FAILURE
            logger.warning(
                "Page cache unavailable: pages served uncached", exc_info=True
            )
            return fallback

    def record_changes(self, keys, at):
        try:
            self.versions.record(keys, at)
        except Exception:
            # Not lost: recorded, as a change of every page, once the
            # cache answers (record_unrecorded).
            with self.lock:
                self.unrecorded.update(keys)
            self.paused_until = time.monotonic() + self.PAUSE_AFTER_FAILURE
            logger.warning("Could not record a change in the page cache", exc_info=True)

    def record_unrecorded(self):
        if not self.unrecorded:
            return
        with self.lock:
            keys, self.unrecorded = self.unrecorded, set()
        try:
            self.versions.record([*keys, dependencies.EVERYTHING], now())
        except Exception:
            with self.lock:
                self.unrecorded.update(keys)
            raise

    def find(self, request):
        """The kept page for `request` if it is still current, else None."""

        def look_up():
            key = self.key(request)
            # The token is read before the page's keys: a change recorded
            # while they are read changes it, so the next reader reads them
            # again.
            page = self.served_lately.get(key)
            if page is None:
                page, token = self.versions.get_with_change_token(self.cache, key)
                self.remember_served(key, page)
            else:
                token = self.versions.change_token()
            if page is None:
                return None
            if page.valid_until is not None and now() >= page.valid_until:
                return None
            known = token is not None or not self.versions.missing_means_changed
            if known and token in (page.token, self.found_current.get(key)):
                return page
            if not self.keys_unchanged(page):
                return None
            if len(self.found_current) > MAX_FOUND_CURRENT:
                self.found_current.clear()
            self.found_current[key] = token
            return page

        return self.guarded(look_up)

    def remember_served(self, key, page):
        if page is None:
            return
        if len(self.served_lately) >= MAX_SERVED_LATELY:
            # The oldest first: dictionaries keep their order of insertion.
            self.served_lately.pop(next(iter(self.served_lately)), None)
        self.served_lately[key] = page

    def keys_unchanged(self, page):
        for last in self.versions.last_changed(page.keys).values():
            if last is None:
                if self.versions.missing_means_changed:
                    return False
            elif last >= page.began:
                return False
        return True

    def change_token(self):
        """The versions' change token, or None while the cache fails."""
        return self.guarded(self.versions.change_token)

    def keep(self, request, recorder, token, began, response):
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        with_validators(response, etag, began)
        page = KeptPage(
            began=began,
            token=token,
            valid_until=recorder.valid_until(),
            keys=tuple(sorted(recorder.keys)),
            status=response.status_code,
            headers={
                name: value
                for name, value in response.items()
                if name.lower() not in ONE_RESPONSE_HEADERS
            },
            content=response.content,
            etag=etag,
        )

        def store():
            self.versions.remember(page.keys)
            self.cache.set(self.key(request), page, self.seconds)
            self.remember_served(self.key(request), page)

        self.guarded(store)
        return page


@functools.cache
def _page_cache(alias, versions_folder, seconds):
    if versions_folder:
        return PageCache(alias, FileVersions(versions_folder), seconds)
    return PageCache(alias, CacheVersions(alias), seconds)


def page_cache():
    """The page cache the settings describe (PAGE_CACHE)."""
    options = settings.PAGE_CACHE
    return _page_cache(
        options["CACHE"], options.get("VERSIONS_FOLDER"), options["SECONDS"]
    )


def changed(*keys):
    """
    Record that the content under `keys` changed: at once, for pages
    rendered later in this transaction, and again when it commits, since a
    page rendered in between read the rows as they were.
    """
    if not keys:
        return
    page_cache().record_changes(keys, now())
    transaction.on_commit(lambda: page_cache().record_changes(keys, now()))


def changed_rows(model, pks, lists=False):
    """
    `changed()` for rows written without signals (QuerySet.update,
    bulk_create); `lists`: the writes moved them in their model's lists.
    """
    keys = [dependencies.row_key(model, pk) for pk in pks]
    if lists:
        keys.append(dependencies.list_key(model))
    changed(*keys)


def with_validators(response, etag, began):
    """
    Give `response` the page's ETag and Last-Modified (when its render
    began), and say it varies by cookie: staff, who have one, are served
    other pages.
    """
    response["ETag"] = etag
    response["Last-Modified"] = http_date(began // 10**9)
    if "Cache-Control" not in response:
        # Browsers and proxies may keep it, but ask before each use.
        response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, ["Cookie"])
    return response


class PageCacheMiddleware:
    """
    Answer anonymous GET and HEAD requests from kept pages, and keep the
    pages of `cached_page` views. Placed right after WhiteNoise: a kept
    page is served before sessions, users or the database are touched.
    Sets `request.page_cache_status` ("hit", "miss", "bypass") for the
    request log.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.applies_to(request):
            request.page_cache_status = "bypass"
            return self.get_response(request)
        cache = page_cache()
        page = cache.find(request)
        if page is not None:
            request.page_cache_status = "hit"
            return self.answer(request, page)
        change_token = cache.change_token()
        began = now()
        recorder, recording = dependencies.start_recording()
        try:
            response = self.get_response(request)
        finally:
            dependencies.stop_recording(recording)
        if not (recorder.keep and self.may_keep(response)):
            request.page_cache_status = "bypass"
            return response
        request.page_cache_status = "miss"
        page = cache.keep(request, recorder, change_token, began, response)
        return self.answer(request, page, rendered=response)

    @staticmethod
    def applies_to(request):
        return (
            settings.PAGE_CACHE["ENABLED"]
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    @staticmethod
    def may_keep(response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.cookies
            and not response.streaming
            and "private" not in cache_control
            and "no-store" not in cache_control
        )

    @staticmethod
    def answer(request, page, rendered=None):
        """The page, or 304 when the browser's copy is this page."""
        if CONDITIONAL_HEADERS.intersection(request.META):
            not_modified = get_conditional_response(
                request, etag=page.etag, last_modified=page.began // 10**9
            )
            if not_modified is not None:
                return with_validators(not_modified, page.etag, page.began)
        if rendered is not None:
            return rendered
        # The headers as kept, the validators among them.
        return HttpResponse(page.content, status=page.status, headers=page.headers)
