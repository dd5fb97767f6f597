"""
No lost updates: a save from a form opened before another editor's save is
refused, naming that editor and the time, showing what they changed, and
keeping what was typed; saving the refused form again keeps both changes.
"""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version

from articles.models import Article
from editorial.admin import StaleEditRefusal
from glossary.models import Term
from references.models import Reference
from tests.admin_pages import admin_form, change_url, set_row
from tests.factories import make_article, make_reference, make_term
from tests.html import element, elements, form_data, text
from tests.test_history import editor, put_live, save_change

pytestmark = pytest.mark.django_db

REFUSAL = (
    "{who} saved this {what} at {time}, after you opened it. Your text is "
    "kept below; compare and save again."
)


@pytest.fixture
def anna():
    return editor("Anna", "Berg")


@pytest.fixture
def bo():
    return editor("Bo", "Chen")


def saved_at(obj):
    """The local time of the object's latest version, as the message gives it."""
    latest = Version.objects.get_for_object(obj).first().revision.date_created
    return date_format(timezone.localtime(latest), "H:i")


def refusal(page):
    """The message and diff a refused save shows above the form."""
    return element(page, "div", class_="stale-edit")


def post_form(client, obj, data):
    return client.post(change_url(obj), put_live(obj, data))


def test_a_stale_article_save_is_refused_and_saving_again_keeps_both(anna, bo):
    article = make_article(
        title="Fatigue", summary="Tiredness.", body="Tiredness is common."
    )
    opened_by_bo = admin_form(bo, change_url(article))
    save_change(
        anna,
        article,
        body="Tiredness is common.\n\nRest and pacing help most.",
        tags="fatigue",
    )

    opened_by_bo["summary"] = "Why people with arthritis feel tired."
    response = post_form(bo, article, opened_by_bo)

    assert response.status_code == 200
    page = response.content.decode()
    shown = refusal(page)
    assert text(element(shown, "p", class_="stale-edit-message")) == REFUSAL.format(
        who="Anna Berg", what="article", time=saved_at(article)
    )
    body_added, tag_added = elements(shown, "ins")
    assert "Rest and pacing help most." in text(body_added)
    assert text(tag_added) == "fatigue"
    returned = form_data(page, "article_form")
    assert returned["summary"] == "Why people with arthritis feel tired."
    assert Article.objects.get(pk=article.pk).summary == "Tiredness."

    # Read, then saved again on purpose: the form carries the new count.
    assert post_form(bo, article, returned).status_code == 302
    saved = Article.objects.get(pk=article.pk)
    assert saved.summary == "Why people with arthritis feel tired."
    assert saved.body == "Tiredness is common.\n\nRest and pacing help most."
    assert list(saved.tags.names()) == ["fatigue"]


def test_a_field_both_editors_changed_keeps_the_refused_text(anna, bo):
    article = make_article(title="Sleep", body="Sleep helps.")
    opened_by_bo = admin_form(bo, change_url(article))
    save_change(anna, article, body="Sleep helps, and naps too.")

    opened_by_bo["body"] = "Sleep helps; keep regular hours."
    page = post_form(bo, article, opened_by_bo).content.decode()

    assert form_data(page, "article_form")["body"] == "Sleep helps; keep regular hours."
    changed = refusal(page)
    assert [text(e) for e in elements(changed, "ins")] == [", and naps too"]
    assert Article.objects.get(pk=article.pk).body == "Sleep helps, and naps too."


