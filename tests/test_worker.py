"""
`make run` and `make serve` start the site with `manage.py with_worker`, so
a glossary change reaches every page without anyone starting a worker.
Run here as they run there: separate processes on a SQLite file.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Stands in for the web server: an editor's change to the glossary, then a
# wait until the worker beside it has relinked the article.
EDITOR = """
import time, django
django.setup()
from django.db import connection
from articles.models import Article
from glossary.models import Term
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    print("journal:", cursor.fetchone()[0])
article = Article.objects.create(title="Joints", body="IL-6 keeps joints swollen.")
Term.objects.create(name="Interleukin 6", aliases="IL-6", definition="A cytokine.")
for _ in range(300):
    article.refresh_from_db()
    if "/glossary/interleukin-6/" in article.body_html:
        print("linked")
        break
    time.sleep(0.1)
"""


@pytest.fixture
def site_env(tmp_path):
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PORTAL_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
    }


@pytest.fixture
def site_database(site_env):
    manage(site_env, "migrate", "--no-input", "--verbosity", "0")
    return site_env


def manage(env, *args, timeout=120):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )


def test_the_site_runs_with_a_worker_that_relinks_after_a_glossary_change(
    site_database,
):
    result = manage(site_database, "with_worker", "--", sys.executable, "-c", EDITOR)
    assert "journal: wal" in result.stdout
    assert "linked" in result.stdout, result.stderr[-3000:]


def test_with_worker_needs_a_command(site_env):
    result = subprocess.run(
        [sys.executable, "manage.py", "with_worker"],
        cwd=ROOT,
        env=site_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Name the command to run" in result.stderr
