"""
The settings refuse to start on a missing, malformed or unsafe value
(portal/environment.py), and the documented production values pass
Django's deployment checks. Settings are read afresh from portal/settings.py
with the environment each test gives; start-up itself runs `manage.py` in
a process of its own.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from portal.environment import secret_key

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_FILE = ROOT / "portal" / "settings.py"
STRONG_KEY = "k3y-f0r-the-t3sts-" + "abcdefghijklmnopqrstuvwxyz0123456789"

# The values README ("Running in production") gives for a public site.
PRODUCTION = {
    "DJANGO_SECRET_KEY": STRONG_KEY,
    "DJANGO_ALLOWED_HOSTS": "health.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://health.example.org",
    "PORTAL_SITE_URL": "https://health.example.org",
    "DJANGO_BEHIND_HTTPS_PROXY": "1",
    "DJANGO_SECURE_SSL_REDIRECT": "1",
    "DJANGO_HSTS_SECONDS": "31536000",
}

NUMBERS = [
    "DJANGO_CONN_MAX_AGE",
    "DJANGO_DB_CONNECT_TIMEOUT",
    "DJANGO_DB_STATEMENT_TIMEOUT",
    "DJANGO_SQLITE_TIMEOUT",
    "DJANGO_HSTS_SECONDS",
    "PORTAL_REVIEW_INTERVAL_MONTHS",
    "PORTAL_IMAGE_MAX_MB",
    "PORTAL_IMAGE_MAX_MEGAPIXELS",
    "PORTAL_SIGN_IN_FAILURES",
    "PORTAL_SIGN_IN_LOCKOUT_MINUTES",
    "PORTAL_STAFF_SESSION_HOURS",
]


def clean_environment(**values):
    """This process's environment without the site's settings, plus `values`."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "PORTAL_", "GUNICORN_"))
        and name not in ("DATABASE_URL", "REDIS_URL", "CACHE_URL", "PORT")
    }
    return {**environment, "DJANGO_SETTINGS_MODULE": "portal.settings", **values}


@pytest.fixture
def read_settings(monkeypatch):
    """Reads portal/settings.py with only the given variables set."""

    def read(argv=("pytest",), **values):
        for name in os.environ:
            if name.startswith(("DJANGO_", "PORTAL_")) or name == "DATABASE_URL":
                monkeypatch.delenv(name)
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(sys, "argv", list(argv))
        # Not runpy.run_path, which puts the file's own name in argv[0].
        values = {"__file__": str(SETTINGS_FILE), "__name__": "fresh_settings"}
        exec(compile(SETTINGS_FILE.read_text(), SETTINGS_FILE, "exec"), values)
        return values

    return read


def manage(*arguments, **values):
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=clean_environment(**values),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_values_pass_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_values_with_redis_pass_check_deploy():
    # The search limits' checks read the cache in use: with Redis, each
    # process no longer counts alone.
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        REDIS_URL="redis://127.0.0.1:6379/12",
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_unsafe_secret_key_stops_start_up():
    result = manage("check", DJANGO_SECRET_KEY="short")

    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY has only 5 characters" in (
        result.stderr
    )
    # The key itself is never printed.
    assert "short" not in result.stderr.replace("has only", "")


def test_debug_starts_with_nothing_set():
    """`make run`: DEBUG on, no key given, the one in .secret_key is used."""
    result = manage("check", DJANGO_DEBUG="1")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "key, problem",
    [
        ("", "DJANGO_SECRET_KEY is not set"),
        ("x" * 49, "DJANGO_SECRET_KEY has only 49 characters"),
        ("abcd" * 20, "DJANGO_SECRET_KEY uses only 4 different characters"),
        ("django-insecure-" + STRONG_KEY, "starts with 'django-insecure-'"),
    ],
)
def test_weak_secret_key_is_refused(read_settings, key, problem):
    with pytest.raises(ImproperlyConfigured, match=problem):
        read_settings(**{**PRODUCTION, "DJANGO_SECRET_KEY": key})


def test_debug_reads_secret_key_from_its_file(tmp_path):
    path = tmp_path / ".secret_key"

    made = secret_key("DJANGO_SECRET_KEY_UNSET", True, path)

    assert len(made) >= 50
    assert path.read_text().strip() == made
    assert secret_key("DJANGO_SECRET_KEY_UNSET", True, path) == made


def test_production_ignores_secret_key_file(read_settings):
    # .secret_key may well exist (make run writes it); outside DEBUG only
    # the variable counts.
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY is not set"):
        read_settings(DJANGO_ALLOWED_HOSTS="health.example.org")


