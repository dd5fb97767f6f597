"""
Two editors with the demo article open at once, each in a browser of
their own: the second save is refused with the first editor's change
shown and the second editor's text kept, and saving again keeps both.
"""

from articles.models import Article

PARAGRAPH = "Some cytokines calm inflammation down again."
SUMMARY = "How immune cells talk to each other, in plain words."


def logged_in_page(browser, base_url, django_user_model, username, full_name):
    first_name, last_name = full_name.split()
    django_user_model.objects.create_superuser(
        username,
        f"{username}@example.org",
        "pw-12345",
        first_name=first_name,
        last_name=last_name,
    )
    page = browser.new_context().new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base_url}/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw-12345")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/admin/")
    return page


def save(page):
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()


def test_the_second_of_two_editors_sees_the_first_change_and_keeps_both(
    demo_site, browser, django_user_model
):
    base_url = demo_site.url
    article = Article.objects.get(slug="what-are-cytokines")
    url = f"{base_url}/admin/articles/article/{article.pk}/change/"
    anna = logged_in_page(browser, base_url, django_user_model, "anna", "Anna Berg")
    bo = logged_in_page(browser, base_url, django_user_model, "bo", "Bo Chen")
    try:
        anna.goto(url)
        bo.goto(url)

        body = anna.locator("#id_body")
        body.fill(body.input_value() + "\n\n" + PARAGRAPH)
        save(anna)
        assert "was changed successfully" in anna.locator(".messagelist").inner_text()

        bo.locator("#id_summary").fill(SUMMARY)
        save(bo)
        refusal = bo.locator(".stale-edit")
        assert "Anna Berg saved this article at" in refusal.inner_text()
        assert PARAGRAPH in refusal.locator("ins").inner_text()
        assert bo.locator("#id_summary").input_value() == SUMMARY

        save(bo)
        assert "was changed successfully" in bo.locator(".messagelist").inner_text()
    finally:
        anna.context.close()
        bo.context.close()

    article.refresh_from_db()
    assert article.summary == SUMMARY
    assert article.body.endswith(PARAGRAPH)
