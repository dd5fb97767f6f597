"""
Reading the settings from the environment, and refusing to start on a value
that is malformed or, outside DEBUG, unsafe.

settings.py reads every variable through these helpers. A bad value raises
ImproperlyConfigured at start-up, naming the variable and saying what to
do, so that a typo stops `manage.py` or gunicorn at once instead of
becoming a 500 on some later request. Malformed values (a number that is
not one, an address without its scheme) are refused even while debugging;
the checks of an unsafe production value (a weak secret key, any host
allowed) apply only with DJANGO_DEBUG off.

Nothing here imports models or needs Django to be set up, so gunicorn's
configuration can use it too.
"""

import os
import re
import secrets
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

# What Django's own deployment check (security.W009) asks of a key.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 5
INSECURE_PREFIX = "django-insecure-"
MAKE_A_KEY = "python3 -c 'import secrets; print(secrets.token_urlsafe(50))' makes one"


def env_str(name, default=""):
    value = os.environ.get(name, "").strip()
    return value or default


def env_bool(name, default=False):
    """A switch: 1/0, true/false, yes/no or on/off; anything else is refused."""
    value = env_str(name).lower()
    if not value:
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name} is {value!r}: set it to 1 or 0 (true/false, yes/no and on/off "
        "work too), or leave it unset for the default."
    )


def env_list(name, default):
    value = env_str(name)
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name, default, minimum=0):
    """A whole number of at least `minimum`; anything else is refused."""
    value = env_str(name)
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise ImproperlyConfigured(
            f"{name} is {value!r}, not a whole number of at least {minimum}: "
            f"set it to one (the default is {default}), or leave it unset."
        )
    return number


def env_choice(name, default, choices):
    value = env_str(name).upper()
    if not value:
        return default
    if value not in choices:
        raise ImproperlyConfigured(
            f"{name} is {value!r}: set it to one of {', '.join(choices)}, "
            f"or leave it unset for {default}."
        )
    return value


# How django-ratelimit writes a rate: a count, "/", and a period, which may
# be a number of seconds, minutes, hours or days ("30/m", "100/5m").
RATE = re.compile(r"[1-9][0-9]*/(?:[1-9][0-9]*)?[smhd]")


def env_rate(name, default):
    """A rate such as "30/m" (30 a minute) or "100/5m"; anything else is refused."""
    value = env_str(name)
    if not value:
        return default
    if not RATE.fullmatch(value):
        raise ImproperlyConfigured(
            f"{name} is {value!r}: give a count and a period, such as 30/m "
            "(30 a minute), 100/5m or 1000/h (s, m, h or d), or leave it unset "
            f"for {default}."
        )
    return value


def site_url(name):
    """
    The site's public address without a trailing slash, or "" when unset.
    Without its scheme, links made from it would be relative paths on
    whatever host reads them.
    """
    value = env_str(name).rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImproperlyConfigured(
            f"{name} is {value!r}: give the site's public address with its "
            "scheme, such as https://health.example.org, or leave it unset "
            "to use each request's own."
        )
    return value


def secret_key(name, debug, fallback_file):
    """
    The secret key from `name`. While debugging (`make run`), a missing key
    is read from `fallback_file`, made on first use. Otherwise the key must
    be set and strong: it signs sessions, password-reset links and CSRF
    tokens, and a guessable one lets anyone forge them.
    """
    key = env_str(name)
    if debug:
        return key or read_or_create_secret_key(fallback_file)
    if not key:
        problem = "is not set, and with DJANGO_DEBUG off the site needs its own"
    elif len(key) < SECRET_KEY_MIN_LENGTH:
        problem = f"has only {len(key)} characters"
    elif len(set(key)) < SECRET_KEY_MIN_DISTINCT:
        problem = f"uses only {len(set(key))} different characters"
    elif key.startswith(INSECURE_PREFIX):
        problem = f"starts with {INSECURE_PREFIX!r}, a key made for development"
    else:
        return key
    raise ImproperlyConfigured(
        f"{name} {problem}: set it to a random string of at least "
        f"{SECRET_KEY_MIN_LENGTH} characters ({MAKE_A_KEY}) and keep it "
        "secret. `make serve` makes one in .secret_key when it is unset."
    )


