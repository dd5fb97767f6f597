"""
A throw-away copy of the site, served as in production: DEBUG off, hashed
static files, gunicorn on a free port of 127.0.0.1. For the benchmarks
that measure the site from outside (bench/lighthouse.py, bench/serve).

- `server_environment` gives the settings such a server reads, with a
  database, a static folder and a cache of the caller's;
- `prepare_site` migrates, loads and links the demo content and collects
  the static files;
- `running_server` starts gunicorn as `make serve` does and stops it when
  the block ends.

Everything runs in subprocesses, so the caller never sets up Django.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from bench.harness import UNLIMITED

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN_CONFIG = BASE_DIR / "gunicorn.conf.py"
# Without the project's config, a small version of what it sets up:
# threaded workers, so that a slow request does not hold a whole process.
GUNICORN_DEFAULTS = ["--workers", "2", "--threads", "4", "--worker-class", "gthread"]
# Demo pages with something of each kind on them: the article's body has
# glossary links and references, the term page its relation diagram.
DEMO_PAGES = {
    "article": "/articles/what-are-cytokines/",
    "term": "/glossary/tnf-alpha/",
    "glossary index": "/glossary/",
}
# Seconds a server has to answer its first request.
START_TIMEOUT = 60


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(database_url, static_root, redis_url=None):
    """
    The settings a production server reads, with the given database,
    STATIC_ROOT and Redis cache (per-process memory when None). The secret
    key is a new random one: each run's site is new, and every worker of
    the server reads the same environment.
    """
    environment = dict(os.environ)
    # A cache configured in the caller's shell is not the run's to use.
    for name in ("REDIS_URL", "CACHE_URL"):
        environment.pop(name, None)
    if redis_url:
        environment["REDIS_URL"] = redis_url
    environment.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(45),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SETTINGS_MODULE="portal.settings",
        DATABASE_URL=database_url,
        DJANGO_STATIC_ROOT=str(static_root),
        **UNLIMITED,
    )
    return environment


def prepare_site(environment):
    """Migrate, load and link the demo content, and collect static files."""
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    for command in (
        ["migrate", "--no-input"],
        ["load_demo"],
        # What the worker does after `make run` loads the demo.
        ["relink"],
        ["collectstatic", "--no-input"],
    ):
        subprocess.run(
            manage + command + ["--verbosity", "0"],
            cwd=BASE_DIR,
            env=environment,
            check=True,
        )


def gunicorn_command(port):
    """Gunicorn as `make serve` starts it, bound to `port` of 127.0.0.1."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    if GUNICORN_CONFIG.exists():
        settings = ["-c", str(GUNICORN_CONFIG)]
    else:
        settings = GUNICORN_DEFAULTS
    return [str(gunicorn), *settings, "portal.wsgi", "--bind", f"127.0.0.1:{port}"]


@contextmanager
def running_server(environment, log):
    """
    The base URL of gunicorn serving the site, once it answers; its output
    goes to the file `log`. The server is stopped when the block ends.
    Raises RuntimeError if it does not start.
    """
    port = free_port()
    server = start_server(environment, port, log)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_server(server)


def start_server(environment, port, log):
    """Gunicorn on `port`; returns once it answers."""
    server = subprocess.Popen(
        gunicorn_command(port),
        cwd=BASE_DIR,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped with status {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
                return server
        except urllib.error.HTTPError as error:
            stop_server(server)
            raise RuntimeError(f"the home page answered {error.code}") from error
        except OSError:
            # Not listening yet, or a worker still starting on a busy machine.
            time.sleep(0.5)
    stop_server(server)
    raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT} s")


def stop_server(server):
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
