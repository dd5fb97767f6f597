"""
The publishing workflow as editors, publishers, medical reviewers and
readers meet it: edits of a published article wait for approval, the
review page shows them as word diffs, archived articles are gone for
readers, and medical reviews are recorded, never typed.
"""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, PendingRevision, Reviewer, months_before
from tests.admin_pages import (
    SAVE_AND_PUBLISH,
    admin_form,
    article_add_form,
    change_url,
    set_row,
)
from tests.factories import logged_in, make_article, make_reference
from tests.html import element, elements, form_data, links, text

pytestmark = pytest.mark.django_db


def review_url(article):
    return reverse("admin:articles_article_review", args=[article.pk])


def step_url(article, step):
    return reverse(f"admin:articles_article_{step}", args=[article.pk])


def edit(client, article, **fields):
    """Post `article`'s whole change form with `fields` changed."""
    data = admin_form(client, change_url(article))
    data.update(fields)
    return client.post(change_url(article), data)


def reader_body(article):
    """The article's body as an anonymous reader sees it."""
    html = logged_in_as_nobody().get(article.get_absolute_url()).content.decode()
    return text(element(html, "div", class_="body"))


def logged_in_as_nobody():
    return Client()


def messages_of(response):
    return [text(item).strip() for item in elements(response.content.decode(), "li")]


def review_form_data(client, article, form_id):
    html = client.get(review_url(article)).content.decode()
    return form_data(html, form_id)


@pytest.fixture
def fatigue():
    return make_article(
        title="Fatigue",
        slug="fatigue",
        body="Tiredness is common.",
        tags=["symptoms"],
    )


# Pending revisions


def test_editor_edit_of_published_article_waits_and_readers_see_live_version(
    editor, fatigue
):
    client = logged_in(editor)
    response = edit(client, fatigue, body="Tiredness is common. It often eases.")

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert (
        "Your changes to “Fatigue” are waiting for approval. Readers see the "
        "published version until a publisher approves them."
    ) in text(page)
    assert reader_body(fatigue).strip() == "Tiredness is common."
    revision = PendingRevision.objects.get(article=fatigue)
    assert revision.edited_by == editor
    assert revision.content["body"] == "Tiredness is common. It often eases."


def test_change_form_shows_pending_content_and_notice(editor, publisher, fatigue):
    edit(
        logged_in(editor),
        fatigue,
        body="Tiredness is common. It often eases.",
        tags="symptoms, daily life",
    )
    html = logged_in(publisher).get(change_url(fatigue)).content.decode()

    form = form_data(html, "article_form")
    assert form["body"] == "Tiredness is common. It often eases."
    assert form["tags"] == '"daily life", symptoms'
    notice = element(html, "li", id="pending-notice")
    edited_at = timezone.localtime(PendingRevision.objects.get().edited_at)
    assert text(notice).startswith(
        "Changes waiting for approval, last edited by Eddie Editor at "
        f"{edited_at:%-d %B %Y, %H:%M}. Readers see the published version."
    )
    assert (review_url(fatigue), "Review the changes") in links(notice)


def test_later_edits_by_anyone_update_the_one_pending_revision(
    editor, second_editor, fatigue
):
    edit(logged_in(editor), fatigue, body="Tiredness is common. It often eases.")
    # The second editor works on from the pending text the form shows.
    response = edit(logged_in(second_editor), fatigue, title="Fatigue and tiredness")

    assert response.status_code == 302
    revision = PendingRevision.objects.get()
    assert revision.edited_by == second_editor
    assert revision.save_count == 2
    assert revision.content["title"] == "Fatigue and tiredness"
    assert revision.content["body"] == "Tiredness is common. It often eases."
    fatigue.refresh_from_db()
    assert (fatigue.title, fatigue.body) == ("Fatigue", "Tiredness is common.")


def test_edit_back_to_the_live_content_leaves_nothing_waiting(editor, fatigue):
    client = logged_in(editor)
    edit(client, fatigue, body="Tiredness is common. It often eases.")
    edit(client, fatigue, body="Tiredness is common.")

    assert not PendingRevision.objects.exists()


def test_review_page_shows_word_diff_of_each_changed_field(editor, publisher, fatigue):
    edit(logged_in(editor), fatigue, body="Tiredness is common. It often eases.")
    html = logged_in(publisher).get(review_url(fatigue)).content.decode()

    changes = element(html, "dl", class_="field-changes")
    assert [text(label) for label in elements(changes, "dt")] == ["Body"]
    assert [text(added) for added in elements(changes, "ins")] == [" It often eases."]
    assert element(html, "form", id="approve-form")
    assert element(html, "form", id="discard-form")


