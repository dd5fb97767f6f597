"""
Relinks, editors' saves and glossary changes that overlap, each made to
happen in the one order that used to go wrong.

Every party runs in its own thread with its own database connection, so
each commits for real (`transaction=True`). A render is held at a chosen
point by wrapping `render_body`: the matcher has been read, nothing has been
written, and the test makes the other party's change land there. On SQLite
the test database is a file (see tests/conftest.py), opened with the
settings' WAL mode, IMMEDIATE transactions and busy timeout.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction

import glossary.models
from articles.models import Article
from glossary import relinking
from glossary.models import PendingRelinkQuerySet, Term
from images.models import Image
from references.models import Reference
from tests.admin_pages import SAVE_AND_PUBLISH, admin_form, change_url
from tests.factories import make_article, make_image, make_reference, make_term
from tests.html import element, elements, links, text

pytestmark = pytest.mark.django_db(transaction=True)

# Seconds a held party waits to be let go, and a step may take, before the
# test gives up on it rather than hang.
WAIT = 15
# Seconds a change made while another party is held may take: it should
# not wait for the held party at all.
LANDS_WITHIN = 5


class Party(threading.Thread):
    """
    A call run in its own thread, on its own database connection, keeping
    what it returned or raised.
    """

    def __init__(self, function, *args, **kwargs):
        super().__init__(daemon=True)
        self.call = (function, args, kwargs)
        self.result = self.error = None
        self.start()

    def run(self):
        function, args, kwargs = self.call
        try:
            self.result = function(*args, **kwargs)
        except BaseException as error:  # noqa: BLE001 - reported by finish()
            self.error = error
        finally:
            connections.close_all()

    def finish(self, within=WAIT, doing="the call"):
        """Wait for the call to end; fail if it is still waiting or raised."""
        self.join(within)
        assert not self.is_alive(), f"{doing} was still waiting after {within} s"
        if self.error is not None:
            raise AssertionError(f"{doing} raised {self.error!r}") from self.error
        return self.result


class HeldRender:
    """
    Holds the first render of a body containing `marker`, after it read the
    matcher and before anything is written, until `release()`.
    """

    def __init__(self, marker):
        self.marker = marker
        self.reached = threading.Event()
        self.released = threading.Event()
        self.taken = False
        self.lock = threading.Lock()

    def wrap(self, render_body):
        def held_render_body(source, linker):
            if self.take(source):
                self.reached.set()
                self.released.wait(WAIT)
            return render_body(source, linker)

        return held_render_body

    def take(self, source):
        with self.lock:
            if self.taken or self.marker not in source:
                return False
            self.taken = True
            return True

    def wait_reached(self):
        assert self.reached.wait(WAIT), f"no render of “{self.marker}” began"

    def release(self):
        self.released.set()


class HeldQueueing:
    """
    Holds the first request to queue bodies for relinking made in the
    thread of `party`, until `release()`.
    """

    def __init__(self, monkeypatch, party):
        self.reached = threading.Event()
        self.released = threading.Event()
        self.taken = False
        request = PendingRelinkQuerySet.request

        def held_request(queryset, *args, **kwargs):
            if threading.current_thread() is party and not self.taken:
                self.taken = True
                self.reached.set()
                self.released.wait(WAIT)
            return request(queryset, *args, **kwargs)

        monkeypatch.setattr(PendingRelinkQuerySet, "request", held_request)

    def wait_reached(self):
        assert self.reached.wait(WAIT), "nothing was queued"

    def release(self):
        self.released.set()


class Race:
    """Starts parties and holds renders; lets everything go at the end."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch
        self.parties = []
        self.holds = []

    def hold_queueing(self, party):
        hold = HeldQueueing(self.monkeypatch, party)
        self.holds.append(hold)
        return hold

    def hold_render(self, marker):
        hold = HeldRender(marker)
        self.monkeypatch.setattr(
            glossary.models, "render_body", hold.wrap(glossary.models.render_body)
        )
        self.holds.append(hold)
        return hold

    def start(self, function, *args, **kwargs):
        party = Party(function, *args, **kwargs)
        self.parties.append(party)
        return party

    def end(self):
        for hold in self.holds:
            hold.release()
        for party in self.parties:
            party.join(WAIT * 2)


