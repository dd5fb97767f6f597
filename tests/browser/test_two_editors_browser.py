"""
Two editors with the published demo article open at once, each in a
browser of their own: the first one's edit waits for approval, the
second save is refused with the first editor's change shown and the
second editor's text kept, and saving again keeps both in the changes
waiting.
"""

from articles.models import Article, PendingRevision
from tests.browser.signing_in import sign_in_through_form
from tests.factories import make_user

PARAGRAPH = "Some cytokines calm inflammation down again."
SUMMARY = "How immune cells talk to each other, in plain words."


def logged_in_page(browser, base_url, username, full_name):
    first_name, last_name = full_name.split()
    make_user(username, "Editors", first_name=first_name, last_name=last_name)
    page = browser.new_context().new_page()
    page.set_default_timeout(10_000)
    sign_in_through_form(page, base_url, username)
    return page


def save(page):
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()


def test_the_second_of_two_editors_sees_the_first_change_and_keeps_both(
    demo_site, browser, roles
):
    base_url = demo_site.url
    article = Article.objects.get(slug="what-are-cytokines")
    url = f"{base_url}/admin/articles/article/{article.pk}/change/"
    anna = logged_in_page(browser, base_url, "anna", "Anna Berg")
    bo = logged_in_page(browser, base_url, "bo", "Bo Chen")
    try:
        anna.goto(url)
        bo.goto(url)

        body = anna.locator("#id_body")
        body.fill(body.input_value() + "\n\n" + PARAGRAPH)
        save(anna)
        assert "waiting for approval" in anna.locator(".messagelist").inner_text()

        bo.locator("#id_summary").fill(SUMMARY)
        save(bo)
        refusal = bo.locator(".stale-edit")
        assert "Anna Berg changed the edits waiting for approval" in (
            refusal.inner_text()
        )
        assert PARAGRAPH in refusal.locator("ins").inner_text()
        assert bo.locator("#id_summary").input_value() == SUMMARY

        save(bo)
        assert "waiting for approval" in bo.locator(".messagelist").inner_text()
    finally:
        anna.context.close()
        bo.context.close()

    waiting = PendingRevision.objects.get(article=article).content
    assert waiting["summary"] == SUMMARY
    assert waiting["body"].endswith(PARAGRAPH)
    # Readers still see the published article until a publisher approves.
    article.refresh_from_db()
    assert PARAGRAPH not in article.body
