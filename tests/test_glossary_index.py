"""
The A–Z index: one letter a page, 100 terms at a time, all kinds or one,
with the letter bar and the kind filter counting what each link leads to.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from glossary.models import Term
from tests.factories import make_term, make_terms
from tests.html import element, elements, links, text

pytestmark = pytest.mark.django_db


def term_names(html):
    return [name for _, name in links(element(html, "ul", class_="term-list"))]


def bar(html, css_class):
    """(label, count, href or None, aria-current) of each item of a bar."""
    rows = []
    for item in elements(element(html, "nav", class_=css_class), "li"):
        (shown,) = [child for child in item.children if not isinstance(child, str)]
        label, count = text(shown).rsplit(" ", 1)
        rows.append(
            (
                label,
                int(count.strip("()")),
                shown.attrs.get("href"),
                shown.attrs.get("aria-current"),
            )
        )
    return rows


def letter_bar(html):
    return bar(html, "letter-bar")


def kind_filter(html):
    return bar(html, "kind-filter")


def page(client, url, **query):
    response = client.get(url, query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# Filing names under letters ---------------------------------------------------


NAMES_BY_LETTER = {
    "a": ["Adalimumab", "α-interferon"],
    "e": ["Eczema", "Élan factor", "étoile cell"],
    "q": ["Quinine", "“Quoted” term"],
    "t": ["(Trailing) bracket"],
    "z": ["Zeta chain"],
    "0-9": ["+++", "5-ASA"],
}


@pytest.fixture
def filed_terms(db):
    """Names saved the way editors save them, one or more per letter."""
    for names in NAMES_BY_LETTER.values():
        for name in reversed(names):
            make_term(name=name)


def test_letter_pages_list_names_by_their_first_letter_as_read(client, filed_terms):
    for segment, names in NAMES_BY_LETTER.items():
        html = page(client, f"/glossary/letter/{segment}/")
        assert term_names(html) == names, segment


def test_letter_bar_counts_every_letter_and_links_only_those_with_terms(
    client, filed_terms
):
    rows = letter_bar(page(client, "/glossary/letter/e/"))
    assert [label for label, *_ in rows] == [*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0–9"]
    linked = {label: (count, href, current) for label, count, href, current in rows}
    assert linked["A"] == (2, "/glossary/letter/a/", None)
    assert linked["E"] == (3, "/glossary/letter/e/", "page")
    assert linked["0–9"] == (2, "/glossary/letter/0-9/", None)
    assert linked["B"] == (0, None, None)
    assert sum(count for count, _, _ in linked.values()) == Term.objects.count()


def test_letter_bar_leaves_out_digits_when_no_name_starts_with_one(client):
    make_term(name="Zeta chain")
    labels = [label for label, *_ in letter_bar(page(client, "/glossary/"))]
    assert labels[-1] == "Z"


def test_index_home_shows_the_first_letter_that_has_terms(client):
    make_terms(["Etanercept", "Cytokine", "Cell"])
    html = page(client, "/glossary/")
    assert text(element(html, "h2", id="index-heading")) == "Terms under C"
    assert term_names(html) == ["Cell", "Cytokine"]
    current = [label for label, _, _, aria in letter_bar(html) if aria == "page"]
    assert current == ["C"]


def test_renamed_term_moves_to_its_new_letter(client):
    term = make_term(name="Tumour necrosis factor")
    term.name = "α-TNF"
    term.save()
    assert term_names(page(client, "/glossary/letter/a/")) == ["α-TNF"]
    assert "α-TNF" not in page(client, "/glossary/letter/t/")


def test_empty_glossary_shows_a_letter_bar_without_links(client):
    html = page(client, "/glossary/")
    assert all(href is None for _, _, href, _ in letter_bar(html))
    assert "No terms here yet." in text(html)


# Pages -----------------------------------------------------------------------


@pytest.fixture
def long_letter(db):
    """250 terms under B: three pages of 100."""
    return make_terms(f"Beta {number:03}" for number in range(250))


def test_letter_pages_hold_100_terms_and_link_each_other(client, long_letter):
    seen, url, pages = [], "/glossary/letter/b/", 0
    while url:
        html = page(client, url)
        pages += 1
        seen += term_names(html)
        pagination = element(html, "nav", class_="pagination")
        current = [a for a in elements(pagination, "a") if a.attrs.get("aria-current")]
        assert [text(a) for a in current] == [f"Page {pages}"]
        following = elements(pagination, "a", rel="next")
        url = following[0].attrs["href"] if following else None
    assert pages == 3
    assert seen == [f"Beta {number:03}" for number in range(250)]


def test_letter_page_links_previous_next_and_every_page(client, long_letter):
    html = page(client, "/glossary/letter/b/", page="2")
    pagination = element(html, "nav", class_="pagination")
    assert links(pagination) == [
        ("/glossary/letter/b/", "Previous"),
        ("/glossary/letter/b/", "Page 1"),
        ("/glossary/letter/b/?page=2", "Page 2"),
        ("/glossary/letter/b/?page=3", "Page 3"),
        ("/glossary/letter/b/?page=3", "Next"),
    ]
    assert "101–200 of 250" in text(html)


def test_short_letter_has_no_pagination(client):
    make_terms(["Beta chain"])
    assert not elements(page(client, "/glossary/letter/b/"), "nav", class_="pagination")


# Kinds -----------------------------------------------------------------------


@pytest.fixture
def mixed_kinds(db):
    make_terms(["Adalimumab", "Anakinra", "Etanercept"], kind=Term.Kind.DRUG)
    make_terms(["Arthritis", "Eczema"], kind=Term.Kind.DISEASE)
    make_terms(["Interleukin-1"], kind=Term.Kind.CYTOKINE)


def test_kind_and_letter_combine(client, mixed_kinds):
    html = page(client, "/glossary/letter/a/", kind="drug")
    assert term_names(html) == ["Adalimumab", "Anakinra"]
    letters = {label: (count, href) for label, count, href, _ in letter_bar(html)}
    assert letters["A"] == (2, "/glossary/letter/a/?kind=drug")
    assert letters["E"] == (1, "/glossary/letter/e/?kind=drug")
    assert letters["I"] == (0, None)


def test_kind_filter_counts_terms_under_the_letter(client, mixed_kinds):
    rows = kind_filter(page(client, "/glossary/letter/a/", kind="disease"))
    assert rows[:5] == [
        ("All kinds", 3, "/glossary/letter/a/", None),
        ("Cytokine", 0, None, None),
        ("Cytokine family", 0, None, None),
        ("Drug", 2, "/glossary/letter/a/?kind=drug", None),
        ("Drug class", 0, None, None),
    ]
    assert rows[5] == ("Disease", 1, "/glossary/letter/a/?kind=disease", "page")


def test_old_kind_address_opens_the_index_of_that_kind(client, mixed_kinds):
    html = page(client, "/glossary/", kind="cytokine")
    assert term_names(html) == ["Interleukin-1"]
    rows = {
        label: (count, href, aria) for label, count, href, aria in kind_filter(html)
    }
    assert rows["All kinds"] == (6, "/glossary/", None)
    assert rows["Drug"] == (3, "/glossary/?kind=drug", None)
    assert rows["Cytokine"] == (1, "/glossary/?kind=cytokine", "page")


@pytest.mark.parametrize("typed", ["Cytokine", "CYTOKINE", " cytokine "])
def test_kind_typed_in_capitals_is_that_kind(client, mixed_kinds, typed):
    html = page(client, "/glossary/", kind=typed)
    assert term_names(html) == ["Interleukin-1"]


def test_kind_with_no_terms_under_a_letter_says_so(client, mixed_kinds):
    html = page(client, "/glossary/letter/i/", kind="drug")
    assert "No terms here yet." in text(html)


# Bad input -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"page": "abc"}, "A page of the glossary is a whole number, such as 2."),
        ({"page": "0"}, "The glossary's pages start at 1."),
        ({"kind": "<b>poison</b>"}, "“<b>poison</b>” is not a kind of glossary term."),
    ],
)
def test_bad_query_is_400_with_the_reason(client, query, message):
    response = client.get("/glossary/letter/a/", query)
    assert response.status_code == 400
    assert text(element(response.content.decode(), class_="error-message")) == message
    assert "<b>poison</b>" not in response.content.decode()


def test_page_past_the_last_is_404_with_the_letter_bar(client, long_letter):
    response = client.get("/glossary/letter/b/", {"page": "99999"})
    assert response.status_code == 404
    html = response.content.decode()
    assert text(element(html, class_="error-message")) == (
        "There is no page 99999 of terms under B: there are 3."
    )
    assert ("B", 250, "/glossary/letter/b/", "page") in letter_bar(html)


@pytest.mark.parametrize("segment", ["%E2%80%A6", "aa", "%3Cb%3E", "-1", "0-10"])
def test_unknown_letter_is_404_with_the_letter_bar(client, segment):
    make_terms(["Adalimumab"])
    response = client.get(f"/glossary/letter/{segment}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "has no letter" in text(element(html, class_="error-message"))
    assert ("A", 1, "/glossary/letter/a/", None) in letter_bar(html)
    assert "<b>" not in html.split("<main", 1)[1]


def test_capital_letter_redirects_to_its_address(client):
    response = client.get("/glossary/letter/A/", {"kind": "drug", "page": "2"})
    assert response.status_code == 301
    assert response["Location"] == "/glossary/letter/a/?kind=drug&page=2"


# Cost ------------------------------------------------------------------------


@pytest.mark.parametrize("count", [5, 300])
def test_index_page_query_count_does_not_grow_with_the_glossary(
    client, django_assert_num_queries, count
):
    make_terms(f"Beta {number:03}" for number in range(count))
    make_terms(f"Gamma {number:03}" for number in range(count))
    # The grouped counts, the page's terms, and the footer's site pages.
    with django_assert_num_queries(3):
        html = page(client, "/glossary/letter/b/", page="1")
    assert len(term_names(html)) == min(count, 100)


# Existing terms get their letters -----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_migration_files_existing_terms_under_their_letters():
    executor = MigrationExecutor(connection)
    old = executor.migrate([("glossary", "0015_edit_count")]).apps
    OldTerm = old.get_model("glossary", "Term")
    for slug, name in (("elan", "Élan factor"), ("alpha", "α-interferon")):
        OldTerm.objects.create(name=name, slug=slug, definition="A test.")
    call_command("migrate", verbosity=0)
    filed = dict(Term.objects.values_list("name", "index_letter"))
    assert filed == {"Élan factor": "E", "α-interferon": "A"}
