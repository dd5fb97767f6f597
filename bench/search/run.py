"""
One database's run of the glossary search benchmark:
`python -m bench.search.run --database sqlite` (or `postgres`).

The database is chosen through DATABASE_URL, which the settings read when
Django is set up, so each database gets a process of its own. SQLite uses a
fresh file in the temporary directory; PostgreSQL a fresh database,
`portal_bench`, on the server at 127.0.0.1:5432 (user postgres). Both are
deleted afterwards.

Exits with 0 when every floor is met, 1 (FLOOR_MISSED) when one is missed,
and 2 when the run stops with an error. A PostgreSQL server that cannot be
reached is reported and skipped, with 0.
"""

import argparse
import os
import sys
import tempfile
import traceback
from pathlib import Path

from bench.harness import UNLIMITED, Stopwatch

SEED = 20241127
TERMS = 100_000
ALIASES = 200_000
QUERIES_PER_KIND = 50
ROUNDS = 1
ICONTAINS_ROUNDS = 1
# The icontains scan reads every row whatever the query, so its time hardly
# varies from one query to the next; at 100-200 ms a call, a few queries of
# each kind give its median and keep the whole run within minutes.
ICONTAINS_QUERIES = 20
# The exit status of a run that stopped with an error.
STOPPED = 2

SQLITE_PATH = Path(tempfile.gettempdir()) / "portal-bench.sqlite3"
POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "portal_bench"


def remove_sqlite_files():
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)


def postgres_admin():
    import psycopg

    return psycopg.connect(
        f"{POSTGRES_SERVER}/postgres", autocommit=True, connect_timeout=5
    )


def create_postgres_database():
    with postgres_admin() as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {POSTGRES_DATABASE}")


def drop_postgres_database():
    with postgres_admin() as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.search.run")
    parser.add_argument("--database", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--terms", type=int, default=TERMS)
    parser.add_argument("--aliases", type=int, default=ALIASES)
    parser.add_argument("--queries", type=int, default=QUERIES_PER_KIND)
    parser.add_argument(
        "--rounds",
        type=int,
        default=ROUNDS,
        help="timed calls per query for the views and the raw floor",
    )
    parser.add_argument(
        "--icontains-rounds",
        type=int,
        default=ICONTAINS_ROUNDS,
        help="timed calls per query for the icontains scan",
    )
    parser.add_argument(
        "--icontains-queries",
        type=int,
        default=ICONTAINS_QUERIES,
        help="how many of each kind's queries the icontains scan is timed on",
    )
    parser.add_argument(
        "--keep-database",
        action="store_true",
        help="leave the loaded database in place afterwards, for a closer look",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile (cProfile) each view and kind that misses a floor",
    )
    options = parser.parse_args(argv)
    options.aliases = max(options.aliases, options.terms)
    options.watch = Stopwatch()
    return options


def main(argv=None):
    options = parse(argv)
    if options.database == "postgres":
        try:
            create_postgres_database()
        except Exception as error:  # noqa: BLE001 - any failure means "skip"
            print(
                f"\n=== postgresql ===\nPostgreSQL at {POSTGRES_SERVER} is "
                f"unreachable, skipped: {str(error).strip()}"
            )
            return 0
        url = f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"
    else:
        remove_sqlite_files()
        url = f"sqlite:///{SQLITE_PATH}"

    # Read by portal/settings.py, so set before Django is.
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ.update(UNLIMITED)
    import django

    django.setup()
    from django.db import connections

    from bench.search.measure import run

    try:
        status = run(options)
    except Exception:  # noqa: BLE001 - report, clean up, and let the next run go
        traceback.print_exc()
        return STOPPED
    finally:
        connections.close_all()
        if options.keep_database:
            print(f"Database kept: {url}")
        elif options.database == "postgres":
            drop_postgres_database()
        else:
            remove_sqlite_files()
    return status


if __name__ == "__main__":
    sys.exit(main())