def test_approving_publishes_the_changes_and_records_the_publisher(
    editor, publisher, fatigue
):
    edit(logged_in(editor), fatigue, body="Tiredness is common. It often eases.")
    client = logged_in(publisher)
    data = review_form_data(client, fatigue, "approve-form")
    response = client.post(step_url(fatigue, "approve"), data, follow=True)

    assert "Published the changes to “Fatigue”: readers see them now." in (
        messages_of(response)
    )
    assert reader_body(fatigue).strip() == "Tiredness is common. It often eases."
    assert not PendingRevision.objects.exists()
    fatigue.refresh_from_db()
    assert fatigue.approved_by == publisher
    assert LogEntry.objects.filter(object_id=str(fatigue.pk), user=publisher).exists()


def test_discarding_drops_the_changes(editor, publisher, fatigue):
    edit(logged_in(editor), fatigue, body="Tiredness is common. It often eases.")
    client = logged_in(publisher)
    data = review_form_data(client, fatigue, "discard-form")
    client.post(step_url(fatigue, "discard"), data)

    assert not PendingRevision.objects.exists()
    assert reader_body(fatigue).strip() == "Tiredness is common."
    form = admin_form(client, change_url(fatigue))
    assert form["body"] == "Tiredness is common."


def test_approving_changes_edited_since_the_page_was_read_is_refused(
    editor, publisher, fatigue
):
    edit(logged_in(editor), fatigue, body="Tiredness is common. It often eases.")
    client = logged_in(publisher)
    data = review_form_data(client, fatigue, "approve-form")
    edit(logged_in(editor), fatigue, body="Tiredness is never a worry.")
    response = client.post(step_url(fatigue, "approve"), data, follow=True)

    assert (
        "The changes were edited again since this page was opened; read them "
        "again below before deciding."
    ) in messages_of(response)
    assert reader_body(fatigue).strip() == "Tiredness is common."
    assert PendingRevision.objects.get().content["body"] == (
        "Tiredness is never a worry."
    )


def test_approving_twice_says_nothing_waits(editor, publisher, fatigue):
    edit(logged_in(editor), fatigue, body="Tiredness is common. It often eases.")
    client = logged_in(publisher)
    data = review_form_data(client, fatigue, "approve-form")
    client.post(step_url(fatigue, "approve"), data)
    response = client.post(step_url(fatigue, "approve"), data, follow=True)

    assert any(
        message.startswith("No changes are waiting")
        for message in messages_of(response)
    )


