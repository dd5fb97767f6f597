"""
The XSS corpus (tests/corpus/xss_vectors.txt) typed into the admin's forms
and saved through the ORM, then every public page that shows it loaded in
Chromium: no script runs, nothing from content reaches the DOM as markup
that could run one, and template syntax is shown as typed.
"""

from tests.browser.page_scan import crawl
from tests.factories import sign_in
from tests.stored_content import (
    downloaded_files,
    pages_showing_template_syntax,
    public_pages,
    save_through_orm,
    type_in_admin,
)


def assert_harmless_everywhere(browser, live_server):
    seen = crawl(browser, live_server.url, public_pages(), downloaded_files())
    assert seen.calls == []
    assert seen.problems == []
    for vector, paths in pages_showing_template_syntax().items():
        assert paths, vector
        for path in paths:
            assert vector in seen.texts[path], (vector, path)


def test_corpus_typed_into_admin_forms_runs_on_no_page(
    browser, live_server, client, django_user_model
):
    editor = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    sign_in(client, editor)
    type_in_admin(client)
    client.logout()
    assert_harmless_everywhere(browser, live_server)


def test_corpus_saved_through_orm_runs_on_no_page(browser, live_server):
    save_through_orm()
    assert_harmless_everywhere(browser, live_server)
