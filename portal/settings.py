"""
Settings for the health-information portal.

Every value that depends on where the site runs is read from the environment
here, once, with defaults that are safe for a public deployment. `make run`
switches on development values (DJANGO_DEBUG=1); nothing else does.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from portal.environment import (
    LOG_LEVELS,
    admin_path,
    allowed_hosts,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_rate,
    management_command,
    secret_key,
    serving,
    site_url,
    sqlite_database,
)

BASE_DIR = Path(__file__).resolve().parent.parent


# Core
# A missing, weak or malformed value stops start-up outside DEBUG
# (portal/environment.py says what is checked).
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = secret_key("DJANGO_SECRET_KEY", DEBUG, BASE_DIR / ".secret_key")
ALLOWED_HOSTS = allowed_hosts(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"], DEBUG
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # First, so that its admin/base_site.html (the two-factor link among the
    # user tools) is found before the admin's own.
    "portal",
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "reversion",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Only for its system checks of the cache that counts (see Limits).
    "django_ratelimit",
    "articles",
    "glossary",
    "references",
    "images",
    "editorial",
    "caching",
]

MIDDLEWARE = [
    # First, so that every response is logged: static files that WhiteNoise
    # answers, redirects and error pages too (portal/request_log.py).
    "portal.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Browser policies, outside WhiteNoise and the page cache so that every
    # response carries them: static files, kept pages and error pages too.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "portal.headers.ResourcePolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A sign-in from a client or for an account just found locked out, or
    # from a client that signed in less than a second ago, is refused here,
    # before anything else is done but the headers above
    # (portal/sign_in/lockouts.py).
    "portal.sign_in.lockouts.SignInGateMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Kept pages are answered here, before sessions and the database.
    "caching.pages.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session gave a code.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff sessions end PORTAL_STAFF_SESSION_HOURS after signing in.
    "portal.sign_in.sessions.StaffSessionMiddleware",
    # Last, so that it sees the refusal the sign-in view met and answers
    # with the lock-out page (portal/sign_in/lockouts.py).
    "axes.middleware.AxesMiddleware",
]

SITE_NAME = os.environ.get("PORTAL_SITE_NAME", "Cytokine Health Library")
SITE_DESCRIPTION = os.environ.get(
    "PORTAL_SITE_DESCRIPTION",
    "Clear, referenced explanations of cytokines, the drugs that block them "
    "and the diseases they drive.",
)
# The site's public address ("https://health.example.org"), for links read
# away from it (canonical, sitemap, feeds) when a proxy hides the host or
# scheme from the request; empty: the request's own (editorial/addresses.py).
PORTAL_SITE_URL = site_url("PORTAL_SITE_URL")

# Publishing workflow: a published article is due a new medical review this
# many months after its last one (admin: Articles, Medical review due).
PORTAL_REVIEW_INTERVAL_MONTHS = env_int("PORTAL_REVIEW_INTERVAL_MONTHS", 24)

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
                "portal.context_processors.footer_pages",
            ],
        },
    },
]

# Requests: room for a body far over its limit (glossary/limits.py), so that
# an over-long paste comes back as the form, with the text kept and a
# message, not as an error page. A character takes at most twelve bytes in
# a posted form, so a body at its limit fits eight times over. Anything
# larger gets the 413 page (portal.views.bad_request).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Database: SQLite by default, anything dj-database-url understands otherwise.
# Connections are kept for DJANGO_CONN_MAX_AGE seconds (each gunicorn thread
# holds one) and checked before reuse, so a server restart costs one retry,
# not an error page.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# Read whatever the database, so that a typo is caught on SQLite too.
DB_CONNECT_TIMEOUT = env_int("DJANGO_DB_CONNECT_TIMEOUT", 3, minimum=1)
DB_STATEMENT_TIMEOUT = env_int("DJANGO_DB_STATEMENT_TIMEOUT", 10_000)
SQLITE_TIMEOUT = env_int("DJANGO_SQLITE_TIMEOUT", 20)
# Commands that may rightly run one statement for long: a migration that
# rewrites or indexes a large table, and the worker and `relink`, which
# rewrite every body that mentions a term. Stopping them halfway would
# only leave the work to do again, so they run without the limit that
# keeps a page from holding a connection and a server thread.
UNLIMITED_STATEMENT_COMMANDS = {"migrate", "db_worker", "rqworker", "relink"}
if management_command() in UNLIMITED_STATEMENT_COMMANDS:
    DB_STATEMENT_TIMEOUT = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    sqlite_database(DATABASES["default"], management_command(), serving())
    # Several editors and the background worker write at once. In WAL mode
    # readers never wait for a writer; IMMEDIATE transactions take the write
    # lock when they begin, so two writers queue for it (up to the busy
    # timeout) instead of one failing halfway with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_TIMEOUT,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A server that does not answer fails the request within seconds
    # instead of holding a thread until gunicorn's timeout; a runaway query
    # is stopped by the server (0 turns the limit off); keepalives notice a
    # connection a firewall or failover dropped while it sat idle. Options
    # given in DATABASE_URL's query string win.
    # A server that stops answering on a connection it holds: the site stops
    # waiting two seconds after the server would have stopped the query
    # (portal/database/base.py).
    DATABASES["default"]["ENGINE"] = "portal.database"
    DATABASES["default"]["OPTIONS"] = {
        "answer_timeout": DB_STATEMENT_TIMEOUT / 1000 + 2
        if DB_STATEMENT_TIMEOUT
        else None,
        "connect_timeout": DB_CONNECT_TIMEOUT,
        "options": f"-c statement_timeout={DB_STATEMENT_TIMEOUT}",
        "keepalives": 1,
        "keepalives_idle": 60,
        "keepalives_interval": 10,
        "keepalives_count": 3,
        **DATABASES["default"].get("OPTIONS", {}),
    }
    # Trigram and full-text lookups for glossary search at scale.
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches: Redis when configured, shared by every process and server;
# otherwise each process's memory. "pages" keeps rendered pages for
# anonymous readers (caching/pages.py). A Redis that does not answer within
# the timeouts is treated as down: pages are served uncached meanwhile.
REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL")
if REDIS_URL:
    REDIS_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    CACHES = {
        alias: {
            # Django's, with one client per connection (caching/redis.py).
            "BACKEND": "caching.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
            "OPTIONS": REDIS_OPTIONS,
        }
        for alias, prefix in (("default", ""), ("pages", "pages"))
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
    }

# Kept pages: on unless PORTAL_PAGE_CACHE=0, for a day at most. With pages
# in each process's memory, the times of changes are kept in a folder that
# every process of the machine (the web server's, the worker's) shares;
# with Redis, in Redis (caching/versions.py).
PAGE_CACHE = {
    "ENABLED": env_bool("PORTAL_PAGE_CACHE", True),
    "CACHE": "pages",
    "SECONDS": env_int("PORTAL_PAGE_CACHE_SECONDS", 24 * 60 * 60, minimum=1),
    "VERSIONS_FOLDER": None
    if REDIS_URL
    else Path(
        os.environ.get("PORTAL_PAGE_VERSIONS_FOLDER")
        or BASE_DIR / "var" / "page-versions"
    ),
}

# Background tasks (relinking bodies after a glossary change): Django's
# Tasks framework with its database backend, so no other server is needed;
# `manage.py db_worker` runs them. PORTAL_TASK_BACKEND names another
# backend for a site that outgrows it (see README).
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "PORTAL_TASK_BACKEND", "django_tasks_db.DatabaseBackend"
        ),
    }
}
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    # RQ on Redis (pip install django-tasks-rq; workers run
    # `manage.py rqworker --job-class django_tasks_rq.Job`).
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS["default"]["QUEUES"] = ["default"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}

# Passwords
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation." + name}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# Signing in (README, "Signing in to the admin"). Failed sign-ins are
# counted per client address and per username, each on its own; either
# reaching the limit refuses sign-ins, the right password included, until
# the lock-out ends. django-axes' backend comes first, so a locked account
# or client is refused before its password is hashed: each check costs a
# fifth of a second of CPU, which is what a flood of guesses spends.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# A machine checks one password at a time (portal/sign_in/password_checks.py): the
# lock file every process of the machine opens.
PASSWORD_CHECK_LOCK_FILE = BASE_DIR / "var" / "password-check.lock"
# A client's sign-ins are let through at most one every this many seconds; 0
# lets every one through (portal/sign_in/lockouts.py).
SIGN_IN_PACE_SECONDS = env_int("PORTAL_SIGN_IN_PACE_SECONDS", 1)
AXES_FAILURE_LIMIT = env_int("PORTAL_SIGN_IN_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(
    minutes=env_int("PORTAL_SIGN_IN_LOCKOUT_MINUTES", 15, minimum=1)
)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_CLIENT_IP_CALLABLE = "portal.clients.client_address"
AXES_RESET_ON_SUCCESS = True
# A guess made while locked out does not start the lock-out again, so the
# minutes the page gives are the minutes it lasts.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "portal.sign_in.lockouts.lockout_response"
# What a failed sign-in posted is kept with its record; not the code.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]
# Failures and sign-ins are recorded in the database (the admin's Axes
# section) and logged; no banner of these settings at every start.
AXES_VERBOSE = False
# Two-factor authentication: superusers and these groups must use it ("*":
# every staff member); anyone with a confirmed device gives a code at
# every sign-in (portal/sign_in/two_factor.py).
TWO_FACTOR_GROUPS = env_list("PORTAL_TWO_FACTOR_GROUPS", ["Publishers"])
OTP_TOTP_ISSUER = SITE_NAME
# Staff sessions end when the browser closes, and at the latest this many
# hours after signing in, however busy (portal/sign_in/sessions.py). A
# workstation may be shared.
STAFF_SESSION_HOURS = env_int("PORTAL_STAFF_SESSION_HOURS", 8, minimum=1)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = STAFF_SESSION_HOURS * 60 * 60
# The admin's address: moving it off /admin/ spares it the scanners that try
# that first.
ADMIN_PATH = admin_path("PORTAL_ADMIN_PATH", "admin/")
# Where a sign-in goes when the page it came from is not one to return to
# (another site's address, say): the admin, the only thing staff sign in to.
LOGIN_REDIRECT_URL = "admin:index"

# Internationalisation
LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Static files: WhiteNoise serves them; hashed, compressed names outside DEBUG
STATIC_URL = "static/"
# Where collectstatic writes; a benchmark collects into a folder of its own.
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploaded files (images): kept under MEDIA_ROOT, git-ignored. Django serves
# them only when DJANGO_SERVE_MEDIA is on (by default, when debugging); a
# public site serves MEDIA_URL from its web server or object storage (see
# README, "Images"), as WhiteNoise serves static files only.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "media/"
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", DEBUG)
# What an uploaded image may be (images/uploads.py), and the widths readers
# are served (images/renditions.py).
IMAGE_MAX_FILE_SIZE = env_int("PORTAL_IMAGE_MAX_MB", 10, minimum=1) * 1024 * 1024
IMAGE_MAX_PIXELS = env_int("PORTAL_IMAGE_MAX_MEGAPIXELS", 40, minimum=1) * 10**6
IMAGE_RENDITION_WIDTHS = (480, 960, 1600)

# Security: cookies are HTTPS-only unless the site runs in development
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0)
# Once HSTS is on, it covers subdomains and asks browsers to preload it,
# unless switched off: a health site has no page that should ever be read
# over plain HTTP. Preloading is hard to undo (hstspreload.org), so a site
# not yet sure of HTTPS everywhere starts with a short DJANGO_HSTS_SECONDS.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(
    "DJANGO_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0
)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env_bool("DJANGO_BEHIND_HTTPS_PROXY", False)
    else None
)
# Proxies in front of the site, each appending to X-Forwarded-For: the
# client whose failures and requests are counted is that many entries from
# its right (portal/clients.py). 0: the header is not believed.
TRUSTED_PROXY_COUNT = env_int("PORTAL_TRUSTED_PROXIES", 0)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Another site's window opened from a page (or opening one) cannot reach
# into it; Cross-Origin-Resource-Policy (portal/headers.py) keeps other
# sites from embedding its files.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy: a second line of defence should the sanitiser
# ever let markup through. Scripts and styles come only from the site's own
# files: no inline code or style attributes, no eval, and no nonces, since a
# kept page would serve the same nonce to every reader.
# <script type="application/ld+json"> is data, which browsers never run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        # Browsers report what the policy stopped (portal/csp_reports.py).
        "report-uri": "/csp-report/",
    }
}
# Violation reports one client may send: a page with a violation sends one
# per element stopped, every time it is opened.
CSP_REPORT_RATE_LIMIT = "60/m"
# Permissions-Policy: browser features no page uses, denied to the site and
# anything it might embed. The clipboard ("Cite this article" copies, and
# browsers ask before a page reads it) and passkeys
# (publickey-credentials-get) are left to their defaults. Only features
# browsers know: Chromium reports an unknown one as an error on every page
# (ambient-light-sensor and bluetooth, say).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# A refused form gets a page in the site's look (portal/views.py).
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

# Limits on public pages: searches and suggestions a client may ask for,
# counted in the default cache (glossary/rate_limits.py). A reader types a query
# now and then and pages through its results, so 30 searches a minute is
# never reached by one. Suggestions are asked for as a reader types, a
# request a pause between keystrokes: a fast typist sends two or three a
# second, a dozen or two a query, so 120 a minute lets a reader type query
# after query for a minute without a pause and never be refused.
SEARCH_RATE_LIMIT = env_rate("PORTAL_SEARCH_RATE_LIMIT", "30/m")
SUGGEST_RATE_LIMIT = env_rate("PORTAL_SUGGEST_RATE_LIMIT", "120/m")
# PORTAL_RATE_LIMITS=0 counts nothing: for a site whose front server limits
# clients itself, and for benchmarks, where one client asks for thousands.
RATELIMIT_ENABLE = env_bool("PORTAL_RATE_LIMITS", True)
# With the cache unreachable, searches are served uncounted rather than
# refused.
RATELIMIT_FAIL_OPEN = True
# A client is its address as the site's proxies pass it on (IPv6: its /64,
# django-ratelimit's default mask).
RATELIMIT_IP_META_KEY = "portal.clients.address_for_limits"
# django-ratelimit knows only some cache backends by name. Django's Redis
# backend (caching/redis.py builds on it) increments with Redis's atomic
# INCR. Without Redis each process counts in its own memory: a limit then
# holds per process, which README says.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if not REDIS_URL:
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# Third-party: django-taggit
TAGGIT_CASE_INSENSITIVE = True

# Logging: everything to stdout, where a process supervisor or container
# runtime collects it. One JSON line per request (portal/request_log.py);
# other records as plain lines, a 500's with its whole traceback.
# DJANGO_LOG_LEVEL=WARNING also leaves out the request lines (INFO).
LOG_LEVEL = env_choice("DJANGO_LOG_LEVEL", "INFO", LOG_LEVELS)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # logging.Formatter appends the traceback of a record logged with
        # exc_info, as django.request logs a 500.
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "message": {"format": "%(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
        },
        "requests": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "message",
        },
    },
    "loggers": {
        # In place of Django's defaults, which print to stderr while
        # debugging and mail ADMINS otherwise.
        "django": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        # Errors only: the request line already says which requests were
        # refused (4xx), and a line per 404 would say it twice.
        "django.request": {
            "handlers": ["stdout"],
            "level": "ERROR",
            "propagate": False,
        },
        # A request for a host the site does not serve (scanners send them
        # all the time): its 400 is in the request line; no traceback.
        "django.security.DisallowedHost": {
            "handlers": ["stdout"],
            "level": "CRITICAL",
            "propagate": False,
        },
        # Likewise an address that climbs out of its folder
        # ("/media/../../etc/passwd"), which probes send by the thousand:
        # refused with 400 and logged by its request line alone.
        "django.security.SuspiciousFileOperation": {
            "handlers": ["stdout"],
            "level": "CRITICAL",
            "propagate": False,
        },
        "portal.requests": {
            "handlers": ["requests"],
            "level": LOG_LEVEL,
            "propagate": False,
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
}
