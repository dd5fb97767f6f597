"""
When each piece of content last changed: the clock that tells a kept page
whether it is still current.

A page is kept with the time its render began and the keys of what it
showed ("articles.article:7", the list "articles.article"). A change to
any of them records the time of the change under its key; the kept page is
current while every one of its keys last changed before its render began.
Comparing with the render's start, not its end, means that a change
committed while the page was rendering always makes it stale.

Every process that serves pages or changes content must read and write the
same record, or a change made in one (an editor's save, the background
worker's relinking) would not reach pages kept by another:

- `CacheVersions` keeps it in a shared cache (Redis), for any number of
  processes and machines. A key the cache evicted is read as changed.
- `FileVersions` keeps it as the modification times of small files in one
  folder, for the processes of one machine when pages are kept in each
  process's memory (the default). A key never written has never changed.

Both also keep the time of the latest change of anything (`change_token`),
written after the keys of each change: while it is what it was when a
page's render began, or when the page was last found current, nothing has
changed since, and the page's own keys need not be read.
"""

import os
import time

from django.core.cache import caches

# A key that never changed, in a shared cache: written when a page that
# shows it is kept, so that one evicted later reads as changed.
NEVER = 0
# The key whose time is that of the latest change of anything.
ANY_CHANGE = "any-change"


def now():
    """The clock both kinds of record use: nanoseconds since the epoch."""
    return time.time_ns()


class CacheVersions:
    missing_means_changed = True

    def __init__(self, alias, prefix="version:"):
        self.alias = alias
        self.prefix = prefix

    @property
    def cache(self):
        return caches[self.alias]

    def record(self, keys, at):
        self.cache.set_many({self.prefix + key: at for key in keys}, timeout=None)
        self.cache.set(self.prefix + ANY_CHANGE, at, timeout=None)

    def change_token(self):
        return self.cache.get(self.prefix + ANY_CHANGE)

    def get_with_change_token(self, cache, key):
        """`cache.get(key)` and the change token, in one round trip when
        the versions are kept in `cache` too."""
        if cache is not self.cache:
            return cache.get(key), self.change_token()
        token_key = self.prefix + ANY_CHANGE
        found = cache.get_many([key, token_key])
        return found.get(key), found.get(token_key)

    def last_changed(self, keys):
        """{key: time of its last change, or None when not recorded}."""
        found = self.cache.get_many([self.prefix + key for key in keys])
        return {key: found.get(self.prefix + key) for key in keys}

    def remember(self, keys):
        """Record NEVER for the keys not recorded yet."""
        for key in [*keys, ANY_CHANGE]:
            self.cache.add(self.prefix + key, NEVER, timeout=None)


class FileVersions:
    missing_means_changed = False

    def __init__(self, folder):
        self.folder = os.fspath(folder)

    def path(self, key):
        # Keys are model labels and primary keys ("glossary.term:12"):
        # letters, digits, dots, hyphens and the colon, which becomes "-".
        return f"{self.folder}/{key.replace(':', '-')}"

    def record(self, keys, at):
        os.makedirs(self.folder, exist_ok=True)
        for key in [*keys, ANY_CHANGE]:
            path = self.path(key)
            with open(path, "a"):
                pass
            os.utime(path, ns=(at, at))

    def change_token(self):
        return self.last_changed([ANY_CHANGE])[ANY_CHANGE]

    def get_with_change_token(self, cache, key):
        return cache.get(key), self.change_token()

    def last_changed(self, keys):
        changed = {}
        for key in keys:
            try:
                changed[key] = os.stat(self.path(key)).st_mtime_ns
            except FileNotFoundError:
                changed[key] = None
        return changed

    def remember(self, keys):
        pass