@pytest.mark.parametrize("hosts", ["*", "health.example.org,*", "*.example.org"])
def test_any_host_is_refused_in_production(read_settings, hosts):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ALLOWED_HOSTS is"):
        read_settings(**{**PRODUCTION, "DJANGO_ALLOWED_HOSTS": hosts})


def test_local_hosts_are_the_default(read_settings):
    values = {**PRODUCTION}
    del values["DJANGO_ALLOWED_HOSTS"]

    assert read_settings(**values)["ALLOWED_HOSTS"] == [
        "localhost",
        "127.0.0.1",
        "[::1]",
    ]


@pytest.mark.parametrize("name", NUMBERS)
def test_number_that_is_not_one_is_refused_even_in_debug(read_settings, name):
    with pytest.raises(ImproperlyConfigured, match=f"{name} is '10s'"):
        read_settings(DJANGO_DEBUG="1", DJANGO_SECRET_KEY=STRONG_KEY, **{name: "10s"})


@pytest.mark.parametrize("rate", ["fast", "30", "30/minute", "0/m", "30/0m"])
def test_rate_that_is_not_one_is_refused(read_settings, rate):
    with pytest.raises(ImproperlyConfigured, match="PORTAL_SEARCH_RATE_LIMIT is"):
        read_settings(**PRODUCTION, PORTAL_SEARCH_RATE_LIMIT=rate)


def test_rate_limits_are_on_unless_switched_off(read_settings):
    assert read_settings(**PRODUCTION)["RATELIMIT_ENABLE"] is True
    switched_off = read_settings(**PRODUCTION, PORTAL_RATE_LIMITS="0")
    assert switched_off["RATELIMIT_ENABLE"] is False


def test_rates_come_from_the_environment(read_settings):
    values = read_settings(
        **PRODUCTION, PORTAL_SEARCH_RATE_LIMIT="100/5m", PORTAL_SUGGEST_RATE_LIMIT=""
    )

    assert values["SEARCH_RATE_LIMIT"] == "100/5m"
    assert values["SUGGEST_RATE_LIMIT"] == "120/m"


def test_switch_that_is_not_one_is_refused(read_settings):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG is 'ture'"):
        read_settings(DJANGO_DEBUG="ture")


@pytest.mark.parametrize("url", ["health.example.org", "ftp://health.example.org"])
def test_site_url_without_http_scheme_is_refused(read_settings, url):
    with pytest.raises(ImproperlyConfigured, match="PORTAL_SITE_URL is"):
        read_settings(**{**PRODUCTION, "PORTAL_SITE_URL": url})


@pytest.mark.parametrize(
    "path, problem",
    [
        ("staff", "not one path segment ending in '/'"),
        ("staff/door/", "not one path segment ending in '/'"),
        ("/", "not one path segment ending in '/'"),
        ("../", "not one path segment ending in '/'"),
        ("glossary/", "an address the site serves itself"),
        ("Articles/", "an address the site serves itself"),
    ],
)
def test_admin_path_that_is_not_one_free_segment_is_refused(
    read_settings, path, problem
):
    with pytest.raises(ImproperlyConfigured, match=f"PORTAL_ADMIN_PATH is .*{problem}"):
        read_settings(**PRODUCTION, PORTAL_ADMIN_PATH=path)


def test_admin_path_is_read_from_the_environment(read_settings):
    assert read_settings(**PRODUCTION)["ADMIN_PATH"] == "admin/"
    values = read_settings(**PRODUCTION, PORTAL_ADMIN_PATH="staff-7f3k/")
    assert values["ADMIN_PATH"] == "staff-7f3k/"


def test_unknown_log_level_is_refused(read_settings):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_LOG_LEVEL is 'LOUD'"):
        read_settings(**PRODUCTION, DJANGO_LOG_LEVEL="loud")


def test_hsts_covers_subdomains_and_preload_once_on(read_settings):
    values = read_settings(**PRODUCTION)

    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True


def test_hsts_preload_can_be_switched_off(read_settings):
    values = read_settings(**PRODUCTION, DJANGO_HSTS_PRELOAD="0")

    assert values["SECURE_HSTS_PRELOAD"] is False
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True


def test_hsts_is_off_by_default(read_settings):
    values = read_settings(DJANGO_SECRET_KEY=STRONG_KEY)

    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert values["SECURE_HSTS_PRELOAD"] is False


POSTGRES_URL = "postgres://portal@db.example.org:5432/portal"


def test_postgres_connections_have_timeouts_and_keepalives(read_settings):
    database = read_settings(DJANGO_SECRET_KEY=STRONG_KEY, DATABASE_URL=POSTGRES_URL)[
        "DATABASES"
    ]["default"]

    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["OPTIONS"]["connect_timeout"] == 3
    assert database["OPTIONS"]["options"] == "-c statement_timeout=10000"
    assert database["OPTIONS"]["keepalives"] == 1


