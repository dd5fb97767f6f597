import pytest
from django.core.management import call_command
from django.test.utils import override_settings


@pytest.fixture(scope="session", autouse=True)
def test_settings():
    """
    Settings every test runs with: static files straight from the apps (no
    collectstatic), fast password hashing. Session-wide, so that the live
    server of browser tests starts with them too.
    """
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
            },
        },
        STATIC_ROOT=None,
        WHITENOISE_USE_FINDERS=True,
        WHITENOISE_AUTOREFRESH=True,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ALLOWED_HOSTS=["testserver", "localhost", "127.0.0.1"],
    ):
        yield


@pytest.fixture
def demo(db):
    """The demo content, loaded the way `make run` loads it."""
    call_command("load_demo", verbosity=0)


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client