def test_approving_a_new_slug_redirects_the_old_address(editor, publisher, fatigue):
    edit(logged_in(editor), fatigue, slug="tiredness")
    assert logged_in_as_nobody().get("/articles/fatigue/").status_code == 200
    client = logged_in(publisher)
    client.post(
        step_url(fatigue, "approve"), review_form_data(client, fatigue, "approve-form")
    )

    response = logged_in_as_nobody().get("/articles/fatigue/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/tiredness/"


def test_approving_a_slug_another_article_took_meanwhile_is_refused(
    editor, publisher, fatigue
):
    edit(logged_in(editor), fatigue, slug="tiredness")
    make_article(title="Tiredness", slug="tiredness")
    client = logged_in(publisher)
    data = review_form_data(client, fatigue, "approve-form")
    response = client.post(step_url(fatigue, "approve"), data, follow=True)

    assert any(
        "another article, “Tiredness”, now uses the address tiredness" in message
        for message in messages_of(response)
    )
    fatigue.refresh_from_db()
    assert fatigue.slug == "fatigue"
    assert PendingRevision.objects.exists()


def test_pending_reference_rows_wait_and_survive_later_edits(
    editor, second_editor, publisher
):
    kept, dropped, added = (
        make_reference(title="Kept study"),
        make_reference(title="Dropped study"),
        make_reference(title="Added study"),
    )
    article = make_article(title="Anaemia", references=[kept, dropped])
    data = admin_form(logged_in(editor), change_url(article))
    data["reference_links-1-DELETE"] = "on"
    set_row(data, "reference_links", 2, reference=str(added.pk), position="5")
    assert logged_in(editor).post(change_url(article), data).status_code == 302
    assert article.ordered_references() == [kept, dropped]

    # A second editor changes only the title; the added row, shown as the
    # pending revision has it, is posted back untouched and must stay.
    second = logged_in(second_editor)
    form = admin_form(second, change_url(article))
    assert form["reference_links-TOTAL_FORMS"] == "3"
    assert form["reference_links-1-reference"] == str(added.pk)
    form["title"] = "Anaemia explained"
    assert second.post(change_url(article), form).status_code == 302
    assert PendingRevision.objects.get().content["references"] == [
        [kept.pk, 1],
        [added.pk, 5],
    ]

    client = logged_in(publisher)
    client.post(
        step_url(article, "approve"), review_form_data(client, article, "approve-form")
    )
    article.refresh_from_db()
    assert article.title == "Anaemia explained"
    assert article.ordered_references() == [kept, added]


def test_pending_added_reference_is_dropped_by_clearing_it(editor, fatigue):
    reference = make_reference(title="Added study")
    client = logged_in(editor)
    data = admin_form(client, change_url(fatigue))
    set_row(data, "reference_links", 0, reference=str(reference.pk), position="1")
    client.post(change_url(fatigue), data)
    form = admin_form(client, change_url(fatigue))
    form["reference_links-0-reference"] = ""
    response = client.post(change_url(fatigue), form)

    assert response.status_code == 302
    assert not PendingRevision.objects.exists()


def test_publisher_save_and_publish_applies_pending_and_own_edit_at_once(
    editor, publisher, fatigue
):
    edit(logged_in(editor), fatigue, body="Tiredness is common. It often eases.")
    response = edit(
        logged_in(publisher), fatigue, title="Fatigue explained", **SAVE_AND_PUBLISH
    )

    assert response.status_code == 302
    fatigue.refresh_from_db()
    assert fatigue.title == "Fatigue explained"
    assert fatigue.body == "Tiredness is common. It often eases."
    assert fatigue.approved_by == publisher
    assert not PendingRevision.objects.exists()


def test_refused_held_edit_comes_back_with_the_typed_text(editor, fatigue):
    other = make_article(title="Sleep", slug="sleep")
    client = logged_in(editor)
    typed = "Tiredness is common. It “often” eases."
    response = edit(client, fatigue, body=typed, slug=other.slug)

    assert response.status_code == 200
    assert form_data(response.content.decode(), "article_form")["body"] == typed
    assert not PendingRevision.objects.exists()


def test_changelist_shows_and_filters_changes_waiting(editor, publisher, fatigue):
    make_article(title="Sleep")
    edit(logged_in(editor), fatigue, body="Tiredness is common. It often eases.")
    client = logged_in(publisher)
    url = reverse("admin:articles_article_changelist")

    html = client.get(url, {"changes_waiting": "yes"}).content.decode()
    rows = elements(element(html, "table", id="result_list"), "tr")[1:]
    assert [text(element(row, "th")).strip() for row in rows] == ["Fatigue"]
    status = element(rows[0], "td", class_="field-publication_state")
    assert text(status) == "Published, changes waiting"


def test_staff_see_a_link_to_waiting_changes_on_the_live_page(
    editor, publisher, fatigue
):
    edit(logged_in(editor), fatigue, body="Tiredness is common. It often eases.")
    staff_page = logged_in(publisher).get("/articles/fatigue/").content.decode()
    reader_page = logged_in_as_nobody().get("/articles/fatigue/").content.decode()

    assert (review_url(fatigue), "Review the changes") in links(staff_page)
    assert "waiting for approval" not in reader_page


def test_edit_of_a_draft_is_saved_at_once(editor):
    draft = make_article(title="Notes", status=Article.Status.DRAFT)
    edit(logged_in(editor), draft, body="Work in progress.", status="in_review")

    draft.refresh_from_db()
    assert (draft.body, draft.status) == ("Work in progress.", "in_review")
    assert not PendingRevision.objects.exists()


# Archived articles


@pytest.fixture
def archived():
    return make_article(
        title="Old advice",
        slug="old-advice",
        status=Article.Status.ARCHIVED,
        tags=["symptoms"],
        body="Rest all day.",
    )


def test_archived_article_is_gone_for_readers_with_a_short_page(client, archived):
    response = client.get("/articles/old-advice/")

    assert response.status_code == 410
    html = response.content.decode()
    assert text(element(html, "h1")) == "Old advice"
    assert "This article has been archived" in text(html)
    assert ("/", "Go to the front page") in links(html)
    assert "Rest all day." not in html


def test_archived_article_is_shown_to_staff_with_a_banner(staff_client, archived):
    response = staff_client.get("/articles/old-advice/")

    assert response.status_code == 200
    banner = element(response.content.decode(), "p", class_="preview-banner")
    assert text(banner).startswith("Archived:")


def test_archived_article_leaves_lists_search_feed_sitemap_and_tags(client, archived):
    make_article(title="Current advice", body="Rest all day.", tags=["symptoms"])
    pages = {
        "list": client.get("/articles/"),
        "search": client.get("/search/", {"q": "rest all day"}),
        "feed": client.get("/articles/feed/"),
        "sitemap": client.get("/sitemap.xml"),
        "tag": client.get("/tags/symptoms/"),
    }
    for name, response in pages.items():
        content = response.content.decode()
        assert "Current advice" in content or "/articles/" in content, name
        assert "Old advice" not in content, name
        assert "old-advice" not in content, name


def test_archived_article_old_address_is_gone_too(client, publisher, archived):
    archived.status = Article.Status.DRAFT
    archived.save()
    edit(logged_in(publisher), archived, slug="older-advice", status="archived")

    assert client.get("/articles/old-advice/").status_code == 410


def test_publisher_archives_a_published_article_at_once(publisher, fatigue):
    response = edit(logged_in(publisher), fatigue, status="archived")

    assert response.status_code == 302
    assert logged_in_as_nobody().get("/articles/fatigue/").status_code == 410


# Medical review


def test_approval_by_a_medical_reviewer_who_ticks_the_box_records_the_review(
    editor, reviewing_publisher, fatigue
):
    edit(logged_in(editor), fatigue, body="Tiredness is common. It often eases.")
    client = logged_in(reviewing_publisher)
    data = review_form_data(client, fatigue, "approve-form")
    data["medically_reviewed"] = "on"
    client.post(step_url(fatigue, "approve"), data)

    fatigue.refresh_from_db()
    assert fatigue.last_reviewed_on == timezone.localdate()
    assert fatigue.medical_reviewer == Reviewer.objects.get(user=reviewing_publisher)
    reviewer = fatigue.medical_reviewer
    reviewer.credentials = "MD"
    reviewer.save()
    html = logged_in_as_nobody().get("/articles/fatigue/").content.decode()
    assert text(element(html, "p", class_="medical-review")) == (
        f"Medically reviewed by Dr Rosa Lind, MD on {timezone.localdate():%-d %B %Y}"
    )


def test_approval_without_the_tick_leaves_the_review_as_it_was(
    editor, reviewing_publisher, fatigue
):
    edit(logged_in(editor), fatigue, body="Tiredness is common. It often eases.")
    client = logged_in(reviewing_publisher)
    client.post(
        step_url(fatigue, "approve"), review_form_data(client, fatigue, "approve-form")
    )

    fatigue.refresh_from_db()
    assert (fatigue.last_reviewed_on, fatigue.medical_reviewer) == (None, None)


def test_save_and_publish_with_the_tick_records_the_review(
    reviewing_publisher, fatigue
):
    response = edit(
        logged_in(reviewing_publisher),
        fatigue,
        medically_reviewed="on",
        **SAVE_AND_PUBLISH,
    )

    assert response.status_code == 302
    fatigue.refresh_from_db()
    assert fatigue.last_reviewed_on == timezone.localdate()


def test_tick_on_a_save_that_does_not_publish_is_refused_with_message(
    reviewing_publisher, fatigue
):
    response = edit(
        logged_in(reviewing_publisher),
        fatigue,
        body="Tiredness is common. It often eases.",
        medically_reviewed="on",
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "A medical review is recorded as the article is published" in text(html)
    assert form_data(html, "article_form")["body"] == (
        "Tiredness is common. It often eases."
    )
    assert not PendingRevision.objects.exists()


def test_medical_reviewer_records_a_review_of_the_live_article(
    medical_reviewer, fatigue
):
    client = logged_in(medical_reviewer)
    html = client.get(review_url(fatigue)).content.decode()
    response = client.post(
        step_url(fatigue, "record_review"),
        form_data(html, "record-review-form"),
        follow=True,
    )

    fatigue.refresh_from_db()
    assert fatigue.last_reviewed_on == timezone.localdate()
    assert str(fatigue.medical_reviewer) == "Dr Jane Roe"
    assert text(element(response.content.decode(), "p", id="medical-review-state")) == (
        f"Last medically reviewed on {timezone.localdate():%-d %B %Y} by Dr Jane Roe."
    )


def test_recording_a_review_while_changes_wait_is_refused(
    editor, medical_reviewer, fatigue
):
    edit(logged_in(editor), fatigue, body="Tiredness is common. It often eases.")
    client = logged_in(medical_reviewer)
    assert not elements(
        client.get(review_url(fatigue)).content.decode(),
        "form",
        id="record-review-form",
    )
    response = client.post(step_url(fatigue, "record_review"), follow=True)

    assert any(
        message.startswith("Changes are waiting for approval")
        for message in messages_of(response)
    )
    fatigue.refresh_from_db()
    assert fatigue.last_reviewed_on is None


def test_review_fields_are_not_editable_in_the_form(publisher, fatigue):
    client = logged_in(publisher)
    form = admin_form(client, change_url(fatigue))
    assert "last_reviewed_on" not in form
    assert "medical_reviewer" not in form

    reviewer = Reviewer.objects.create(name="Dr Who")
    form.update(
        last_reviewed_on="2020-01-01",
        medical_reviewer=str(reviewer.pk),
        **SAVE_AND_PUBLISH,
    )
    client.post(change_url(fatigue), form)
    fatigue.refresh_from_db()
    assert (fatigue.last_reviewed_on, fatigue.medical_reviewer) == (None, None)


# Review due


def review_due_titles(client):
    html = client.get(reverse("admin:articles_article_review_due")).content.decode()
    rows = elements(element(html, "table", id="review-due"), "tr")[1:]
    return [text(element(row, "th")).strip() for row in rows]


@pytest.fixture
def reviewed_articles():
    today = timezone.localdate()
    reviewer = Reviewer.objects.create(name="Dr Jane Roe", credentials="MD")
    for title, months in [("Recent", 1), ("Older", 25), ("Oldest", 30)]:
        make_article(
            title=title,
            last_reviewed_on=months_before(today, months),
            medical_reviewer=reviewer,
        )
    make_article(title="Never reviewed")
    make_article(title="Draft never reviewed", status=Article.Status.DRAFT)


def test_review_due_lists_never_reviewed_first_then_oldest(
    medical_reviewer, reviewed_articles
):
    client = logged_in(medical_reviewer)
    assert review_due_titles(client) == ["Never reviewed", "Oldest", "Older"]
    html = client.get(reverse("admin:articles_article_review_due")).content.decode()
    assert "Dr Jane Roe, MD" in text(element(html, "table", id="review-due"))


@override_settings(PORTAL_REVIEW_INTERVAL_MONTHS=36)
def test_review_due_follows_the_interval_setting(medical_reviewer, reviewed_articles):
    assert review_due_titles(logged_in(medical_reviewer)) == ["Never reviewed"]


def test_review_due_is_linked_from_admin_index_and_article_list(
    publisher, reviewed_articles
):
    client = logged_in(publisher)
    url = reverse("admin:articles_article_review_due")
    index = client.get(reverse("admin:index")).content.decode()
    checks = element(index, "div", id="content-checks")
    assert (url, "Medical review due") in links(checks)
    assert "3 published articles due a medical review" in text(checks)
    changelist = client.get(reverse("admin:articles_article_changelist"))
    assert (url, "Medical review due") in links(changelist.content.decode())


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (datetime.date(2026, 3, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 2, 29), 24, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 1, 15), 24, datetime.date(2024, 1, 15)),
        (datetime.date(2026, 1, 15), 1, datetime.date(2025, 12, 15)),
    ],
)
def test_months_before_keeps_the_day_or_takes_the_last_of_the_month(
    day, months, expected
):
    assert months_before(day, months) == expected


def test_line_endings_a_browser_sends_are_no_change(editor, publisher):
    article = make_article(body="First line.\nSecond line.")
    client = logged_in(editor)
    edit(client, article, body="First line.\r\nSecond line.")
    assert not PendingRevision.objects.exists()

    edit(client, article, body="First line.\r\nSecond line.\r\nThird line.")
    html = logged_in(publisher).get(review_url(article)).content.decode()
    changes = element(html, "dl", class_="field-changes")
    assert [text(added) for added in elements(changes, "ins")] == ["\nThird line."]
    assert not elements(changes, "del")


def test_publisher_adds_and_publishes_in_one_step(publisher):
    client = logged_in(publisher)
    data = article_add_form(client, status="draft", **SAVE_AND_PUBLISH)
    response = client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 302
    article = Article.objects.get(title="Cytokines in the joints")
    assert (article.status, article.approved_by) == ("published", publisher)
    assert logged_in_as_nobody().get(article.get_absolute_url()).status_code == 200
