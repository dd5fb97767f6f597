"""A form too large to send, in a real browser: the page says so, and Back
returns to the form with the text still in it."""

from django.test import override_settings

from articles.models import Article
from tests.browser.signing_in import sign_in_through_form

BODY = "FIRST WORDS " + "Interleukin-6 keeps joints inflamed. " * 1_000 + "LAST WORDS"


# A small limit stands in for 10 MB, so the browser need not type that much.
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=20_000)
def test_form_too_large_to_send_says_so_and_back_returns_to_the_text(
    live_server, page, django_user_model
):
    django_user_model.objects.create_superuser("editor", "e@example.org", "pw-12345")
    sign_in_through_form(page, live_server.url, "editor")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.get_by_label("Title").fill("Cytokines in the joints")
    page.get_by_label("Body").fill(BODY)
    page.get_by_role("button", name="Save", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "That form was too large to send"
    )
    assert "nothing was saved" in page.get_by_role("alert").inner_text()
    page.go_back()
    assert page.get_by_label("Body").input_value() == BODY
    assert page.get_by_label("Title").input_value() == "Cytokines in the joints"
    assert Article.objects.exists() is False