def test_postgres_timeouts_come_from_the_environment(read_settings):
    database = read_settings(
        DJANGO_SECRET_KEY=STRONG_KEY,
        DATABASE_URL=POSTGRES_URL,
        DJANGO_CONN_MAX_AGE="0",
        DJANGO_DB_CONNECT_TIMEOUT="7",
        DJANGO_DB_STATEMENT_TIMEOUT="2500",
    )["DATABASES"]["default"]

    assert database["CONN_MAX_AGE"] == 0
    assert database["OPTIONS"]["connect_timeout"] == 7
    assert database["OPTIONS"]["options"] == "-c statement_timeout=2500"


@pytest.mark.parametrize("command", ["migrate", "db_worker", "relink"])
def test_migrate_and_worker_have_no_statement_timeout(read_settings, command):
    database = read_settings(
        argv=("manage.py", command),
        DJANGO_SECRET_KEY=STRONG_KEY,
        DATABASE_URL=POSTGRES_URL,
    )["DATABASES"]["default"]

    assert database["OPTIONS"]["options"] == "-c statement_timeout=0"


def test_sqlite_keeps_its_busy_timeout(read_settings):
    database = read_settings(DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_SQLITE_TIMEOUT="9")[
        "DATABASES"
    ]["default"]

    assert database["OPTIONS"]["timeout"] == 9
    assert database["CONN_HEALTH_CHECKS"] is True


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's statement timeout"
)
def test_postgres_session_has_the_statement_timeout(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "10s"


def gunicorn(option, **values):
    return subprocess.run(
        [Path(sys.executable).parent / "gunicorn", option]
        + ["-c", "gunicorn.conf.py", "portal.wsgi"],
        cwd=ROOT,
        env=clean_environment(DJANGO_SECRET_KEY=STRONG_KEY, **values),
        capture_output=True,
        text=True,
        timeout=120,
    )


def gunicorn_settings(output):
    lines = (line.partition("=") for line in output.splitlines() if "=" in line)
    return {name.strip(): value.strip() for name, __, value in lines}


def test_gunicorn_is_sized_for_the_machine():
    result = gunicorn("--print-config")

    assert result.returncode == 0, result.stderr
    config = gunicorn_settings(result.stdout)
    assert config["workers"] == str(os.cpu_count())
    assert config["worker_class"] == "gthread"
    assert config["bind"] == "['127.0.0.1:8000']"
    assert config["accesslog"] == "None"
    # HTTPS is Django's to read from a trusted proxy, never gunicorn's from
    # any client's X-Forwarded-Proto.
    assert config["secure_scheme_headers"] == "{}"
    assert config["forwarded_allow_ips"] == "[]"


def test_gunicorn_reads_its_variables():
    result = gunicorn(
        "--print-config", PORT="8123", GUNICORN_WORKERS="3", GUNICORN_THREADS="2"
    )

    config = gunicorn_settings(result.stdout)
    assert (config["bind"], config["workers"], config["threads"]) == (
        "['127.0.0.1:8123']",
        "3",
        "2",
    )
    bound = gunicorn_settings(
        gunicorn("--print-config", GUNICORN_BIND="0.0.0.0:9000").stdout
    )
    assert bound["bind"] == "['0.0.0.0:9000']"


def test_gunicorn_refuses_a_worker_count_that_is_not_a_number():
    result = gunicorn("--check-config", GUNICORN_WORKERS="two")

    assert result.returncode != 0
    assert "GUNICORN_WORKERS is 'two'" in result.stderr


def test_sqlite_option_it_does_not_take_is_refused_naming_database_url(
    read_settings, tmp_path
):
    address = f"sqlite:///{tmp_path}/site.sqlite3?mode=rw"
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL gives SQLite options"):
        read_settings(**{**PRODUCTION, "DATABASE_URL": address})


def test_sqlite_file_is_never_made_by_the_web_server(read_settings, tmp_path):
    path = tmp_path / "site.sqlite3"
    address = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{path}"}

    def name(*argv):
        return read_settings(argv=argv, **address)["DATABASES"]["default"]["NAME"]

    read_write_only = f"file:{path}?mode=rw"
    assert name(".venv/bin/gunicorn", "portal.wsgi") == read_write_only
    assert name("manage.py", "runserver") == read_write_only
    # A new site: migrate, or a script setting up a site of its own, makes it.
    assert name("manage.py", "migrate") == str(path)
    assert name("bench.py") == str(path)
    # Once it is there, nothing makes another in its place.
    path.touch()
    assert name("manage.py", "load_demo") == read_write_only
