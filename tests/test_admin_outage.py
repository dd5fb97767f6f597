"""
An editor's save that cannot reach the database: 503 saying that nothing
was saved, each typed field shown to copy, and the whole form as posted
(CSRF token, management forms, inline rows) held to send again, all drawn
without the database. A save cut off for real is in
test_database_outage.py.
"""

import pytest
from django.db import OperationalError
from django.urls import reverse

from articles.models import Article, ArticleReference
from tests.admin_pages import admin_form, change_url, image_add_form, set_row
from tests.factories import image_upload, make_article, make_reference
from tests.html import element, elements, form_data, text
from tests.unreachable_database import unreachable_database

pytestmark = pytest.mark.django_db

NOT_SAVED = "The database could not be reached, so nothing was saved."


def shown_fields(page):
    """The typed fields the page shows, as {label: text in its box}."""
    shown = {}
    for box in elements(page, "textarea", readonly=""):
        label = element(page, "label", for_=box.attrs["id"]).text
        # HTML drops one newline straight after the opening tag.
        shown[label] = box.text.removeprefix("\n")
    return shown


def assert_not_saved_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert NOT_SAVED in text(page)
    assert "Traceback" not in page
    assert element(page, "input", type="submit", value="Try saving again")
    return page


def test_a_save_that_loses_the_database_keeps_the_typed_text_to_send_again(
    staff_client, monkeypatch
):
    cited = make_reference(title="Fatigue in arthritis")
    article = make_article(
        title="Fatigue",
        body="Tiredness is common.",
        status=Article.Status.DRAFT,
        references=[cited],
    )
    added = make_reference(title="Sleep and inflammation")
    data = admin_form(staff_client, change_url(article))
    data.update(
        title="Fatigue and sleep",
        body="Tiredness is common.\n\n“Brain fog” too, after a flare.",
        _save="Save",
    )
    set_row(data, "reference_links", 1, reference=str(added.pk), position="2")

    with unreachable_database(is_cut=False) as database:

        def save_cut_off(self, *args, **kwargs):
            # From here on the database answers nothing, the page included.
            database.cut()
            raise OperationalError("server closed the connection unexpectedly")

        monkeypatch.setattr(Article, "save", save_cut_off)
        response = staff_client.post(change_url(article), data)
    monkeypatch.undo()

    page = assert_not_saved_page(response)
    shown = shown_fields(page)
    assert shown["title"] == "Fatigue and sleep"
    assert shown["body"] == data["body"]
    assert shown["reference_links-1-reference"] == str(added.pk)
    assert "csrfmiddlewaretoken" not in shown
    assert "reference_links-TOTAL_FORMS" not in shown
    resent = form_data(page, "resend-form")
    # What the browser sent: a select with nothing chosen sends no value.
    assert resent == {name: value for name, value in data.items() if value != []}
    article.refresh_from_db()
    assert article.title == "Fatigue"
    assert ArticleReference.objects.filter(article=article).count() == 1

    response = staff_client.post(change_url(article), resent)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Fatigue and sleep"
    assert article.ordered_references() == [cited, added]


def test_a_post_whose_session_cannot_be_read_keeps_the_form_but_shows_no_password(
    staff_client,
):
    data = {
        "csrfmiddlewaretoken": "the-token-as-posted",
        "old_password": "old-secret-1",
        "new_password1": "new-secret-2",
        "new_password2": "new-secret-2",
    }
    with unreachable_database():
        response = staff_client.post(reverse("admin:password_change"), data)

    page = assert_not_saved_page(response)
    assert shown_fields(page) == {}
    assert "secret" not in text(page)
    assert form_data(page, "resend-form") == data


def test_a_save_with_a_file_says_the_file_cannot_be_sent_again(staff_client):
    data = image_add_form(staff_client, file=image_upload("il6-chart.png"))
    with unreachable_database():
        response = staff_client.post(reverse("admin:images_image_add"), data)

    page = assert_not_saved_page(response)
    assert "cannot be sent again from this page: il6-chart.png." in text(page)
    assert shown_fields(page)["alt_text"] == data["alt_text"]
    assert "file" not in form_data(page, "resend-form")
