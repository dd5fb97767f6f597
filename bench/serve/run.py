"""
One database's run of bench/serve: a throw-away site, the reference file,
and the two servers (page cache on and off) measured with wrk.
"""

import os
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import psycopg
import redis

from bench.harness import Floors, timed
from bench.scratch import PostgresScratch
from bench.serve import figures
from bench.serve.figures import STATIC
from bench.serve.wrk import run_wrk
from bench.site import DEMO_PAGES, prepare_site, running_server, server_environment

POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
# The article's HTML, saved under STATIC_ROOT before the servers start:
# WhiteNoise lists the files it serves when it starts.
REFERENCE = "bench/article.html"
TARGETS = {
    STATIC: f"/static/{REFERENCE}",
    "article": DEMO_PAGES["article"],
    "term": DEMO_PAGES["term"],
    "index": DEMO_PAGES["glossary index"],
    # glossary:suggest, as the search box asks it while a reader types.
    "suggest": "/glossary/suggest/?q=adal",
}
LOAD_TARGETS = ("article", "term")
# The page cache is on unless PORTAL_PAGE_CACHE switches it off.
MODES = {"cached": {}, "uncached": {"PORTAL_PAGE_CACHE": "0"}}
CACHE_STATES = {"cached": "page cache on", "uncached": "page cache off"}
# Untimed seconds of wrk on each target before a server's rounds, so that
# each worker has loaded its code, templates and cache.
WARM_UP_SECONDS = 1
# When wrk stops, the server still works through the requests it had
# queued, closed connections or not: 256 slow pages take seconds. Each run
# waits until the static file comes back this fast (or for at most
# SETTLE_SECONDS), so that it does not pay for the run before.
IDLE_MS = 50
SETTLE_SECONDS = 30


class SiteFailed(Exception):
    """The site could not be set up, started or fetched."""


@contextmanager
def scratch_site(database, folder, redis_db):
    """
    The environment of a server on a database made for this run: a SQLite
    file in `folder`, or a PostgreSQL database with the Redis database
    `redis_db` as its cache, emptied before and after. All is removed when
    the block ends.
    """
    static_root = folder / "static"
    if database == "sqlite":
        yield server_environment(f"sqlite:///{folder / 'serve.sqlite3'}", static_root)
        return
    scratch = PostgresScratch(POSTGRES_SERVER, f"portal_bench_serve_{os.getpid()}")
    redis_url = f"redis://127.0.0.1:6379/{redis_db}"
    try:
        scratch.create()
        flush_redis(redis_url)
    except psycopg.OperationalError as error:
        raise SiteFailed(f"PostgreSQL could not be reached: {error}") from error
    except redis.ConnectionError as error:
        scratch.remove()
        raise SiteFailed(f"Redis could not be reached: {error}") from error
    try:
        yield server_environment(scratch.url, static_root, redis_url)
    finally:
        scratch.remove()
        flush_redis(redis_url)


def flush_redis(url):
    with redis.Redis.from_url(url, socket_connect_timeout=5) as client:
        client.flushdb()


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def wait_until_idle(base_url):
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline:
        _, elapsed = timed(fetch, base_url + TARGETS[STATIC])
        if elapsed < IDLE_MS:
            return
        time.sleep(0.1)
    print(f"  the server was still busy after {SETTLE_SECONDS} s")


def measure(base_url, target, connections, seconds, count_statuses=False):
    """wrk's figures for `target`, once the server is idle."""
    wait_until_idle(base_url)
    return run_wrk(base_url + TARGETS[target], connections, seconds, count_statuses)


def save_reference(environment, log):
    """
    The article page's HTML, fetched from a server started for it and
    written to REFERENCE under STATIC_ROOT.
    """
    with running_server(environment, log) as base_url:
        html = fetch(base_url + TARGETS["article"])
    path = Path(environment["DJANGO_STATIC_ROOT"]) / REFERENCE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(html)
    return len(html)


def measure_server(base_url, options, load):
    """
    The Summaries of one server's interleaved rounds, by target; and, when
    `load` is set, its load run's WrkResults by target.
    """
    for target, path in TARGETS.items():
        # Raises HTTPError unless the target answers, before any timing.
        fetch(base_url + path)
        measure(base_url, target, options.connections, WARM_UP_SECONDS)
    rounds = {target: [] for target in TARGETS}
    for number in range(1, options.rounds + 1):
        print(f"  round {number} of {options.rounds}", flush=True)
        for target in TARGETS:
            rounds[target].append(
                measure(base_url, target, options.connections, options.seconds)
            )
    summaries = {target: figures.summarise(runs) for target, runs in rounds.items()}
    if not load:
        return summaries, {}
    print(f"  load: {options.load_connections} connections", flush=True)
    load_results = {
        target: measure(
            base_url,
            target,
            options.load_connections,
            options.load_seconds,
            count_statuses=True,
        )
        for target in LOAD_TARGETS
    }
    return summaries, load_results


def mode_environment(environment, switches):
    """
    `environment` with `switches` in place of any PORTAL_PAGE_CACHE it had:
    one set in the caller's shell would change both modes.
    """
    environment = {
        name: value
        for name, value in environment.items()
        if name != "PORTAL_PAGE_CACHE"
    }
    return environment | switches


def measure_site(environment, folder, options):
    """Both servers' figures: Summaries by mode and target, and the load run."""
    with open(folder / "gunicorn.log", "w+") as log:
        try:
            print("Setting up the site", flush=True)
            prepare_site(environment)
            size = save_reference(environment, log)
            print(f"Reference: the article's HTML, {size / 1024:,.1f} KB")
            modes, load = {}, {}
            for mode, switches in MODES.items():
                print(f"Server with the {CACHE_STATES[mode]}", flush=True)
                with running_server(
                    mode_environment(environment, switches), log
                ) as base_url:
                    modes[mode], results = measure_server(
                        base_url, options, load=mode == "cached"
                    )
                    load.update(results)
        except (subprocess.CalledProcessError, RuntimeError, OSError) as error:
            log.seek(0)
            raise SiteFailed(f"{error}\n{log.read()[-2000:]}") from error
    return modes, load


def run(database, options):
    """Measure the site on `database`, print its tables and floors."""
    with tempfile.TemporaryDirectory(prefix="portal-serve-") as folder:
        folder = Path(folder)
        with scratch_site(database, folder, options.redis_db) as environment:
            modes, load = measure_site(environment, folder, options)
    for mode, summaries in modes.items():
        figures.print_interleaved(
            f"{database}, {CACHE_STATES[mode]}: "
            f"{options.connections} connections, median of {options.rounds} "
            f"rounds of {options.seconds} s",
            summaries,
        )
    figures.print_load(
        f"{database}, page cache on: {options.load_connections} connections "
        f"for {options.load_seconds} s",
        load,
    )
    floors = Floors(f"Floors, {database}")
    for check in figures.floor_checks(
        modes, load, options.connections, options.load_connections
    ):
        floors.check(check.label, check.shown, check.passed)
    return floors.exit_status