def read_or_create_secret_key(path):
    """
    Return the key stored in `path`, creating the file on first use.

    A key generated afresh on every start would differ between server
    workers and invalidate every session at each restart, so one is kept on
    disk (git-ignored).
    """
    try:
        return Path(path).read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(SECRET_KEY_MIN_LENGTH)
        Path(path).write_text(key + "\n")
        Path(path).chmod(0o600)
        return key


def allowed_hosts(name, default, debug):
    """
    The host names the site answers to. Outside DEBUG a `*` is refused: any
    Host header would then be believed, and links built from it (password
    resets, canonical addresses) could point anywhere.
    """
    hosts = env_list(name, default)
    if debug:
        return hosts
    if not hosts or any("*" in host for host in hosts):
        raise ImproperlyConfigured(
            f"{name} is {env_str(name)!r}: list the host names the site "
            "answers to, comma-separated and without '*', such as "
            "health.example.org,www.health.example.org."
        )
    return hosts


def management_command(argv=None):
    """
    The command this process runs through `manage.py` or `django-admin`,
    or "" for any other process (gunicorn, pytest).
    """
    argv = sys.argv if argv is None else argv
    if len(argv) > 1 and Path(argv[0]).name in ("manage.py", "django-admin"):
        return argv[1]
    return ""


# What sqlite3.connect() takes, and the two options Django reads itself.
SQLITE_OPTIONS = {
    "timeout",
    "detect_types",
    "isolation_level",
    "check_same_thread",
    "factory",
    "cached_statements",
    "uri",
    "autocommit",
    "transaction_mode",
    "init_command",
}


SQLITE_FILE_MAKERS = {"migrate", "makemigrations"}


def serving(argv=None):
    """Whether this process is the web server: gunicorn, or runserver."""
    argv = sys.argv if argv is None else argv
    return Path(argv[0]).name == "gunicorn" or management_command(argv) == "runserver"


def sqlite_database(database, command, web_server):
    """
    Check a SQLite database's settings (read from `DATABASE_URL`), and open
    its file for reading and writing only in a web server, or once the
    file exists: a file gone missing (moved away, on a volume not mounted)
    must stop the site, as a database server that is down does (503), not
    be replaced by an empty database whose every page is an error. A new
    site's file is made by `migrate` (or `makemigrations`, checking the
    migrations applied), or by a script setting up a site of its own.
    """
    unknown = sorted(set(database.get("OPTIONS", {})) - SQLITE_OPTIONS)
    if unknown:
        raise ImproperlyConfigured(
            f"DATABASE_URL gives SQLite options it does not take: "
            f"{', '.join(unknown)}. Remove them from the address's query string."
        )
    name = str(database["NAME"])
    if command in SQLITE_FILE_MAKERS or name == ":memory:" or name.startswith("file:"):
        return
    if web_server or Path(name).exists():
        # Django opens SQLite names as URIs.
        database["NAME"] = f"file:{quote(name)}?mode=rw"


# First segments of the addresses the site serves itself (portal/urls.py
# and the apps' urls.py), which the admin must not take.
SITE_ADDRESSES = {
    "articles",
    "feeds",
    "glossary",
    "references",
    "search",
    "tags",
    "static",
    "media",
    "healthz",
    "csp-report",
    "robots.txt",
    "sitemap.xml",
    "favicon.ico",
}
PATH_SEGMENT_CHARACTERS = set(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~"
)


def admin_path(name, default):
    """
    Where the admin is served: one path segment ending in "/", such as
    "staff-7f3k/", that is not an address the site serves itself. Moving
    it takes the sign-in page off the address every scanner tries first.
    """
    value = env_str(name, default)
    segment = value[:-1] if value.endswith("/") else ""
    if (
        not segment
        or not set(segment) <= PATH_SEGMENT_CHARACTERS
        or segment in (".", "..")
    ):
        problem = "not one path segment ending in '/'"
    elif segment.lower() in SITE_ADDRESSES:
        problem = f"an address the site serves itself (/{segment}/)"
    else:
        return value
    raise ImproperlyConfigured(
        f"{name} is {value!r}, {problem}: set it to letters, digits and "
        f"'-', '_', '.' or '~' followed by '/', such as {default!r} or "
        "'staff-7f3k/', or leave it unset."
    )
