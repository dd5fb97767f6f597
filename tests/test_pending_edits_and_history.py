"""
Two editors and a publisher on one published article: a form opened before
someone else's pending change, or before an approval, is refused with the
text kept; an approval is kept in the article's history.
"""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import PendingRevision
from tests.admin_pages import admin_form, change_url
from tests.factories import logged_in, make_article
from tests.html import element, form_data, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def fatigue():
    return make_article(title="Fatigue", slug="fatigue", body="Tiredness is common.")


def approve(client, article):
    review = reverse("admin:articles_article_review", args=[article.pk])
    data = form_data(client.get(review).content.decode(), "approve-form")
    return client.post(
        reverse("admin:articles_article_approve", args=[article.pk]), data
    )


def refusal(page):
    return text(element(page, "div", class_="stale-edit"))


def erins_save_after_eddies(editor, second_editor, article):
    """
    Erin opens the article, Eddie opens it, adds a sentence and saves (his
    edit waits for approval), then Erin saves a new summary.
    """
    eddie, erin = logged_in(editor), logged_in(second_editor)
    opened_by_erin = admin_form(erin, change_url(article))
    mine = admin_form(eddie, change_url(article))
    mine["body"] = "Tiredness is common. Rest helps."
    eddie.post(change_url(article), mine)
    opened_by_erin["summary"] = "Why people feel tired."
    return erin, erin.post(change_url(article), opened_by_erin)


def test_a_form_opened_before_anothers_pending_change_is_refused_and_kept(
    editor, second_editor, fatigue
):
    __, response = erins_save_after_eddies(editor, second_editor, fatigue)

    assert response.status_code == 200
    page = response.content.decode()
    message = refusal(page)
    assert "Eddie Editor changed the edits waiting for approval" in message
    assert "Rest helps." in message
    # Erin's typing is in the form she gets back.
    assert form_data(page, "article_form")["summary"] == "Why people feel tired."
    # Eddie's change is still what waits.
    assert PendingRevision.objects.get().content["body"] == (
        "Tiredness is common. Rest helps."
    )


def test_saving_the_refused_form_again_is_a_deliberate_choice_that_passes(
    editor, second_editor, fatigue
):
    erin, response = erins_save_after_eddies(editor, second_editor, fatigue)
    refused = response.content.decode()

    again = erin.post(change_url(fatigue), form_data(refused, "article_form"))

    assert again.status_code == 302
    waiting = PendingRevision.objects.get().content
    # Both editors' changes wait together.
    assert waiting["summary"] == "Why people feel tired."
    assert waiting["body"] == "Tiredness is common. Rest helps."


def test_a_form_opened_before_an_approval_is_refused(editor, publisher, fatigue):
    eddie, pat = logged_in(editor), logged_in(publisher)
    first = admin_form(eddie, change_url(fatigue))
    first["body"] = "Tiredness is common. Rest helps."
    eddie.post(change_url(fatigue), first)
    # Opened while the change waits, saved after the publisher approved it.
    opened = admin_form(eddie, change_url(fatigue))
    approve(pat, fatigue)

    opened["body"] = "Tiredness is common. Rest helps. So does a walk."
    response = eddie.post(change_url(fatigue), opened)

    assert response.status_code == 200
    assert "Pat Publisher saved this article" in refusal(response.content.decode())


def test_an_approval_is_kept_in_the_history_with_the_publisher(
    editor, publisher, fatigue
):
    eddie = logged_in(editor)
    data = admin_form(eddie, change_url(fatigue))
    data["body"] = "Tiredness is common. Rest helps."
    eddie.post(change_url(fatigue), data)

    approve(logged_in(publisher), fatigue)

    latest = Version.objects.get_for_object(fatigue).first()
    assert latest.revision.user == publisher
    assert latest.field_dict["body"] == "Tiredness is common. Rest helps."
    assert latest.revision.comment == (
        "Published the changes to “Fatigue”: readers see them now. "
        "Written by Eddie Editor."
    )


