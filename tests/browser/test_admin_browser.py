from tests.browser.signing_in import sign_in_through_form
from tests.factories import make_article


def test_editor_finds_link_problems_from_the_admin_index(
    demo_site, page, django_user_model
):
    django_user_model.objects.create_superuser("editor", "e@example.org", "pw-12345")
    make_article(title="Needs a fix", body="Ask about [[Golimumab]].")
    sign_in_through_form(page, demo_site.url, "editor")
    page.get_by_role("link", name="Link problems").click()
    page.wait_for_url("**/admin/link-problems/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Unresolved links and citations"
    )
    row = page.get_by_role("row", name="Needs a fix")
    assert "Golimumab" in row.inner_text()
    row.get_by_role("link", name="Needs a fix").click()
    page.wait_for_url("**/admin/articles/article/*/change/")
    assert "[[Golimumab]]" in page.get_by_label("Body").input_value()
