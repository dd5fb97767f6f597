"""
Browser tests: Playwright's sync API driving Debian's Chromium.

Playwright's own browser download cannot be used here, so the executable is
named explicitly. The sync API runs an event loop in the test thread, which
Django's async-safety check would otherwise mistake for async code calling
the ORM.
"""

import os
import shutil

import pytest
from django.core.management import call_command

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}; `make test` installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def demo_site(live_server):
    """The live server with the demo content, committed so it can see it."""
    call_command("load_demo", verbosity=0)
    return live_server
