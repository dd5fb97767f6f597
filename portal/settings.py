"""
Settings for the health-information portal.

Every value that depends on where the site runs is read from the environment
here, once, with defaults that are safe for a public deployment. `make run`
switches on development values (DJANGO_DEBUG=1); nothing else does.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def read_or_create_secret_key(path):
    """
    Return the key stored in `path`, creating the file on first use.

    A key generated afresh on every start would differ between server
    workers and invalidate every session at each restart, so one is kept on
    disk (git-ignored) when DJANGO_SECRET_KEY is not set.
    """
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        path.write_text(key + "\n")
        path.chmod(0o600)
        return key


# Core
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or read_or_create_secret_key(
    BASE_DIR / ".secret_key"
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
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
    "portal",
    "articles",
    "glossary",
    "references",
    "images",
    "editorial",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
PORTAL_SITE_URL = os.environ.get("PORTAL_SITE_URL", "").strip().rstrip("/")

# Publishing workflow: a published article is due a new medical review this
# many months after its last one (admin: Articles, Medical review due).
PORTAL_REVIEW_INTERVAL_MONTHS = int(
    os.environ.get("PORTAL_REVIEW_INTERVAL_MONTHS", "24")
)

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

# Database: SQLite by default, anything dj-database-url understands otherwise
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several editors and the background worker write at once. In WAL mode
    # readers never wait for a writer; IMMEDIATE transactions take the write
    # lock when they begin, so two writers queue for it (up to the busy
    # timeout) instead of one failing halfway with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": int(os.environ.get("DJANGO_SQLITE_TIMEOUT", "20")),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Trigram and full-text lookups for glossary search at scale.
    INSTALLED_APPS.append("django.contrib.postgres")

# Cache: Redis when configured, per-process memory otherwise
REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

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
IMAGE_MAX_FILE_SIZE = int(os.environ.get("PORTAL_IMAGE_MAX_MB", "10")) * 1024 * 1024
IMAGE_MAX_PIXELS = int(os.environ.get("PORTAL_IMAGE_MAX_MEGAPIXELS", "40")) * 10**6
IMAGE_RENDITION_WIDTHS = (480, 960, 1600)

# Security: cookies are HTTPS-only unless the site runs in development
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0"))
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env_bool("DJANGO_BEHIND_HTTPS_PROXY", False)
    else None
)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Third-party: django-taggit
TAGGIT_CASE_INSENSITIVE = True

# Logging: errors to stderr so that a server's log shows them
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
