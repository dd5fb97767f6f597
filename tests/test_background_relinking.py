"""
A glossary change is relinked in the background: the editor's save queues
the pages it affects and returns; the worker brings them up to date; the
admin says what is still waiting.
"""

import pytest
from django.core.management import call_command
from django.db import OperationalError, transaction
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from articles.admin import ArticleAdmin
from articles.models import Article
from glossary import relinking, tasks
from glossary.models import GlossaryVersion, PendingRelink, Term
from tests.admin_pages import admin_form, change_url
from tests.factories import make_article, make_reference, make_term
from tests.html import element, elements, form_data, links, text

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

pytestmark = pytest.mark.django_db


def term_links(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    return links(page, css_class="term-link")


def relinking_status(client, url=None):
    page = client.get(url or reverse("admin:index")).content.decode()
    return text(element(page, id="relinking-status")).strip()


def run_worker(monkeypatch):
    """
    Run `manage.py db_worker` until the queue is empty. The worker closes
    stale database connections between tasks, which would close the test's
    own transaction; here there is only that one, kept open.
    """
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections",
        lambda: None,
    )
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def rename_in_admin(staff_client, term, **changes):
    data = admin_form(staff_client, change_url(term))
    data.update(changes)
    return staff_client.post(change_url(term), data)


@override_settings(TASKS=DATABASE_TASKS)
def test_a_term_change_queues_the_pages_and_the_worker_relinks_them(
    staff_client, client, monkeypatch, django_capture_on_commit_callbacks
):
    term = make_term(name="Interleukin 1", aliases="IL-1")
    articles = [
        make_article(title=f"Joint pain {n}", body="IL-1 drives swelling.")
        for n in range(3)
    ]
    make_article(title="Unrelated", body="Rest and exercise.")
    relinking.relink_pending()
    assert term_links(client, articles[0]) == [(term.get_absolute_url(), "IL-1")]

    with django_capture_on_commit_callbacks(execute=True):
        response = rename_in_admin(staff_client, term, slug="interleukin-one")

    # The save returned with the pages queued, not relinked.
    assert response.status_code == 302, response.content.decode()[:2000]
    assert DBTaskResult.objects.filter(
        task_path="glossary.tasks.relink_pending", status="READY"
    ).exists()
    assert term_links(client, articles[0]) == [("/glossary/interleukin-1/", "IL-1")]
    assert relinking_status(staff_client) == (
        "Updating links: relinking 3 of 4 articles, relinking 1 of 1 terms."
    )

    run_worker(monkeypatch)

    for article in articles:
        assert term_links(client, article) == [("/glossary/interleukin-one/", "IL-1")]
    assert relinking_status(staff_client) == "Up to date"
    assert not PendingRelink.objects.exists()


@override_settings(TASKS=DATABASE_TASKS)
def test_a_new_alias_is_looked_for_in_the_background(
    staff_client, client, monkeypatch, django_capture_on_commit_callbacks
):
    term = make_term(name="Tumour necrosis factor")
    article = make_article(title="Biologics", body="Blocking TNF-alpha helps.")
    relinking.relink_pending()
    with django_capture_on_commit_callbacks(execute=True):
        response = rename_in_admin(staff_client, term, aliases="TNF-alpha")
    assert response.status_code == 302
    # Finding the pages that contain a new alias reads every body, so the
    # request leaves even that to the worker.
    assert relinking_status(staff_client) == (
        "Updating links: relinking 1 of 1 terms; finding the pages a change affects."
    )
    assert term_links(client, article) == []

    run_worker(monkeypatch)

    assert term_links(client, article) == [(term.get_absolute_url(), "TNF-alpha")]


