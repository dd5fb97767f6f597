"""
Entry point for `python -m bench.relink`.

The benchmark builds its own scratch database and deletes it afterwards
(`--keep-database` leaves it). Without DATABASE_URL, or with a SQLite one,
that is a file in the temporary directory, never the site's own. With a
PostgreSQL DATABASE_URL it is a database named after the one the URL names,
with `_relink_bench_` and the process id added, on the same server; the
named database itself is not touched. The process id keeps two runs on one
machine from deleting each other's database. DATABASE_URL is read when
Django is set up, so it is pointed at the scratch database first.
"""

import os
import sys
import tempfile
import traceback
from pathlib import Path
from urllib.parse import urlsplit

from bench.relink.options import parse
from bench.scratch import PostgresScratch

SQLITE_PATH = Path(tempfile.gettempdir()) / f"portal-bench-relink-{os.getpid()}.sqlite3"
SCRATCH_SUFFIX = f"_relink_bench_{os.getpid()}"
# The exit status of a run that stopped with an error.
STOPPED = 2


class SQLiteScratch:
    url = f"sqlite:///{SQLITE_PATH}"

    def create(self):
        self.remove()

    def remove(self):
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)


def scratch_for(url):
    if url and url.split(":", 1)[0] in ("postgres", "postgresql", "pgsql"):
        name = urlsplit(url).path.lstrip("/") + SCRATCH_SUFFIX
        return PostgresScratch(url, name)
    return SQLiteScratch()


def main(argv=None):
    options = parse(argv)
    scratch = scratch_for(os.environ.get("DATABASE_URL"))
    scratch.create()
    os.environ["DATABASE_URL"] = scratch.url
    # The task backend that production uses: the request only enqueues.
    os.environ["PORTAL_TASK_BACKEND"] = "django_tasks_db.DatabaseBackend"
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost"
    import django

    django.setup()
    from django.db import connections

    from bench.relink.run import run

    try:
        return run(options)
    except Exception:  # noqa: BLE001 - report, and still remove the database
        traceback.print_exc()
        return STOPPED
    finally:
        connections.close_all()
        if options.keep_database:
            print(f"Database kept: {scratch.url}")
        else:
            scratch.remove()


if __name__ == "__main__":
    sys.exit(main())
