"""
The site served as in production (gunicorn, DEBUG off, hashed static
files) on a throwaway database of its own, which a test can take away for
real and give back while the site runs:

- on PostgreSQL, the site reaches the server through a TcpProxy, which is
  cut (connections dropped, new ones refused) and restored;
- on SQLite, the database file is moved away and back. The site opens it
  read-write only (`mode=rw`), so that nothing makes an empty database in
  its place meanwhile.

`Browser` talks to it as a browser does: cookies kept, redirects not
followed.
"""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from binascii import unhexlify
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import psycopg
from django_otp.oath import TOTP

from tests.tcp_proxy import TcpProxy

BASE_DIR = Path(__file__).resolve().parent.parent
EDITOR = "outage-editor"
# Seconds the site may take to start, or to answer again once its database
# is back; generous, for a busy machine.
PATIENCE = 60

# One article to read, and an editor to change it, whose authenticator app
# has the key EDITOR_OTP_KEY; prints the article's address and that of its
# admin change page.
MAKE_CONTENT = f"""
import os
from django.contrib.auth.models import User
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.factories import make_article
article = make_article(
    title="Living with fatigue",
    summary="Why tiredness comes with inflammation.",
    body="Tiredness is common in arthritis.",
)
editor = User.objects.create_superuser(
    "{EDITOR}", password=os.environ["EDITOR_PASSWORD"]
)
TOTPDevice.objects.create(
    user=editor, key=os.environ["EDITOR_OTP_KEY"], confirmed=True
)
print(article.get_absolute_url())
print(reverse("admin:articles_article_change", args=[article.pk]))
"""


class SqliteDatabase:
    # An open SQLite connection keeps reading a file moved away (it holds
    # the file, not its name), so the site opens one for each request: only
    # then does it meet the missing file, as every request would meet a
    # server that is down.
    conn_max_age = 0

    def __init__(self, folder):
        self.path = folder / "site.sqlite3"
        self.moved_to = folder / "away.sqlite3"

    def create(self):
        """The URL to migrate and fill the new database through."""
        return f"sqlite:///{self.path}"

    def site_url(self):
        # As the site's own default is written: the settings open the file
        # for reading and writing only, so that it is not made again.
        return f"sqlite:///{self.path}"

    def cut(self):
        self.path.rename(self.moved_to)

    def restore(self):
        assert not self.path.exists(), "an empty database was made in its place"
        self.moved_to.rename(self.path)

    def drop(self):
        """Nothing to do: the file goes with the test's temporary folder."""


class PostgresDatabase:
    # Connections are kept between requests as in production, so the
    # site must notice that the ones it holds were dropped.
    conn_max_age = 60

    def __init__(self, settings_dict):
        self.server = {
            "host": settings_dict["HOST"] or "127.0.0.1",
            "port": int(settings_dict["PORT"] or 5432),
            "user": settings_dict["USER"],
            "password": settings_dict["PASSWORD"],
        }
        self.name = f"{settings_dict['NAME']}_outage"
        self.proxy = TcpProxy((self.server["host"], self.server["port"]))

    def url(self, host, port):
        user = quote(self.server["user"], safe="")
        password = quote(self.server["password"], safe="")
        return f"postgres://{user}:{password}@{host}:{port}/{self.name}"

    def run(self, statement):
        with psycopg.connect(dbname="postgres", autocommit=True, **self.server) as db:
            db.execute(statement)

    def create(self):
        self.run(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.run(f'CREATE DATABASE "{self.name}"')
        return self.url(self.server["host"], self.server["port"])

    def site_url(self):
        self.proxy.start()
        return self.url("127.0.0.1", self.proxy.port)

    def cut(self):
        self.proxy.cut()

    def restore(self):
        self.proxy.restore()

    def freeze(self):
        self.proxy.freeze()

    def thaw(self):
        self.proxy.thaw()

    def drop(self):
        if self.proxy.listener is not None:
            self.proxy.cut()
        self.run(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str


class Browser:
    def __init__(self, port, headers=None):
        self.port = port
        self.cookies = {}
        # Sent with every request (X-Forwarded-For, as a proxy adds it).
        self.headers = headers or {}

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, data):
        return self.request("POST", path, urlencode(data, doseq=True))

    def request(self, method, path, body=None):
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **self.headers,
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body, headers)
            answer = connection.getresponse()
            response = Response(answer.status, answer.headers, answer.read().decode())
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, cookie in SimpleCookie(header).items():
                self.cookies[name] = cookie.value
        return response

    def wait_for(self, path, status):
        """The response to GET `path` once it is `status`, or at the deadline."""
        deadline = time.monotonic() + PATIENCE
        while True:
            try:
                response = self.get(path)
                if response.status == status or time.monotonic() > deadline:
                    return response
            except OSError:
                # Not listening yet.
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.2)