def test_an_earlier_version_of_a_published_article_is_not_put_live_by_a_restore(
    editor, publisher, fatigue
):
    pat = logged_in(publisher)
    data = admin_form(pat, change_url(fatigue))
    data.update(body="Tiredness is common. Rest helps.", _publish="Save and publish")
    pat.post(change_url(fatigue), data)
    first = Version.objects.get_for_object(fatigue).last()
    restore_url = reverse(
        "admin:articles_article_revision", args=[fatigue.pk, first.pk]
    )

    for client in (logged_in(editor), pat):
        response = client.post(restore_url, data, follow=True)
        assert "is not restored directly" in text(response.content.decode())

    fatigue.refresh_from_db()
    assert fatigue.body == "Tiredness is common. Rest helps."
    assert not PendingRevision.objects.exists()
    # The history offers no restore it would refuse, and says why.
    history = pat.get(reverse("admin:articles_article_history", args=[fatigue.pk]))
    page = history.content.decode()
    assert "Restore this version" not in page
    assert "copy what you need into the article's form and save and publish it" in (
        text(page)
    )


def test_only_a_publisher_brings_back_a_deleted_article(editor, publisher, fatigue):
    pat = logged_in(publisher)
    data = admin_form(pat, change_url(fatigue))
    data.update(_publish="Save and publish")
    pat.post(change_url(fatigue), data)
    pat.post(
        reverse("admin:articles_article_delete", args=[fatigue.pk]), {"post": "yes"}
    )
    deleted = Version.objects.get_deleted(type(fatigue)).first()
    recover = reverse("admin:articles_article_recover", args=[deleted.pk])

    eddie = logged_in(editor)
    assert eddie.get(recover).status_code == 403
    assert pat.get(recover).status_code == 200
    recover_list = reverse("admin:articles_article_recoverlist")
    assert eddie.get(recover_list).status_code == 403
    changelist = reverse("admin:articles_article_changelist")
    assert recover_list not in eddie.get(changelist).content.decode()
    assert recover_list in pat.get(changelist).content.decode()


def test_a_form_opened_while_changes_waited_keeps_the_later_waiting_changes(
    editor, second_editor, fatigue
):
    eddie, erin = logged_in(editor), logged_in(second_editor)
    first = admin_form(eddie, change_url(fatigue))
    first["body"] = "Tiredness is common. Rest helps."
    eddie.post(change_url(fatigue), first)
    # Both open the article while Eddie's first change waits.
    opened_by_erin = admin_form(erin, change_url(fatigue))
    opened_by_eddie = admin_form(eddie, change_url(fatigue))
    opened_by_eddie["summary"] = "Why people feel tired."
    eddie.post(change_url(fatigue), opened_by_eddie)

    opened_by_erin["body"] = "Tiredness is common. Rest and light exercise help."
    refused = erin.post(change_url(fatigue), opened_by_erin).content.decode()

    message = refusal(refused)
    assert "Eddie Editor changed the edits waiting for approval" in message
    # What changed since Erin opened the form: the summary, not the body
    # that was already waiting then.
    assert "Summary" in message and "Body" not in message
    again = form_data(refused, "article_form")
    assert again["summary"] == "Why people feel tired."
    assert again["body"] == "Tiredness is common. Rest and light exercise help."
    erin.post(change_url(fatigue), again)
    waiting = PendingRevision.objects.get().content
    assert waiting["summary"] == "Why people feel tired."
    assert waiting["body"] == "Tiredness is common. Rest and light exercise help."


def test_saving_a_file_loaded_body_unchanged_leaves_nothing_waiting(editor):
    # Bodies loaded from files (the demo, an import) end in a newline,
    # which the admin's form does not send back.
    article = make_article(title="Joints", body="Swelling comes and goes.\n")
    client = logged_in(editor)

    response = client.post(change_url(article), admin_form(client, change_url(article)))

    assert response.status_code == 302
    assert not PendingRevision.objects.exists()
