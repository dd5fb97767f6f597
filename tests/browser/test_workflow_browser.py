"""
An editor's change to the live demo article waits for a publisher: readers
keep the published text until the publisher reads the word diff and
approves it.
"""

from django.apps import apps

from portal.roles import sync_roles
from tests.browser.signing_in import sign_in_through_form
from tests.factories import make_user

ARTICLE = "/articles/what-are-cytokines/"
SENTENCE = "Cytokines were first described in the 1950s."


def log_in(browser, base_url, username):
    """A new browser session of `username`, logged in through the form."""
    page = browser.new_context().new_page()
    page.set_default_timeout(10_000)
    sign_in_through_form(page, base_url, username)
    return page


def reader_sees_sentence(page, base_url):
    page.goto(f"{base_url}{ARTICLE}")
    return SENTENCE in page.locator("article .body").inner_text()


def test_editor_change_waits_until_a_publisher_approves_it(demo_site, browser, page):
    sync_roles(apps)
    make_user("eddie", "Editors", first_name="Eddie", last_name="Editor")
    make_user("pat", "Publishers", first_name="Pat", last_name="Publisher")
    base_url = demo_site.url

    editor = log_in(browser, base_url, "eddie")
    editor.goto(f"{base_url}/admin/articles/article/")
    editor.get_by_role("link", name="What are cytokines?").click()
    body = editor.locator("#id_body")
    body.fill(body.input_value().rstrip() + "\n\n" + SENTENCE + "\n")
    editor.get_by_role("button", name="Save", exact=True).click()
    message = editor.locator("ul.messagelist li.success")
    message.wait_for()
    assert "waiting for approval" in message.inner_text()
    assert editor.get_by_role("button", name="Save and publish").count() == 0

    assert reader_sees_sentence(page, base_url) is False

    publisher = log_in(browser, base_url, "pat")
    publisher.goto(f"{base_url}/admin/articles/article/")
    publisher.get_by_role("link", name="What are cytokines?").click()
    notice = publisher.locator("#pending-notice")
    assert notice.inner_text().startswith(
        "Changes waiting for approval, last edited by Eddie Editor at "
    )
    notice.get_by_role("link", name="Review the changes").click()
    added = publisher.locator(".field-changes ins")
    assert SENTENCE in added.first.inner_text()
    publisher.get_by_role("button", name="Approve and publish").click()
    publisher.locator("ul.messagelist li.success").wait_for()

    assert reader_sees_sentence(page, base_url) is True