def test_a_stale_term_save_is_refused_with_the_typed_relation_kept(anna, bo):
    tnf = make_term(name="TNF-alpha", definition="A messenger.")
    term = make_term(name="Adalimumab", definition="A medicine.")
    opened_by_bo = admin_form(bo, change_url(term))
    save_change(anna, term, aliases="Humira")

    opened_by_bo["definition"] = "A medicine that blocks TNF-alpha."
    set_row(opened_by_bo, "relations", 0, kind="inhibits", target=str(tnf.pk))
    page = post_form(bo, term, opened_by_bo).content.decode()

    shown = refusal(page)
    assert text(element(shown, "p", class_="stale-edit-message")) == REFUSAL.format(
        who="Anna Berg", what="term", time=saved_at(term)
    )
    assert [text(e) for e in elements(shown, "ins")] == ["Humira"]
    returned = form_data(page, "term_form")
    assert returned["definition"] == "A medicine that blocks TNF-alpha."
    assert returned["relations-0-target"] == str(tnf.pk)
    assert returned["relations-0-kind"] == "inhibits"
    assert not term.relations.exists()

    assert post_form(bo, term, returned).status_code == 302
    saved = Term.objects.get(pk=term.pk)
    assert saved.alias_list == ["Humira"]
    assert saved.definition == "A medicine that blocks TNF-alpha."
    assert [str(r) for r in saved.relations.all()] == ["Adalimumab inhibits TNF-alpha"]


def test_a_stale_reference_save_is_refused_and_saving_again_keeps_both(anna, bo):
    reference = make_reference(key="doe-2020", title="A study of sleep", pages="")
    opened_by_bo = admin_form(bo, change_url(reference))
    save_change(anna, reference, title="A study of sleep in arthritis")

    opened_by_bo["pages"] = "12-19"
    page = post_form(bo, reference, opened_by_bo).content.decode()

    shown = refusal(page)
    assert text(element(shown, "p", class_="stale-edit-message")) == REFUSAL.format(
        who="Anna Berg", what="reference", time=saved_at(reference)
    )
    assert [text(e) for e in elements(shown, "ins")] == [" in arthritis"]
    returned = form_data(page, "reference_form")
    assert returned["pages"] == "12-19"

    assert post_form(bo, reference, returned).status_code == 302
    saved = Reference.objects.get(pk=reference.pk)
    assert (saved.title, saved.pages) == ("A study of sleep in arthritis", "12-19")


def test_each_admin_save_counts_one_edit(anna):
    article = make_article(title="Counted")
    save_change(anna, article, summary="One.")
    save_change(anna, article, summary="Two.")
    assert Article.objects.get(pk=article.pk).edit_count == 2


@pytest.mark.django_db(transaction=True)
def test_two_saves_from_one_opened_form_at_once_let_one_through(anna, bo, monkeypatch):
    """
    Both forms are opened at the same count; the first save holds its row
    lock until the second has read the row or waits for the lock. On
    PostgreSQL only one may pass; SQLite lets one writer in at a time, so
    the second starts after the first has committed.
    """
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; there is no overlap")
    article = make_article(title="Race")
    save_change(anna, article, summary="Before.")
    forms = {"anna": admin_form(anna, change_url(article))}
    forms["bo"] = admin_form(bo, change_url(article))
    forms["anna"]["summary"] = "Anna's summary."
    forms["bo"]["summary"] = "Bo's summary."
    first_checked, second_read = threading.Event(), threading.Event()
    real_refuse, real_save = StaleEditRefusal.refuse_stale_edit, Article.save

    def refuse(self, form):
        try:
            return real_refuse(self, form)
        finally:
            name = threading.current_thread().name
            (first_checked if name == "anna" else second_read).set()

    def save_when_the_other_has_read_or_waits(self, *args, **kwargs):
        if threading.current_thread().name == "anna":
            while not (second_read.wait(0.01) or waiting_for_a_lock()):
                pass
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(StaleEditRefusal, "refuse_stale_edit", refuse)
    monkeypatch.setattr(Article, "save", save_when_the_other_has_read_or_waits)
    statuses = {}

    def post(name, client):
        try:
            statuses[name] = post_form(client, article, forms[name]).status_code
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=post, name=name, args=(name, client))
        for name, client in (("anna", anna), ("bo", bo))
    ]
    threads[0].start()
    first_checked.wait(30)
    threads[1].start()
    for thread in threads:
        thread.join(60)

    assert statuses == {"anna": 302, "bo": 200}
    assert Article.objects.get(pk=article.pk).summary == "Anna's summary."


def waiting_for_a_lock():
    """Whether some PostgreSQL session waits for a row lock."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0
