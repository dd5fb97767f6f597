import pytest
from django.urls import reverse

from tests.admin_pages import admin_form
from tests.factories import make_article, make_reference, make_term
from tests.html import element, elements, hrefs, ids, links, text

pytestmark = pytest.mark.django_db


def citation_texts(html):
    """What each superscript citation reads, in order."""
    return [sup.text for sup in elements(html, "sup", class_="citation")]


def citation_links(html):
    """(href, text) of every link inside a superscript citation, in order."""
    return [
        pair for sup in elements(html, "sup", class_="citation") for pair in links(sup)
    ]


def body_of(page):
    return element(page, "div", class_="body")


@pytest.fixture
def references():
    return {
        key: make_reference(key=key, title=f"The {key} study")
        for key in ("alpha", "beta", "gamma", "delta")
    }


@pytest.mark.parametrize(
    "typed, shown, spoken",
    [
        ("[@alpha, p. 4]", "1(p4)", "Reference 1, page 4"),
        ("[@alpha, 4]", "1(p4)", "Reference 1, page 4"),
        ("[@alpha, pp. 4-5]", "1(pp4–5)", "Reference 1, pages 4 to 5"),
        ("[@alpha, pp. 4–5]", "1(pp4–5)", "Reference 1, pages 4 to 5"),
        ("[@alpha, p. 4-5, 9]", "1(pp4–5,9)", "Reference 1, pages 4 to 5, 9"),
        ("[@alpha, chap. 3]", "1(chap 3)", "Reference 1, chapter 3"),
        ("[@alpha, fig. 2]", "1(fig 2)", "Reference 1, figure 2"),
        ("[@alpha, Table 1]", "1(table 1)", "Reference 1, table 1"),
        ("[@alpha, § 2.1]", "1(sec 2.1)", "Reference 1, section 2.1"),
        ("[@alpha, vol. 2]", "1(vol 2)", "Reference 1, volume 2"),
    ],
)
def test_citation_locator_is_shown_ama_style(client, references, typed, shown, spoken):
    article = make_article(body=f"A claim.{typed}")
    page = client.get(article.get_absolute_url()).content.decode()
    link = element(body_of(page), "a", href="#ref-alpha")
    assert link.text == shown
    assert link.attrs["aria-label"] == spoken
    assert article.unknown_citations == []
    assert "#cite-alpha-1" in hrefs(element(page, "li", id="ref-alpha"))


@pytest.mark.parametrize(
    "typed", ["[ @alpha ]", "[@alpha ]", "[  @alpha, p. 4 ]", "[@alpha,p.4]"]
)
def test_spaces_inside_a_citation_are_tolerated(references, typed):
    article = make_article(body=f"A claim.{typed}")
    assert [href for href, _ in citation_links(article.body_html)] == ["#ref-alpha"]
    assert article.citations == ["alpha"]
    assert article.unknown_citations == []


@pytest.mark.parametrize(
    "typed",
    ["[@alpha][@beta]", "[@alpha] [@beta]", "[@alpha;@beta]", "[ @alpha ; @beta ]"],
)
def test_adjacent_citations_read_one_comma_two(references, typed):
    article = make_article(body=f"Both agree.{typed}")
    assert citation_texts(article.body_html) == ["1,2"]
    assert citation_links(article.body_html) == [
        ("#ref-alpha", "1"),
        ("#ref-beta", "2"),
    ]


def test_three_consecutive_numbers_read_as_a_range(client, references):
    article = make_article(body="All three.[@alpha; @beta; @gamma]")
    page = client.get(article.get_absolute_url()).content.decode()
    body = body_of(page)
    assert citation_texts(body) == ["1–3"]
    assert citation_links(body) == [("#ref-alpha", "1"), ("#ref-gamma", "3")]
    # Every reference's way back lands on an anchor in the page, the one
    # inside the range included.
    backlinks = [
        href
        for entry in elements(page, "li", class_="reference")
        for href in hrefs(entry)
        if href.startswith("#cite-")
    ]
    assert backlinks == ["#cite-alpha-1", "#cite-beta-1", "#cite-gamma-1"]
    assert {href[1:] for href in backlinks} <= set(ids(page))


def test_range_follows_first_citation_order_and_repeats_reuse_numbers(references):
    article = make_article(
        body="First.[@gamma] Then.[@alpha] "
        "All.[@delta][@beta][@alpha][@gamma] Again.[@gamma]"
    )
    assert citation_texts(article.body_html) == ["1", "2", "1–4", "1"]
    assert [listed.key for listed in article.reference_list()] == [
        "gamma",
        "alpha",
        "delta",
        "beta",
    ]


def test_two_numbers_or_a_gap_are_not_a_range(references):
    article = make_article(
        body="Two.[@alpha; @beta] Later.[@gamma] Gap.[@alpha; @gamma] "
        "Page.[@alpha; @beta, p. 2; @gamma]"
    )
    assert citation_texts(article.body_html) == ["1,2", "3", "1,3", "1,2(p2),3"]


def test_citation_keys_ignore_case_and_use_the_references_own_key(client):
    make_reference(key="mcinnes-2007", title="The pathogenesis of arthritis")
    article = make_article(body="A claim.[@McInnes-2007] Again.[@MCINNES-2007, p. 3]")
    assert article.citations == ["mcinnes-2007", "mcinnes-2007"]
    assert article.unknown_citations == []
    page = client.get(article.get_absolute_url()).content.decode()
    assert citation_links(body_of(page)) == [
        ("#ref-mcinnes-2007", "1"),
        ("#ref-mcinnes-2007", "1(p3)"),
    ]
    entry = element(page, "li", id="ref-mcinnes-2007")
    assert "The pathogenesis of arthritis" in entry.text
    assert hrefs(entry)[-2:] == ["#cite-mcinnes-2007-1", "#cite-mcinnes-2007-2"]