class OutageSite:
    """
    The site on `database` (SqliteDatabase or PostgresDatabase), with one
    published article (`article_url`, `change_url` in the admin) and a
    superuser (EDITOR, `password`, and `code()` from their authenticator
    app). `settings` are further variables of the site's environment;
    `production` serves it with gunicorn.conf.py's workers and threads, as
    `make serve` does, rather than two single-threaded workers.
    """

    def __init__(self, database, folder, settings=None, production=False):
        self.database = database
        self.folder = folder
        self.password = secrets.token_urlsafe(16)
        self.otp_key = secrets.token_hex(20)
        self.settings = settings or {}
        self.production = production
        self.server = None
        self.log = None

    def code(self):
        """The editor's authenticator app's code now."""
        return f"{TOTP(unhexlify(self.otp_key)).token():06d}"

    def environment(self, database_url):
        environment = {
            name: value
            for name, value in os.environ.items()
            if name not in {"DATABASE_URL", "REDIS_URL", "CACHE_URL"}
        }
        environment.update(
            DJANGO_SETTINGS_MODULE="portal.settings",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(45)[:60],
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_CONN_MAX_AGE=str(self.database.conn_max_age),
            # PostgreSQL: a query is stopped after a second, and a server
            # that does not answer is given up two seconds after that.
            DJANGO_DB_STATEMENT_TIMEOUT="1000",
            # Served over plain HTTP, where a browser sends no secure cookie.
            DJANGO_SECURE_COOKIES="0",
            DATABASE_URL=database_url,
            EDITOR_PASSWORD=self.password,
            EDITOR_OTP_KEY=self.otp_key,
            **self.settings,
        )
        return environment

    def manage(self, environment, *arguments):
        finished = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        assert finished.returncode == 0, finished.stderr
        return finished.stdout

    def start(self):
        setup = self.environment(self.database.create())
        self.manage(setup, "migrate", "--no-input", "--verbosity", "0")
        output = self.manage(setup, "shell", "--command", MAKE_CONTENT)
        self.article_url, self.change_url = output.strip().splitlines()[-2:]
        self.manage(setup, "collectstatic", "--no-input", "--verbosity", "0")

        port = free_port()
        self.log = open(self.folder / "gunicorn.log", "w+")
        sizing = (
            ["--config", "gunicorn.conf.py"] if self.production else ["--workers", "2"]
        )
        self.server = subprocess.Popen(
            [Path(sys.executable).parent / "gunicorn", "portal.wsgi"]
            + ["--bind", f"127.0.0.1:{port}", *sizing]
            # Its control socket would be shared with any other gunicorn.
            + ["--no-control-socket"],
            cwd=BASE_DIR,
            env=self.environment(self.database.site_url()),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.port = port
        response = self.browser().wait_for("/healthz", 200)
        assert response.status == 200, self.server_log()

    def browser(self, headers=None):
        """A new browser, with no cookies yet."""
        return Browser(self.port, headers)

    def stop(self):
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=30)
        if self.log is not None:
            self.log.close()
        self.database.drop()

    def server_log(self):
        """What gunicorn and the site wrote, for a failing assertion."""
        self.log.seek(0)
        return self.log.read()


def free_port():
    """A local port nothing listens on (until something binds it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
