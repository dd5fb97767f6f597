import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from caching.pages import _page_cache
from glossary.relinking import relink_pending
from portal.models import Page
from portal.roles import sync_roles
from portal.sign_in.lockouts import forget_known_lockouts
from tests.factories import make_user, sign_in


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix, tmp_path_factory
):
    """
    On SQLite, a test database in a file rather than in memory. Django's
    in-memory test database is one shared cache, where a second connection
    (another thread, as in tests of concurrent saves) meets "database table
    is locked" at once instead of waiting; a file is what the site runs on,
    with the settings' WAL mode, IMMEDIATE transactions and busy timeout,
    and other processes can open it too.
    """
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tmp_path_factory.mktemp("database")
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")


@pytest.fixture(scope="session", autouse=True)
def test_settings(tmp_path_factory):
    """
    Settings every test runs with: static files straight from the apps (no
    collectstatic), fast password hashing, background tasks run at once
    (when the transaction that enqueues them commits), uploads kept in a
    temporary MEDIA_ROOT, never in the project, and served by Django.
    Searches are not counted per client, so that tests search as often as
    they need; tests/test_rate_limits.py switches the count on.
    Session-wide, so that the live server of browser tests starts with them
    too.
    """
    with override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        SERVE_MEDIA=True,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
            },
        },
        STATIC_ROOT=None,
        WHITENOISE_USE_FINDERS=True,
        WHITENOISE_AUTOREFRESH=True,
        RATELIMIT_ENABLE=False,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # Tests sign in many times a second from one client; the pace is
        # tested on its own (tests/test_signing_in.py) and in the flood.
        SIGN_IN_PACE_SECONDS=0,
        ALLOWED_HOSTS=["testserver", "localhost", "127.0.0.1"],
        TASKS={
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        },
        PAGE_CACHE={
            **settings.PAGE_CACHE,
            "VERSIONS_FOLDER": settings.PAGE_CACHE["VERSIONS_FOLDER"]
            and tmp_path_factory.mktemp("page-versions"),
        },
    ):
        yield


@pytest.fixture(autouse=True)
def no_kept_pages():
    """
    Each test starts with no kept pages: rows rolled back at the end of a
    test record no change, and the next test may make rows with the same
    keys. A cache a test made unreachable is tried again at once.
    """
    caches[settings.PAGE_CACHE["CACHE"]].clear()
    _page_cache.cache_clear()


@pytest.fixture(autouse=True)
def no_remembered_lockouts():
    """
    Each test starts with no lock-out remembered in this process: the
    records of failures behind them are rolled back with the test.
    """
    forget_known_lockouts()


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker):
    """
    The demo content, loaded once per test module the way `make run` loads
    it, inside a transaction that is rolled back when the module ends. Each
    test runs in a savepoint within it (the `db` fixture), so what one test
    changes never reaches the next. Tests that come later in the same module
    see the demo rows too, whether or not they ask for them.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        call_command("load_demo", verbosity=0)
        # What the worker does after `make run` loads it.
        relink_pending()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo(demo_content, db):
    """The demo content, for a test that reads or changes it."""


@pytest.fixture
def staff_client(client, admin_user):
    """The test client signed in as a superuser (two-factor passed)."""
    return sign_in(client, admin_user)


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's, signed in past two-factor authentication."""
    return sign_in(client, admin_user)


@pytest.fixture
def media_root(settings, tmp_path):
    """An empty MEDIA_ROOT of the test's own, so that it sees only its uploads."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def roles(db):
    """
    The editorial groups, as their migration makes them. A test that
    empties the database (a transactional one) takes them away, so each
    test that needs them makes sure of them.
    """
    sync_roles(apps)


@pytest.fixture
def editor(roles):
    return make_user("eddie", "Editors", first_name="Eddie", last_name="Editor")


@pytest.fixture
def second_editor(roles):
    return make_user("erin", "Editors", first_name="Erin", last_name="Writer")


@pytest.fixture
def publisher(roles):
    return make_user("pat", "Publishers", first_name="Pat", last_name="Publisher")


@pytest.fixture
def medical_reviewer(roles):
    return make_user("jane", "Medical reviewers", first_name="Dr Jane", last_name="Roe")


@pytest.fixture
def reviewing_publisher(roles):
    """A publisher who is also a medical reviewer."""
    return make_user(
        "rosa",
        "Publishers",
        "Medical reviewers",
        first_name="Dr Rosa",
        last_name="Lind",
    )


@pytest.fixture
def about_page(db):
    """
    The About page, linked from the footer. Site pages come from a
    migration, which a browser test's flush of the database takes away
    from the tests that follow it.
    """
    page, __ = Page.objects.get_or_create(
        slug="about",
        defaults={"title": "About", "body": "About the site.", "show_in_footer": True},
    )
    return page
