"""
The Nu HTML Checker (vnu, from the vnu-jar package) on each page of
tests/checked_pages.py as Django renders it with the demo content, and on
the article as staff see it. Warnings are allowed; an error names the page,
the line and the text around it.
"""

import json
import shutil
import subprocess

import pytest
from django.test import Client

from tests.checked_pages import CHECKED_PAGES, NODE_MODULES, expected_status
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


def vnu_jar():
    """The checker's jar, where the vnu-jar package says it is."""
    if shutil.which("java") is None:
        pytest.fail("Java is needed to run the Nu HTML Checker.")
    if not (NODE_MODULES / "vnu-jar").exists():
        pytest.fail("node_modules/vnu-jar is missing; `make install-dev` installs it.")
    found = subprocess.run(
        ["node", "--print", "String(require('vnu-jar'))"],
        cwd=NODE_MODULES.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    return found.stdout.strip()


def check_html(files):
    """vnu's messages about `files`, read in one run of the checker."""
    checked = subprocess.run(
        ["java", "-jar", vnu_jar(), "--format", "json", "--exit-zero-always"]
        + [str(path) for path in files],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    # The JSON report goes to standard error.
    return json.loads(checked.stderr)["messages"]


def describe(message):
    where = message.get("url", "").rsplit("/", 1)[-1]
    line = message.get("lastLine", "?")
    extract = message.get("extract", "").replace("\n", "⏎")
    return f"{where}:{line}: {message['message']}\n    {extract}"


def test_pages_are_valid_html(client, admin_user, demo, about_page, tmp_path):
    pages = {name: (client, path) for name, path in CHECKED_PAGES.items()}
    staff = Client()
    sign_in(staff, admin_user)
    pages["article as staff"] = (staff, CHECKED_PAGES["article"])
    files = []
    for name, (browser, path) in pages.items():
        response = browser.get(path)
        assert response.status_code == expected_status(name), path
        assert response["Content-Type"].startswith("text/html"), path
        page_file = tmp_path / (name.replace(" ", "-") + ".html")
        page_file.write_bytes(response.content)
        files.append(page_file)

    messages = check_html(files)

    errors = [message for message in messages if message["type"] != "info"]
    assert not errors, "Nu HTML Checker errors:\n" + "\n".join(
        describe(error) for error in errors
    )