@pytest.mark.parametrize(
    ("name", "alias", "body", "shown"),
    [
        ("Immunoglobulin", "Antibody", "Infliximab is an antibody.", "antibody"),
        ("Immunoglobulin", "Antibody", "Both are antibodies.", "antibodies"),
        ("Silk Road disease", "Behçet's", "Behçet’s ulcers.", "Behçet’s"),
        ("p19 cytokine", "Interleukin-23", "Interleukin 23 rises.", "Interleukin 23"),
        ("Still's disease", "Joint pain", "Joint\npain.", "Joint\npain"),
        ("Interferon lambda", "IFN-lambda", "IFN-λ levels rise.", "IFN-λ"),
        ("Interleukin 23", "IL-23", "See [[IL 23]].", "IL 23"),
    ],
)
def test_a_new_alias_links_the_pages_that_write_it_another_way(
    staff_client, client, django_capture_on_commit_callbacks, name, alias, body, shown
):
    term = make_term(name=name)
    article = make_article(title="Mentions", body=body)
    with django_capture_on_commit_callbacks(execute=True):
        response = rename_in_admin(staff_client, term, aliases=alias)
    assert response.status_code == 302, response.content.decode()[:2000]

    assert term_links(client, article) == [(term.get_absolute_url(), shown)]


def test_the_editor_is_told_that_pages_mentioning_a_renamed_term_are_relinked(
    staff_client, django_capture_on_commit_callbacks
):
    term = make_term(name="Anakinra")
    with django_capture_on_commit_callbacks(execute=True):
        response = rename_in_admin(staff_client, term, name="Anakinra injection")
    page = staff_client.get(response["Location"]).content.decode()
    assert (
        "Pages that mention “Anakinra injection” are being relinked in the "
        "background; the admin's home page shows how many are left."
    ) in text(element(page, "ul", class_="messagelist"))


def test_a_save_that_only_edits_the_body_queues_nothing(
    staff_client, django_capture_on_commit_callbacks
):
    term = make_term(name="Etanercept")
    relinking.relink_pending()
    data = admin_form(staff_client, change_url(term))
    data["body"] = "Given as an injection once a week."
    before = GlossaryVersion.current()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(change_url(term), data)
    assert response.status_code == 302
    assert GlossaryVersion.current() == before
    assert relinking_status(staff_client) == "Up to date"


