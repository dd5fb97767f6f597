"""
The editorial roles, tried with real users in each group (never
superusers) posting whole admin forms: what each role is offered, and that
a forged request for more is refused with nothing changed.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from articles.models import Article, PendingRevision
from glossary.models import Term, TermRelation
from portal.roles import ROLES
from tests.admin_pages import SAVE_AND_PUBLISH, admin_form, change_url
from tests.factories import logged_in, make_article, make_term
from tests.html import element, elements, form_data, links, text

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")


def step_url(article, step):
    return reverse(f"admin:articles_article_{step}", args=[article.pk])


def status_choices(html):
    select = element(html, "select", name="status")
    return [option.attrs["value"] for option in elements(select, "option")]


def submit_values(html):
    # The Save buttons' row, and the Preview button's row below it.
    return [
        button.attrs["value"]
        for row in elements(html, "div", class_="submit-row")
        for button in elements(row, "input")
        if button.attrs.get("type") == "submit"
    ]


@pytest.fixture
def live():
    return make_article(title="Fatigue", body="Tiredness is common.")


@pytest.fixture
def draft():
    return make_article(
        title="Notes", body="Work in progress.", status=Article.Status.DRAFT
    )


def held_edit(editor, article):
    client = logged_in(editor)
    data = admin_form(client, change_url(article))
    data["body"] = "Changed by an editor."
    assert client.post(change_url(article), data).status_code == 302
    return PendingRevision.objects.get(article=article)


# What each role is offered


def test_editor_chooses_only_draft_or_in_review(editor, draft):
    client = logged_in(editor)
    assert status_choices(client.get(ADD_URL).content.decode()) == [
        "draft",
        "in_review",
    ]
    assert status_choices(client.get(change_url(draft)).content.decode()) == [
        "draft",
        "in_review",
    ]


def test_editor_sees_publish_at_and_a_live_status_read_only(editor, live):
    html = logged_in(editor).get(change_url(live)).content.decode()
    form = form_data(html, "article_form")
    assert "published_at_0" not in form
    assert "status" not in form
    assert "Published" in text(element(html, "div", class_="field-status"))


def test_editor_gets_no_publish_or_approve_buttons(editor, live):
    held_edit(editor, live)
    client = logged_in(editor)
    change_page = client.get(change_url(live)).content.decode()
    assert "Save and publish" not in submit_values(change_page)
    review = client.get(step_url(live, "review")).content.decode()
    assert not elements(review, "form", id="approve-form")
    assert not elements(review, "form", id="discard-form")
    assert "A publisher approves or discards these changes." in text(review)


def test_publisher_gets_every_status_and_the_publish_buttons(publisher, live):
    client = logged_in(publisher)
    html = client.get(change_url(live)).content.decode()
    assert status_choices(html) == ["draft", "in_review", "published", "archived"]
    assert submit_values(html)[-1] == "Save and publish"
    # Enter in a field submits with the first button: a plain save.
    assert submit_values(html)[0] == "Save"
    assert "medically_reviewed" not in form_data(html, "article_form")


def test_publisher_who_reviews_gets_the_medical_review_box(reviewing_publisher, live):
    html = logged_in(reviewing_publisher).get(change_url(live)).content.decode()
    assert element(html, "input", name="medically_reviewed")


def test_medical_reviewer_may_view_but_not_change_articles(medical_reviewer, live):
    client = logged_in(medical_reviewer)
    assert client.get(change_url(live)).status_code == 200
    data = admin_form(client, change_url(live))
    data["body"] = "Changed by a reviewer."
    assert client.post(change_url(live), data).status_code == 403
    live.refresh_from_db()
    assert live.body == "Tiredness is common."


# Forged requests


def test_editor_posting_status_published_is_refused_with_message(editor, draft):
    client = logged_in(editor)
    data = admin_form(client, change_url(draft))
    data["status"] = "published"
    response = client.post(change_url(draft), data)

    assert response.status_code == 200
    assert "Select a valid choice. published is not one of the available choices." in (
        text(response.content.decode())
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_editor_adding_a_published_article_is_refused(editor):
    client = logged_in(editor)
    data = admin_form(client, ADD_URL)
    data.update(title="Forged", body="Text.", status="published")
    response = client.post(ADD_URL, data)

    assert response.status_code == 200
    assert not Article.objects.filter(title="Forged").exists()


def test_editor_posting_the_publish_button_is_forbidden(editor, live, draft):
    client = logged_in(editor)
    for article, status in ((live, "published"), (draft, "draft")):
        data = admin_form(client, change_url(article))
        data["body"] = "Forged."
        data.update(SAVE_AND_PUBLISH)
        assert client.post(change_url(article), data).status_code == 403
        article.refresh_from_db()
        assert article.status == status
        assert article.body != "Forged."
    assert not PendingRevision.objects.exists()


def test_editor_posting_a_status_or_publish_date_on_a_live_article_changes_neither(
    editor, live
):
    client = logged_in(editor)
    data = admin_form(client, change_url(live))
    data.update(status="archived", published_at_0="2030-01-01", published_at_1="09:00")
    assert client.post(change_url(live), data).status_code == 302

    before = live.published_at
    live.refresh_from_db()
    assert (live.status, live.published_at) == ("published", before)
    assert not PendingRevision.objects.exists()


def test_editor_posting_approve_or_discard_is_forbidden(editor, live):
    revision = held_edit(editor, live)
    client = logged_in(editor)
    for step in ("approve", "discard"):
        response = client.post(
            step_url(live, step), {"save_count": str(revision.save_count)}
        )
        assert response.status_code == 403
    assert PendingRevision.objects.get().content["body"] == "Changed by an editor."
    live.refresh_from_db()
    assert live.body == "Tiredness is common."


def test_editor_and_publisher_posting_record_review_are_forbidden(
    editor, publisher, live
):
    for user in (editor, publisher):
        response = logged_in(user).post(step_url(live, "record_review"))
        assert response.status_code == 403
    live.refresh_from_db()
    assert live.last_reviewed_on is None


def test_publisher_who_does_not_review_cannot_forge_the_review_tick(
    editor, publisher, live
):
    revision = held_edit(editor, live)
    response = logged_in(publisher).post(
        step_url(live, "approve"),
        {"save_count": str(revision.save_count), "medically_reviewed": "on"},
    )

    assert response.status_code == 403
    live.refresh_from_db()
    assert (live.body, live.last_reviewed_on) == ("Tiredness is common.", None)


def test_steps_answer_only_posts(publisher, live):
    for step in ("approve", "discard", "record_review"):
        assert logged_in(publisher).get(step_url(live, step)).status_code == 405


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_group_changelist"),
    ],
)
def test_editor_cannot_open_user_or_group_management(editor, url):
    assert logged_in(editor).get(url).status_code == 403


def test_editor_cannot_delete_an_article(editor, live):
    client = logged_in(editor)
    url = reverse("admin:articles_article_delete", args=[live.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=live.pk).exists()


# The groups


def group_permissions(name):
    group = Group.objects.get(name=name)
    return {
        f"{permission.content_type.app_label}.{permission.codename}"
        for permission in group.permissions.select_related("content_type")
    }


def test_groups_hold_their_roles_permissions(roles):
    editors = group_permissions("Editors")
    assert "articles.change_article" in editors
    assert "glossary.change_termrelation" in editors
    assert "taggit.add_tag" in editors
    assert not any(".delete_" in label for label in editors)
    assert "articles.publish_article" not in editors
    assert not any(label.startswith("auth.") for label in editors)
    publishers = group_permissions("Publishers")
    assert editors < publishers
    assert {"articles.publish_article", "articles.delete_article"} <= publishers
    assert "articles.review_article" not in publishers
    assert group_permissions("Medical reviewers") >= {
        "articles.view_article",
        "articles.review_article",
    }


def test_roles_name_only_permissions_that_exist_or_belong_to_later_apps(roles):
    for name, wanted in ROLES.items():
        held = group_permissions(name)
        missing = {label for label in wanted if label not in held}
        assert {label.split(".")[0] for label in missing} <= {"images", "portal"}, name


@pytest.mark.django_db(transaction=True)
def test_migration_creates_the_groups():
    executor = MigrationExecutor(connection)
    executor.migrate([("portal", "0001_demo_row")])
    Group.objects.all().delete()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert set(Group.objects.values_list("name", flat=True)) == set(ROLES)
    assert "articles.publish_article" in group_permissions("Publishers")


def test_a_refused_page_says_why_and_leads_back(editor):
    response = logged_in(editor).get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "You may not do this" in text(element(page, "h1"))
    assert ("/admin/", "Back to the admin") in links(page)


def test_editor_takes_a_wrong_relation_off_a_term_without_deleting_terms(editor):
    term = make_term(name="Etanercept")
    wrong = make_term(name="Interleukin 1")
    TermRelation.objects.create(source=term, kind="inhibits", target=wrong)
    client = logged_in(editor)
    data = admin_form(client, change_url(term))
    data["relations-0-DELETE"] = "on"

    response = client.post(change_url(term), data)

    assert response.status_code == 302
    assert not TermRelation.objects.filter(source=term).exists()
    assert Term.objects.filter(pk=wrong.pk).exists()
