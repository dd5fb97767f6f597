"""
The README's screenshots, taken afresh: `make screenshots`.

The site is started with the demo content in a throw-away SQLite database
(a temporary folder, removed afterwards) and served by Django's live
server; Debian's Chromium, driven by Playwright, saves one window-sized
PNG per view in docs/screenshots/. Each picture is reduced to 256 colours,
which keeps it small and leaves text sharp.
"""

import os
import sys
import tempfile
from pathlib import Path

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.process_environment import use_a_throwaway_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
OUTPUT = BASE_DIR / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# (file name, address, window, colour scheme)
VIEWS = [
    ("home.png", "/", DESKTOP, "light"),
    ("article.png", "/articles/what-are-cytokines/", DESKTOP, "light"),
    ("article-phone.png", "/articles/what-are-cytokines/", PHONE, "light"),
    ("term.png", "/glossary/adalimumab/", DESKTOP, "light"),
    ("glossary.png", "/glossary/", DESKTOP, "light"),
    ("search.png", "/search/?q=tnf", DESKTOP, "light"),
    ("article-dark.png", "/articles/what-are-cytokines/", DESKTOP, "dark"),
]


def start_site(database):
    """Load the demo into `database` and serve it; return the server thread."""
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    use_a_throwaway_secret_key()
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.management import call_command
    from django.test.testcases import LiveServerThread

    from glossary.relinking import relink_pending

    # Static files straight from the apps, as in tests: no collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.STATIC_ROOT = None
    settings.WHITENOISE_USE_FINDERS = True
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    relink_pending()
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    return server


def take(url):
    from PIL import Image
    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for name, path, viewport, scheme in VIEWS:
            context = browser.new_context(
                viewport=viewport, color_scheme=scheme, reduced_motion="reduce"
            )
            page = context.new_page()
            page.goto(url + path)
            target = OUTPUT / name
            page.screenshot(path=target)
            context.close()
            with Image.open(target) as picture:
                small = picture.convert("RGB").quantize(256)
            small.save(target, optimize=True)
            print(f"{target.relative_to(BASE_DIR)}: {target.stat().st_size // 1024} KB")
        browser.close()


def main():
    with tempfile.TemporaryDirectory() as folder:
        server = start_site(Path(folder) / "screenshots.sqlite3")
        try:
            take(f"http://127.0.0.1:{server.port}")
        finally:
            server.terminate()


if __name__ == "__main__":
    main()
