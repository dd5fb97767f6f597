"""
In Chromium: Preview of an article never saved opens the page in a new tab
and saves nothing; a reference is filled from a pasted BibTeX entry, and
Enter in a field still saves.
"""

from django.contrib.admin.models import LogEntry

from articles.models import Article
from references.models import Reference
from tests.browser.test_editor_journey_browser import field, log_in
from tests.test_reference_entries import MCINNES_BIBTEX


def test_preview_of_a_new_article_opens_unsaved_in_a_new_tab(
    demo_site, page, django_user_model
):
    base_url = demo_site.url
    log_in(page, base_url, django_user_model)
    articles_before = Article.objects.count()
    page.goto(f"{base_url}/admin/articles/article/add/")
    field(page, "Title").fill("Blocking TNF")
    field(page, "Body").fill("Adalimumab blocks TNF-alpha [@mcinnes-2007].")

    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Preview").click()
    preview = opened.value
    preview.wait_for_load_state()

    banner = preview.locator(".unsaved-preview")
    assert banner.get_attribute("role") == "status"
    assert banner.inner_text().startswith("Preview — not saved.")
    assert preview.get_by_role("heading", level=1).inner_text() == "Blocking TNF"
    term_links = preview.locator("a.term-link")
    assert term_links.count() == 2
    assert term_links.first.get_attribute("href") == "/glossary/adalimumab/"
    assert preview.locator("#ref-mcinnes-2007").count() == 1
    # The form stays as typed in its own tab, and nothing was saved.
    assert field(page, "Title").input_value() == "Blocking TNF"
    assert Article.objects.count() == articles_before
    assert not LogEntry.objects.exists()


def test_reference_filled_from_bibtex_then_saved_with_enter(
    live_server, page, django_user_model
):
    base_url = live_server.url
    log_in(page, base_url, django_user_model)
    page.goto(f"{base_url}/admin/references/reference/add/")
    field(page, "Paste a BibTeX or RIS entry").fill(MCINNES_BIBTEX)
    page.get_by_role("button", name="Fill from entry").click()
    page.locator("ul.messagelist li.info").first.wait_for()

    assert field(page, "Key").input_value() == "mcinnes-2007"
    assert field(page, "Authors").input_value() == "McInnes IB, Schett G"
    assert field(page, "Pages").input_value() == "429-442"
    assert not Reference.objects.exists()

    # Enter saves, as on every admin form, not fills again.
    field(page, "Title").press("Enter")
    page.locator("ul.messagelist li.success").wait_for()
    reference = Reference.objects.get()
    assert (reference.key, reference.volume, reference.month) == (
        "mcinnes-2007",
        "7",
        6,
    )
