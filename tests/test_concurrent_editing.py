"""
Editors saving at once, in separate processes, beside background
workers, on the database the suite runs on (a file on SQLite, with the
settings' WAL mode, IMMEDIATE transactions and busy timeout; PostgreSQL when
DATABASE_URL names it). Each editor (tests/concurrent_editor.py) edits its
own articles and terms; bodies mention everyone's terms, so each glossary
change relinks other editors' articles while they are being saved.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from glossary import relinking
from glossary.models import PendingRelink, PendingRelinkSearch, Term
from tests.factories import make_article, make_term
from tests.html import links

pytestmark = pytest.mark.django_db(transaction=True)

# Seconds each editor keeps saving.
SECONDS = 4
# Editors: how each saves, and the start of every name it makes up.
EDITORS = [("admin", "Bel"), ("model", "Cor"), ("model", "Dav"), ("admin", "Fen")]
# Seconds the editors take to start; they begin saving together after it.
STARTUP = 4
# Background workers (`manage.py db_worker`, as `make serve` runs one);
# two, so that relinks of one body can overlap as well.
WORKERS = 2
WORKER_COMMAND = [
    "manage.py",
    "db_worker",
    "--queue-name",
    "*",
    "--interval",
    "0.05",
    "--no-startup-delay",
    "--no-reload",
]
# Seconds an editor or a worker may take to stop, on top.
GRACE = 20


def database_url():
    """The address of the test database, for the other processes."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(database['NAME']).resolve()}"
    login = quote(database["USER"] or "", safe="")
    if database["PASSWORD"]:
        login += ":" + quote(database["PASSWORD"], safe="")
    host = database["HOST"] or "localhost"
    port = f":{database['PORT']}" if database["PORT"] else ""
    return f"postgres://{login}@{host}{port}/{database['NAME']}"


def process_environment():
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "",
        "PYTHONUNBUFFERED": "1",
    }
    # The database backend of the Tasks framework, as the site runs it.
    environment.pop("PORTAL_TASK_BACKEND", None)
    return environment


def start(arguments, output):
    return subprocess.Popen(
        [sys.executable, *arguments],
        cwd=settings.BASE_DIR,
        env=process_environment(),
        stdout=output,
        stderr=subprocess.STDOUT,
    )


def glossary_and_pages(editor_count):
    """
    Terms every editor mentions, and two articles and two terms of each
    editor's own; returns each editor's article and term ids.
    """
    for name, aliases in [
        ("Adalimumab", "Humira"),
        ("Infliximab", "Remicade"),
        ("Tocilizumab", "Actemra"),
        ("Interleukin-6", "IL-6"),
    ]:
        make_term(name=name, aliases=aliases)
    owned = []
    for editor, (__, prefix) in enumerate(EDITORS[:editor_count]):
        terms = [
            make_term(name=f"{prefix}{ending}", body=f"Like {other}.")
            for ending, other in [("xomab", "Humira"), ("xocept", "IL-6")]
        ]
        articles = [
            make_article(
                title=f"Page {number} of editor {editor}",
                body=f"{terms[0].name} and Adalimumab, page {number}.",
            )
            for number in (1, 2)
        ]
        owned.append(([a.pk for a in articles], [t.pk for t in terms]))
    return owned


def read_log(path):
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert lines, f"{path.name} is empty"
    return lines[:-1], lines[-1]


def render_problems(body):
    """How the stored HTML and mentions differ from a render made now."""
    stored_html = body.body_html
    stored_mentions = set(body.mentioned_terms.values_list("pk", flat=True))
    body.render_links()
    problems = []
    if stored_html != body.body_html:
        problems.append(
            f"{body._meta.model_name} {body.pk}: stored links "
            f"{links(stored_html, css_class='term-link')}, a render now gives "
            f"{links(body.body_html, css_class='term-link')}"
        )
    if stored_mentions != set(body._linked_term_ids):
        problems.append(
            f"{body._meta.model_name} {body.pk}: mentions {sorted(stored_mentions)}, "
            f"links {sorted(body._linked_term_ids)}"
        )
    return problems


def test_editors_saving_at_once_lose_nothing_and_every_body_is_relinked(tmp_path):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    get_user_model().objects.create_superuser("editor", "editor@example.org", "x")
    owned = glossary_and_pages(len(EDITORS))
    assert not PendingRelink.objects.exists()

    workers = []
    for number in range(WORKERS):
        with (tmp_path / f"worker-{number}.log").open("w") as output:
            workers.append(start(WORKER_COMMAND, output))
    editors = []
    start_at = time.time() + STARTUP
    for number, ((how, prefix), (articles, terms)) in enumerate(
        zip(EDITORS, owned, strict=True)
    ):
        plan = {
            "writer": number,
            "how": how,
            "prefix": prefix,
            "start_at": start_at,
            "seconds": SECONDS,
            "articles": articles,
            "terms": terms,
            "username": "editor",
            "seed": number,
            "log": str(tmp_path / f"editor-{number}.jsonl"),
        }
        with (tmp_path / f"editor-{number}.out").open("w") as output:
            editors.append(
                start(["-m", "tests.concurrent_editor", json.dumps(plan)], output)
            )
    try:
        for number, editor in enumerate(editors):
            code = editor.wait(STARTUP + SECONDS + GRACE)
            assert code == 0, (tmp_path / f"editor-{number}.out").read_text()[-5000:]
    finally:
        for editor in editors:
            if editor.poll() is None:
                editor.kill()
                editor.wait()
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(GRACE)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()

    # What the workers left, the next run of the task does.
    assert relinking.relink_pending()[1] == 0
    assert not PendingRelink.objects.exists()
    assert not PendingRelinkSearch.objects.exists()

    records, summaries = [], []
    for number in range(len(EDITORS)):
        attempts, summary = read_log(tmp_path / f"editor-{number}.jsonl")
        records += attempts
        summaries.append(summary)
    # Every save either committed or was refused before it committed.
    assert [r for r in records if r["outcome"] not in ("committed", "refused")] == []
    committed = [record for record in records if record["outcome"] == "committed"]
    assert len(committed) >= 20
    assert {record["writer"] for record in committed} == set(range(len(EDITORS)))
    for what in ["edit article", "rename term", "change aliases", "edit term body"]:
        assert any(record["what"] == what for record in committed), what

    # No save was lost: each editor's last committed text is what is stored.
    for summary in summaries:
        for pk, body in summary["articles"].items():
            assert Article.objects.get(pk=pk).body == body
        for pk, fields in summary["terms"].items():
            term = Term.objects.get(pk=pk)
            assert {field: getattr(term, field) for field in fields} == fields
        assert not Term.objects.filter(pk__in=summary["deleted"]).exists()

    # Every body's links and mentions are those of its text and the
    # glossary as they stand.
    problems = []
    for body in [*Article.objects.all(), *Term.objects.all()]:
        problems += render_problems(body)
    assert problems == []

    failed_tasks = [task.traceback for task in DBTaskResult.objects.failed()]
    assert failed_tasks == []
    assert DBTaskResult.objects.successful().exists()
    for number in range(WORKERS):
        log = (tmp_path / f"worker-{number}.log").read_text()
        assert "Could not relink" not in log, log[-5000:]