def test_new_reference_resolves_a_citation_typed_in_other_case(
    django_capture_on_commit_callbacks,
):
    article = make_article(body="A claim.[@Smith-2024]")
    assert article.unknown_citations == ["Smith-2024"]
    with django_capture_on_commit_callbacks(execute=True):
        make_reference(key="smith-2024")
    article.refresh_from_db()
    assert article.unknown_citations == []
    assert citation_links(article.body_html) == [("#ref-smith-2024", "1")]


UNREADABLE = [
    "[@]",
    "[@alpha,]",
    "[@alpha; see]",
    "[@alpha.beta]",
    "[@alpha p. 4]",
    "[@alpha, see page four]",
    "[ @ ]",
]


@pytest.mark.parametrize("typed", UNREADABLE)
def test_unreadable_citation_is_reported_not_left_as_text(
    staff_client, references, typed
):
    article = make_article(title="Odd citation", body=f"A claim.{typed} More text.")
    assert article.unknown_citations == [typed]
    problems = staff_client.get(reverse("admin:link-problems")).content.decode()
    assert "Odd citation" in text(problems)
    assert typed in text(problems)
    changelist = staff_client.get(
        reverse("admin:articles_article_changelist"), {"link_problems": "yes"}
    ).content.decode()
    assert typed in text(changelist)
    staff_client.logout()
    page = staff_client.get(article.get_absolute_url()).content.decode()
    shown = text(body_of(page)).strip()
    assert "@" not in shown
    assert shown.startswith("A claim.") and shown.endswith(" More text.")


def test_readable_keys_beside_an_unreadable_one_still_cite(references):
    article = make_article(body="A claim.[@alpha; see]")
    assert article.citations == ["alpha"]
    assert article.unknown_citations == ["[@alpha; see]"]
    assert citation_links(article.body_html) == [("#ref-alpha", "1")]


def test_citation_inside_link_text_is_reported(references):
    article = make_article(body="[A study [@alpha]](https://example.org) says so.")
    assert article.citations == []
    assert article.unknown_citations == ["[@alpha]"]


def test_admin_form_cites_with_locator_and_attaches_the_reference(staff_client, client):
    make_reference(key="mcinnes-2007", title="The pathogenesis of arthritis")
    add_url = reverse("admin:articles_article_add")
    data = admin_form(staff_client, add_url)
    data.update(
        title="Joints and cytokines",
        slug="joints-and-cytokines",
        status="published",
        body="Inflamed joints make TNF.[@McInnes-2007, pp. 2205-6]",
    )
    response = staff_client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()
    page = client.get("/articles/joints-and-cytokines/").content.decode()
    assert citation_links(body_of(page)) == [("#ref-mcinnes-2007", "1(pp2205–6)")]
    entry = element(page, "li", id="ref-mcinnes-2007")
    assert "The pathogenesis of arthritis" in entry.text
    assert "#cite-mcinnes-2007-1" in hrefs(entry)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("[see @alpha]", "words go outside the brackets, as in see [@key]"),
        ("[-@alpha]", "a minus before the @ is not used here: write [@key]"),
        ("[e.g. @alpha, p. 4]", "words go outside the brackets, as in see [@key]"),
    ],
)
def test_citation_with_words_or_a_minus_before_the_key_is_reported_with_reason(
    staff_client, references, typed, reason
):
    article = make_article(title="Odd citation", body=f"A claim.{typed} More text.")
    assert article.unknown_citations == [typed]
    changelist = staff_client.get(
        reverse("admin:articles_article_changelist"), {"link_problems": "yes"}
    ).content.decode()
    (row,) = [row for row in elements(changelist, "tr") if "Odd citation" in text(row)]
    problems = text(element(row, "td", class_="field-link_problems"))
    assert problems == f"{typed} ({reason})"
    staff_client.logout()
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert text(body_of(page)).strip() == "A claim. More text."


@pytest.mark.parametrize(
    "typed", ["[follow @alpha on social media]", "[mail editor@example.org]"]
)
def test_other_bracketed_text_with_an_at_sign_stays_text(references, typed):
    article = make_article(body=f"A note {typed}.")
    assert article.unknown_citations == []
    assert text(article.body_html).strip() == f"A note {typed}."


@pytest.mark.parametrize(
    "typed", ["\\[@alpha]", "[\\@alpha]", "\\[@alpha, p. 4; @beta]"]
)
def test_escaped_citation_stays_literal_text_and_is_not_reported(
    client, references, typed
):
    article = make_article(body=f"Type {typed} to cite.")
    assert article.citations == []
    assert article.unknown_citations == []
    page = client.get(article.get_absolute_url()).content.decode()
    assert elements(body_of(page), "sup") == []
    literal = typed.replace("\\", "")
    assert text(body_of(page)).strip() == f"Type {literal} to cite."


def test_save_warning_names_a_repeated_problem_once(staff_client):
    term = make_term(name="Etanercept")
    url = reverse("admin:glossary_term_change", args=[term.pk])
    data = admin_form(staff_client, url)
    data["body"] = "One.[@nobody-2020] Two.[@nobody-2020] Three.[[Golimumab]]"
    response = staff_client.post(url, data, follow=True)
    assert response.redirect_chain, response.content.decode()[:3000]
    page = response.content.decode()
    (warning,) = [item.text for item in elements(page, "li", class_="warning")]
    assert "[[Golimumab]], [@nobody-2020]. Fix" in warning