@pytest.fixture
def race(monkeypatch):
    race = Race(monkeypatch)
    yield race
    # Every thread has closed its connection before the database is
    # emptied for the next test.
    race.end()


def term_links(html):
    return links(html, css_class="term-link")


def article_body(client, article):
    """The body of the article's public page."""
    page = client.get(article.get_absolute_url()).content.decode()
    return element(page, "div", class_="body")


def mentioned_in(client, term):
    """What the term's public page lists under "Mentioned in"."""
    page = client.get(term.get_absolute_url()).content.decode()
    sections = elements(page, "section", class_="mentions")
    return [text for __, text in links(sections[0])] if sections else []


def assert_rendered_from_stored_text(body):
    """The stored HTML and mentions are what a render of the stored text gives now."""
    body.refresh_from_db()
    stored_html = body.body_html
    stored_mentions = set(body.mentioned_terms.values_list("pk", flat=True))
    body.render_links()
    assert stored_html == body.body_html
    assert stored_mentions == set(body._linked_term_ids)


def set_aliases(term_pk, aliases):
    term = Term.objects.get(pk=term_pk)
    term.aliases = aliases
    term.save()


def save_body(article_pk, body):
    article = Article.objects.get(pk=article_pk)
    article.body = body
    article.save()


def test_editor_save_between_relink_read_and_write_keeps_editors_links(
    race, staff_client, client
):
    adalimumab = make_term(name="Adalimumab", slug="adalimumab")
    infliximab = make_term(name="Infliximab", slug="infliximab")
    article = make_article(
        title="Treatment at home", body="Adalimumab is injected every two weeks."
    )
    form = admin_form(staff_client, change_url(article))
    held = race.hold_render("Adalimumab is injected")
    # A new alias relinks the article once it commits; that render is held.
    relink = race.start(set_aliases, adalimumab.pk, "Humira")
    held.wait_reached()

    form["body"] = "Infliximab is given as a drip in hospital."
    form.update(SAVE_AND_PUBLISH)
    editor = race.start(staff_client.post, change_url(article), form)
    response = editor.finish(LANDS_WITHIN, "the editor's save during a relink")
    assert response.status_code == 302
    held.release()
    relink.finish(doing="the relink")

    body = article_body(client, article)
    assert "is given as a drip in hospital." in text(body)
    assert term_links(body) == [("/glossary/infliximab/", "Infliximab")]
    assert mentioned_in(client, infliximab) == ["Treatment at home"]
    assert mentioned_in(client, adalimumab) == []
    assert_rendered_from_stored_text(article)


def test_relink_against_older_glossary_finishing_last_keeps_newer_links(race, client):
    adalimumab = make_term(name="Adalimumab", slug="adalimumab")
    article = make_article(
        title="Biosimilars", body="Humira and Amjevita are brands of one medicine."
    )
    held = race.hold_render("Humira and Amjevita")
    # Glossary version 1: Humira becomes an alias, and the relink of the
    # article against it is held.
    older = race.start(set_aliases, adalimumab.pk, "Humira")
    held.wait_reached()
    # Glossary version 2: Amjevita becomes a term; its relink of the
    # article runs to the end.
    newer = race.start(
        make_term, name="Amjevita", slug="amjevita", definition="A biosimilar."
    )
    newer.finish(LANDS_WITHIN, "a term's save during a relink")
    held.release()
    older.finish(doing="the relink against the older glossary")

    assert term_links(article_body(client, article)) == [
        ("/glossary/adalimumab/", "Humira"),
        ("/glossary/amjevita/", "Amjevita"),
    ]
    assert mentioned_in(client, newer.result) == ["Biosimilars"]
    assert_rendered_from_stored_text(article)


def backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def waits_for_lock(pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted", [pid])
        return cursor.fetchone() is not None


def test_renames_committed_out_of_order_both_link_in_this_process(race, client):
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite lets one writer in at a time: the first rename's open "
            "transaction holds the database, so the second cannot commit first."
        )
    anakinra = make_term(name="Anakinra", slug="anakinra")
    etanercept = make_term(name="Etanercept", slug="etanercept")
    first_saved, commit_first = threading.Event(), threading.Event()

    def rename_first_and_commit_last():
        with transaction.atomic():
            term = Term.objects.get(pk=anakinra.pk)
            term.name = "Kineret"
            term.save()
            first_saved.set()
            assert commit_first.wait(WAIT)

    pids = []

    def rename_second():
        pids.append(backend_pid())
        term = Term.objects.get(pk=etanercept.pk)
        term.name = "Enbrel"
        term.save()

    first = race.start(rename_first_and_commit_last)
    assert first_saved.wait(WAIT)
    second = race.start(rename_second)
    # The second rename either commits now or waits for the first (the
    # glossary version is counted in commit order); either way it is done
    # with what it can do before the first commits.
    deadline = time.monotonic() + LANDS_WITHIN
    while second.is_alive() and not (pids and waits_for_lock(pids[0])):
        assert time.monotonic() < deadline, "the second rename neither ran nor waited"
        time.sleep(0.02)
    # A page rendered meanwhile in this process reads the glossary as it
    # stands: the second rename perhaps, the first not yet.
    Article(body="Kineret and Enbrel.").render_links()
    commit_first.set()
    first.finish(doing="the first rename")
    second.finish(doing="the second rename")

    article = make_article(body="Kineret and Enbrel are injected.")
    assert term_links(article_body(client, article)) == [
        ("/glossary/anakinra/", "Kineret"),
        ("/glossary/etanercept/", "Enbrel"),
    ]


def test_term_deleted_during_article_save_save_succeeds_without_its_mention(
    race, client
):
    tocilizumab = make_term(name="Tocilizumab", slug="tocilizumab")
    article = make_article(title="Monthly infusions", body="Some text.")
    held = race.hold_render("Tocilizumab is")
    editor = race.start(save_body, article.pk, "Tocilizumab is given once a month.")
    held.wait_reached()
    deletion = race.start(Term.objects.filter(pk=tocilizumab.pk).delete)
    deletion.finish(LANDS_WITHIN, "deleting a term during an article's save")
    held.release()
    editor.finish(doing="the editor's save")

    body = article_body(client, article)
    assert text(body).strip() == "Tocilizumab is given once a month."
    assert term_links(body) == []
    assert not Article.mentioned_terms.through.objects.filter(
        term_id=tocilizumab.pk
    ).exists()
    assert_rendered_from_stored_text(article)


def test_term_added_during_article_save_is_linked_after_the_worker_runs(race, client):
    article = make_article(title="Newer options", body="Some text.")
    held = race.hold_render("Sarilumab is")
    editor = race.start(save_body, article.pk, "Sarilumab is a newer option.")
    held.wait_reached()
    # Added after the save's render read the glossary, committed before
    # the save commits.
    adding = race.start(
        make_term, name="Sarilumab", slug="sarilumab", definition="A drug."
    )
    sarilumab = adding.finish(LANDS_WITHIN, "adding a term during an article's save")
    held.release()
    editor.finish(doing="the editor's save")
    relinking.relink_pending()

    assert term_links(article_body(client, article)) == [
        ("/glossary/sarilumab/", "Sarilumab")
    ]
    assert mentioned_in(client, sarilumab) == ["Newer options"]
    assert_rendered_from_stored_text(article)