def test_a_run_relinks_the_other_pages_when_one_fails_and_keeps_it_queued(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    term = make_term(name="Infliximab")
    broken, fine = (
        make_article(title=title, body="Infliximab is given by drip.")
        for title in ("Broken", "Fine")
    )
    real_store = Article.store_render

    def store_render(self, source):
        if self.pk == broken.pk:
            raise ValueError("cannot store")
        return real_store(self, source)

    monkeypatch.setattr(Article, "store_render", store_render)
    with django_capture_on_commit_callbacks(execute=True):
        term.slug = "infliximab-drip"
        term.save()

    assert term_links(client, fine) == [("/glossary/infliximab-drip/", "Infliximab")]
    assert term_links(client, broken) == [("/glossary/infliximab/", "Infliximab")]
    assert list(PendingRelink.objects.values_list("body_id", flat=True)) == [broken.pk]


@override_settings(TASKS=DATABASE_TASKS)
def test_a_run_that_leaves_pages_queued_schedules_another(monkeypatch):
    monkeypatch.setattr(relinking, "relink_pending", lambda: (4, 1))
    tasks.relink_pending.call()
    (retry,) = DBTaskResult.objects.filter(task_path="glossary.tasks.relink_pending")
    assert retry.run_after is not None


def test_a_relink_retries_a_body_when_the_database_is_busy(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    term = make_term(name="Adalimumab")
    article = make_article(title="Pens", body="Adalimumab comes in a pen.")
    real_store = Article.store_render
    calls = []

    def busy_once(self, source):
        calls.append(self.pk)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real_store(self, source)

    monkeypatch.setattr(Article, "store_render", busy_once)
    with django_capture_on_commit_callbacks(execute=True):
        term.slug = "adalimumab-pen"
        term.save()
    assert calls == [article.pk, article.pk]
    assert term_links(client, article) == [("/glossary/adalimumab-pen/", "Adalimumab")]
    assert not PendingRelink.objects.exists()


def test_an_admin_save_that_finds_the_database_busy_is_run_again(
    staff_client, monkeypatch
):
    article = make_article(
        title="Fatigue", body="Tiredness is common.", status=Article.Status.DRAFT
    )
    real_save = Article.save
    attempts = []

    def busy_once(self, *args, **kwargs):
        attempts.append(self.body)
        if len(attempts) == 1:
            raise OperationalError("database is locked")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Article, "save", busy_once)
    data = admin_form(staff_client, change_url(article))
    data["body"] = "Tiredness is common and often eases."
    response = staff_client.post(change_url(article), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.body == "Tiredness is common and often eases."
    assert len(attempts) == 2


def test_a_save_run_again_says_it_was_saved_once(staff_client, monkeypatch):
    article = make_article(
        title="Morning stiffness",
        body="Joints feel stiff.",
        status=Article.Status.DRAFT,
    )
    real_warn = ArticleAdmin.warn_of_link_problems
    attempts = []

    def busy_after_the_message(self, request, obj):
        # Fails after "… was changed successfully" has been queued.
        attempts.append(obj.pk)
        if len(attempts) == 1:
            raise OperationalError("database is locked")
        return real_warn(self, request, obj)

    monkeypatch.setattr(ArticleAdmin, "warn_of_link_problems", busy_after_the_message)
    data = admin_form(staff_client, change_url(article))
    data["body"] = "Joints feel stiff for an hour."
    response = staff_client.post(change_url(article), data, follow=True)

    page = response.content.decode()
    messages = [text(item).strip() for item in elements(page, "li", class_="success")]
    assert len(attempts) == 2
    assert len(messages) == 1, messages
    assert "was changed successfully" in messages[0]


def test_a_save_that_stays_blocked_keeps_the_form_to_send_again(
    staff_client, monkeypatch
):
    article = make_article(
        title="Sleep", body="Sleep helps.", status=Article.Status.DRAFT
    )

    def always_busy(self, *args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("glossary.transient.FIRST_PAUSE", 0)
    monkeypatch.setattr(Article, "save", always_busy)
    data = admin_form(staff_client, change_url(article))
    data["body"] = "Sleep helps, and “naps” too.\n\nA second paragraph."
    response = staff_client.post(change_url(article), data)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Nothing was saved." in text(page)
    resent = form_data(page, "resend-form")
    assert resent["body"].replace("\r\n", "\n") == data["body"]
    assert resent["title"] == "Sleep"

    monkeypatch.undo()
    response = staff_client.post(change_url(article), resent)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == data["body"]


def test_a_term_change_that_rolls_back_leaves_the_glossary_version(db):
    term = make_term(name="Cytokine")
    before = GlossaryVersion.current()
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            term.name = "Cytokines"
            term.save()
            assert GlossaryVersion.current() == before + 1
            raise RuntimeError
    assert GlossaryVersion.current() == before
    assert Term.objects.get(pk=term.pk).name == "Cytokine"


def test_a_matcher_built_in_a_rolled_back_change_is_not_used_after_it(client):
    article = make_article(title="Biosimilars", body="Amjevita copies Humira.")
    with pytest.raises(RuntimeError), transaction.atomic():
        make_term(name="Amjevita")
        # Rendered inside the change: the matcher holds the new term.
        article.save()
        raise RuntimeError
    # The next change (a reference, whose save renders nothing) counts to
    # the same number as the rolled-back one.
    make_reference(key="amjevita-label")
    article.save()
    assert term_links(client, article) == []


@override_settings(TASKS=DATABASE_TASKS)
def test_relink_resume_queues_a_run_for_pages_left_waiting(client, monkeypatch, capsys):
    article = make_article(title="Gout", body="Interleukin 1 drives a gout flare.")
    make_term(name="Interleukin 1")
    DBTaskResult.objects.all().delete()  # as after a worker stopped halfway
    call_command("relink", resume=True)
    assert "Queued a relinking run" in capsys.readouterr().out

    run_worker(monkeypatch)

    assert [shown for __, shown in term_links(client, article)] == ["Interleukin 1"]
    call_command("relink", resume=True)
    assert "No bodies are waiting" in capsys.readouterr().out


# Last: the demo content stays for the rest of the module once loaded.
def test_the_link_problems_page_says_while_links_are_being_updated(staff_client, demo):
    url = reverse("admin:link-problems")
    page = staff_client.get(url).content.decode()
    assert elements(page, id="relinking-status") == []

    article = Article.objects.get(slug="what-are-cytokines")
    PendingRelink.objects.request({Article: [article.pk]}, GlossaryVersion.current())

    assert relinking_status(staff_client, url).startswith(
        f"Updating links: relinking 1 of {Article.objects.count()} articles."
    )
