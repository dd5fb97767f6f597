"""
An editor's first afternoon, from an empty site: the references of the
cytokines article typed in as its sources give them, the article itself
citing them and listing them in its inline, a second article, and the
public page that results.
"""

import re

from articles.models import Article, ArticleReference
from references.models import Reference
from tests.browser.signing_in import sign_in_through_form

ARTICLE_BODY = """\
Cytokines are small proteins that cells give off to pass messages to one
another, most of all between the cells of the immune system [@biobasics-2006].

## The main families

Some cytokines tell the bone marrow to make more blood cells; others steer
how cells grow and what they turn into [@primer-12-cytokines].

## When the messages do harm

In rheumatoid arthritis a few of these messengers are made in excess inside
the joint, and they keep the swelling going long after it should have
stopped [@mcinnes-2007]. Medicines that block them can calm the joint down
[@mcinnes-2007; @primer-12-cytokines].
"""

SECOND_BODY = """\
Morning stiffness that lasts for hours is one of the first signs of
rheumatoid arthritis [@mcinnes-2007].
"""


def field(page, label):
    """The form field labelled `label` (admin labels end in a colon)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$", re.IGNORECASE))


def log_in(page, base_url, django_user_model):
    django_user_model.objects.create_superuser("editor", "e@example.org", "pw-12345")
    sign_in_through_form(page, base_url, "editor")


def save_and_expect_success(page, what):
    page.get_by_role("button", name="Save", exact=True).click()
    success = page.locator("ul.messagelist li.success")
    success.wait_for()
    assert "was added successfully" in success.inner_text(), what
    assert page.locator(".errornote").count() == 0, what


def add_reference(page, base_url, fields, selects=(), book_details=None):
    page.goto(f"{base_url}/admin/references/reference/add/")
    for label, value in selects:
        field(page, label).select_option(label=value)
    for label, value in fields:
        field(page, label).fill(value)
    if book_details:
        page.get_by_text("Book details").click()
        for label, value in book_details:
            field(page, label).fill(value)
    save_and_expect_success(page, fields[0][1])


def pick_reference(page, row, search):
    """Choose a reference in inline row `row` through its autocomplete box."""
    page.locator(f"#reference_links-{row} .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    option = page.locator(".select2-results__option", has_text=search).first
    option.wait_for()
    option.click()


def test_editor_types_the_seed_article_and_readers_see_it_cited(
    live_server, page, django_user_model
):
    base_url = live_server.url
    assert not Reference.objects.exists() and not Article.objects.exists()
    log_in(page, base_url, django_user_model)

    add_reference(
        page,
        base_url,
        [
            ("Key", "mcinnes-2007"),
            ("Authors", "McInnes IB, Schett G"),
            ("Title", "Cytokines in the pathogenesis of rheumatoid arthritis"),
            ("Container", "Nat Rev Immunol"),
            ("Year", "2007"),
            ("Volume", "7"),
            ("Issue", "6"),
            ("Pages", "429-442"),
            ("DOI", "10.1038/nri2094"),
            ("PMID", "PMID: 17525752"),
        ],
        selects=[("Kind", "Journal article"), ("Month", "Jun")],
    )
    add_reference(
        page,
        base_url,
        [
            ("Key", "biobasics-2006"),
            ("Title", "Cytokines"),
            ("Container", "BioBasics"),
            ("Year", "2006"),
            ("Day", "24"),
        ],
        selects=[("Kind", "Web page"), ("Month", "Apr")],
    )
    add_reference(
        page,
        base_url,
        [
            ("Key", "primer-12-cytokines"),
            ("Title", "Growth factors and cytokines"),
            ("Container", "Primer on the Rheumatic Diseases"),
            ("Year", "2001"),
        ],
        selects=[("Kind", "Book chapter")],
        book_details=[
            ("Editors", "Klippel JH, Crofford LJ, Stone JH, Weyand CM"),
            ("Publisher", "Arthritis Foundation"),
            ("Edition", "12"),
        ],
    )

    page.goto(f"{base_url}/admin/articles/article/add/")
    field(page, "Title").fill("What are cytokines?")
    field(page, "Summary").fill("The messages immune cells send each other.")
    field(page, "Body").fill(ARTICLE_BODY)
    field(page, "Status").select_option(label="Published")
    for row, key in enumerate(
        ["mcinnes-2007", "biobasics-2006", "primer-12-cytokines"]
    ):
        if row:
            page.get_by_role("button", name="Add another Article reference").click()
        pick_reference(page, row, key.split("-")[0].capitalize())
    save_and_expect_success(page, "first article")

    page.goto(f"{base_url}/admin/articles/article/add/")
    field(page, "Title").fill("Living with stiff joints")
    field(page, "Body").fill(SECOND_BODY)
    field(page, "Status").select_option(label="Published")
    pick_reference(page, 0, "McInnes")
    save_and_expect_success(page, "second article")

    assert Reference.objects.get(key="mcinnes-2007").pmid == "17525752"
    assert ArticleReference.objects.count() == 4

    page.goto(f"{base_url}/articles/what-are-cytokines/")
    assert page.get_by_role("heading", level=1).inner_text() == "What are cytokines?"
    citations = page.locator(".body sup.citation a")
    # A group's numbers read in ascending order: [@mcinnes-2007;
    # @primer-12-cytokines] is "2,3".
    assert citations.all_inner_texts() == ["1", "2", "3", "2", "3"]
    entries = page.locator("section.references ol > li")
    assert [entries.nth(n).get_attribute("id") for n in range(entries.count())] == [
        "ref-biobasics-2006",
        "ref-primer-12-cytokines",
        "ref-mcinnes-2007",
    ]
    assert (
        page.locator("#ref-biobasics-2006")
        .inner_text()
        .startswith("Cytokines. BioBasics. Published 2006 Apr 24.")
    )
    mcinnes = page.locator("#ref-mcinnes-2007")
    assert mcinnes.get_by_role("link", name="17525752").get_attribute("href") == (
        "https://pubmed.ncbi.nlm.nih.gov/17525752/"
    )
    citations.first.click()
    page.wait_for_url(re.compile(r"#ref-biobasics-2006$"))

    page.goto(f"{base_url}/articles/living-with-stiff-joints/")
    assert page.locator(".body sup.citation a").all_inner_texts() == ["1"]
    assert page.locator("section.references ol > li").count() == 1