def test_late_request_for_older_glossary_leaves_body_queued_for_newer(
    race, client, settings
):
    # Relinks run only when the worker does (here: when the test says so).
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    adalimumab = make_term(name="Adalimumab", slug="adalimumab")
    etanercept = make_term(name="Etanercept", slug="etanercept")
    article = make_article(title="Injections", body="Adalimumab is injected.")
    edited = "Adalimumab and Etanercept are injected."

    editor_render = race.hold_render("and Etanercept")
    editor = race.start(save_body, article.pk, edited)
    editor_render.wait_reached()
    # Glossary version 1, while the editor's render (version 0) is held.
    set_aliases(adalimumab.pk, "Humira")
    # The editor's save commits; its check after commit reads version 1
    # and is held before it queues the article for that version.
    follow_up = race.hold_queueing(editor)
    editor_render.release()
    follow_up.wait_reached()

    # The worker renders the editor's text against version 1, and is held.
    worker_render = race.hold_render("and Etanercept")
    worker = race.start(relinking.relink_pending)
    worker_render.wait_reached()
    # Glossary version 2 renames a term the article now mentions.
    renamed = Term.objects.get(pk=etanercept.pk)
    renamed.name = "Enbrel"
    renamed.save()
    # The editor's check queues the article for version 1 after the rename
    # queued it for version 2; then the worker stores its render against
    # version 1. The article must stay queued for version 2.
    follow_up.release()
    editor.finish(doing="the editor's save")
    worker_render.release()
    worker.finish(doing="the worker")
    relinking.relink_pending()

    assert term_links(article_body(client, article)) == [
        ("/glossary/adalimumab/", "Adalimumab")
    ]
    assert mentioned_in(client, renamed) == []
    assert_rendered_from_stored_text(article)


def rename_image(image_pk, slug):
    image = Image.objects.get(pk=image_pk)
    image.slug = slug
    image.save()


def rekey_reference(reference_pk, key):
    reference = Reference.objects.get(pk=reference_pk)
    reference.key = key
    reference.save()


@pytest.mark.parametrize(
    ("rename", "embed_or_citation"),
    [(rename_image, "![](image:{})"), (rekey_reference, "[@{}]")],
)
def test_body_saved_during_a_rename_keeps_the_editors_text(
    race, rename, embed_or_citation
):
    if rename is rename_image:
        renamed = make_image(slug="knee-2019")
    else:
        renamed = make_reference(key="knee-2019")
    old = embed_or_citation.format("knee-2019")
    article = make_article(title="Knee pain", body=f"Rest helps.\n\n{old}")
    term = make_term(name="Knee joint", body=f"The joint.\n\n{old}")
    edited = "Rest helps; ice helps more."
    saved, commit = threading.Event(), threading.Event()

    def save_and_commit_when_told():
        with transaction.atomic():
            save_body(article.pk, edited)
            saved.set()
            assert commit.wait(WAIT)

    pids = []

    def rename_noting_connection():
        if connection.vendor == "postgresql":
            pids.append(backend_pid())
        rename(renamed.pk, "knee-2020")

    editor = race.start(save_and_commit_when_told)
    assert saved.wait(WAIT)
    renaming = race.start(rename_noting_connection)
    if connection.vendor == "postgresql":
        # The rename reaches the body the editor has saved and not yet
        # committed. (On SQLite it cannot begin before the commit.)
        deadline = time.monotonic() + LANDS_WITHIN
        while not (pids and waits_for_lock(pids[0])):
            assert renaming.is_alive(), "the rename did not wait for the editor"
            assert time.monotonic() < deadline, "the rename never waited"
            time.sleep(0.02)
    commit.set()
    editor.finish(doing="the editor's save")
    renaming.finish(doing="the rename")

    assert Article.objects.get(pk=article.pk).body == edited
    new = embed_or_citation.format("knee-2020")
    assert Term.objects.get(pk=term.pk).body == f"The joint.\n\n{new}"
