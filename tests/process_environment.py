"""
The environment a test run, a benchmark or the screenshots start with.

With DJANGO_DEBUG off, as in production, the settings refuse to start
without DJANGO_SECRET_KEY. These run the site on throw-away data, so a key
made for the run does; the processes they start inherit it. (`make` passes
the one kept in .secret_key.)

pytest loads this module as a plugin (`-p` in pyproject.toml), because
pytest-django reads the settings before any conftest is imported.
"""

import os
import secrets

import pytest


def use_a_throwaway_secret_key():
    """Set DJANGO_SECRET_KEY to a new random key unless it is set."""
    if not os.environ.get("DJANGO_SECRET_KEY", "").strip():
        os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests():
    use_a_throwaway_secret_key()
