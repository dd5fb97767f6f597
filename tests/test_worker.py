"""
`make run` and `make serve` start the site with `manage.py with_worker`, so
a glossary change reaches every page without anyone starting a worker.
Run here as they run there: separate processes on a SQLite file.
"""

import os
import re
import subprocess
import sys
import time
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


# A glossary change whose pages were queued while no worker ran, as a
# worker stopped in the middle of its run leaves them: the task was sent
# nowhere.
QUEUED_WITHOUT_A_WORKER = """
import django
django.setup()
from articles.models import Article
from glossary.models import PendingRelinkSearch, Term
Article.objects.create(title="Joints", body="IL-6 keeps joints swollen.")
Term.objects.create(name="Interleukin 6", aliases="IL-6", definition="A cytokine.")
print("waiting:", PendingRelinkSearch.objects.count())
"""

# Stands in for the web server, with no change of its own.
WAIT_FOR_THE_LINK = """
import time, django
django.setup()
from articles.models import Article
article = Article.objects.get()
for _ in range(150):
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


def test_pages_left_queued_by_a_stopped_worker_are_relinked_when_the_site_starts(
    site_database,
):
    queued = subprocess.run(
        [sys.executable, "-c", QUEUED_WITHOUT_A_WORKER],
        cwd=ROOT,
        env={
            **site_database,
            "PORTAL_TASK_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "waiting: 1" in queued.stdout

    result = manage(
        site_database, "with_worker", "--", sys.executable, "-c", WAIT_FOR_THE_LINK
    )
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


def test_a_worker_that_keeps_stopping_is_started_again_after_longer_pauses(site_env):
    # No database answers there: each worker stops soon after it starts, as
    # while the database is down.
    env = {**site_env, "DATABASE_URL": "postgres://postgres@127.0.0.1:9/none"}
    server = [sys.executable, "-c", "import time; time.sleep(20)"]
    result = subprocess.run(
        [sys.executable, "manage.py", "with_worker", "--", *server],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    pauses = re.findall(r"starting it again in (\d+) s", result.stderr)
    assert pauses[:3] == ["1", "2", "4"], result.stderr[-3000:]


def children_of(pid):
    """The ids of the running processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # "pid (name) state ppid ...": the name may hold spaces.
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def group_is_running(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_stopping_the_site_stops_the_worker_and_its_reloader(site_database):
    # DJANGO_DEBUG runs the worker under Django's autoreloader, a parent
    # process with a child: both must stop with the site.
    env = {**site_database, "DJANGO_DEBUG": "1"}
    site = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "with_worker",
            "--",
            sys.executable,
            "-c",
            "import time; time.sleep(120)",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            started = children_of(site.pid)
            if len(started) == 2 and any(children_of(pid) for pid in started):
                break
            time.sleep(0.1)
        else:
            pytest.fail("the server and the worker (with its child) did not start")
        site.terminate()
        assert site.wait(timeout=30) == 0
    finally:
        if site.poll() is None:
            site.kill()
    for _ in range(50):
        if not any(group_is_running(pid) for pid in started):
            break
        time.sleep(0.1)
    assert not any(group_is_running(pid) for pid in started)
