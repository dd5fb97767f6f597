"""
One normalisation for glossary linking and search: spellings a reader takes
for the same word link to the same term and find it first, and short
abbreviations typed in capitals match only in capitals.
"""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection, transaction
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.linking import Matcher, TermInfo
from glossary.models import Term
from glossary.normalise import compact, with_plural, written_forms
from tests.admin_pages import admin_form
from tests.factories import make_article, make_term
from tests.html import element, elements, links, text

pytestmark = pytest.mark.django_db

# (name, aliases) of the glossary every test here links and searches against;
# near neighbours (IL-1 and IL-17 next to IL-6) check that a variant never
# reaches the wrong term.
GLOSSARY = {
    "Cytokine": "",
    "Cytokine receptor": "",
    "Antibody": "",
    "Rash": "",
    "Virus": "",
    "JAK inhibitor": "",
    "Kaposi’s sarcoma": "KS",
    "Crohn's disease": "CD",
    "Interleukin": "IL\ninterleukins",
    "Interleukin-1": "IL-1",
    "IL-1β": "",
    "Interleukin-6": "IL-6",
    "Interleukin-17": "IL-17",
    "TNF-alpha": "TNF",
    "T cell": "",
    "Biologics": "biologic drugs",
    "Interferon": "IFN",
    "Interferons (drug class)": "interferons",
    "Ankylosing spondylitis": "AS",
    "Acute lymphoblastic leukaemia": "ALL",
    "Multiple sclerosis": "MS",
    "Monoclonal antibody": "mAb",
}

# Each row: the name of a term, then a spelling a reader writes for it. The
# linker links the second to that term, and glossary search finds it first.
SAME_WORD = [
    ("Cytokine", "cytokines"),
    ("Antibody", "antibodies"),
    ("Rash", "rashes"),
    ("Virus", "viruses"),
    ("JAK inhibitor", "JAK inhibitors"),
    ("Kaposi’s sarcoma", "Kaposi's sarcoma"),
    ("Kaposi’s sarcoma", "Kaposiʼs sarcoma"),
    ("Crohn's disease", "Crohn’s disease"),
    ("Crohn's disease", "Crohnʼs disease"),
    ("Interleukin-6", "Interleukin 6"),
    ("Interleukin-6", "IL 6"),
    ("Interleukin-6", "IL6"),
    ("Interleukin-17", "IL 17"),
    ("IL-1β", "IL-1 beta"),
    ("IL-1β", "IL1β"),
    ("TNF-alpha", "TNF alpha"),
    ("TNF-alpha", "TNF-α"),
    ("T cell", "T-cells"),
    ("Ankylosing spondylitis", "AS"),
    ("Acute lymphoblastic leukaemia", "ALL"),
]


def slug_of(name):
    return Term.objects.get(name=name).slug


def term_links(html):
    return links(html, css_class="term-link")


def first_search_result(client, query):
    """The name of the first term on the glossary search page for `query`."""
    html = client.get(reverse("glossary:search"), {"q": query}).content.decode()
    results = elements(html, "ol", class_="results")
    assert results, f"no results for {query!r}"
    first = elements(results[0], "li")[0]
    return [link_text for _, link_text in links(first)][-1].strip()


@pytest.fixture(scope="module")
def spelling_glossary(django_db_setup, django_db_blocker):
    """The glossary above, built once for the module and rolled back after."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        for name, aliases in GLOSSARY.items():
            make_term(name=name, aliases=aliases, definition=f"About {name}.")
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def glossary(spelling_glossary, db):
    """The glossary above, for one test."""


@pytest.mark.parametrize(("name", "written"), SAME_WORD)
def test_spelling_links_to_the_term_it_names(glossary, name, written):
    article = make_article(body=f"Doctors looked at {written} in the clinic.")
    assert term_links(article.body_html) == [(f"/glossary/{slug_of(name)}/", written)]


@pytest.mark.parametrize(("name", "written"), SAME_WORD)
def test_spelling_finds_the_term_it_names_first(glossary, client, name, written):
    assert first_search_result(client, written) == name


def test_plural_query_marks_the_whole_singular_it_found(glossary, client):
    html = client.get(reverse("glossary:search"), {"q": "cytokines"}).content.decode()
    marked = {
        links(item)[-1][1]: [mark.text for mark in elements(item, "mark")]
        for item in elements(element(html, "ol", class_="results"), "li")
    }
    assert marked["Cytokine"] == ["Cytokine"]
    assert marked["Cytokine receptor"] == ["Cytokine"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Drugs such as these work as well as others.",
        "As a rule, take it with food.",
        "All five of these agents reach all blood cells.",
        "Ms Khan wrote to the clinic.",
        "The nurse gave it to the cat.",
        "Say each part slowly: (sar il' ue mab).",
    ],
)
def test_lower_case_words_do_not_link_to_capital_abbreviations(glossary, sentence):
    assert term_links(make_article(body=sentence).body_html) == []


def test_capital_abbreviations_link_where_written_in_capitals(glossary):
    article = make_article(
        body="People with AS or MS, and children with ALL, may be given a mAb."
    )
    assert [shown for _, shown in term_links(article.body_html)] == [
        "AS",
        "MS",
        "ALL",
        "mAb",
    ]


def test_abbreviation_is_not_linked_in_a_plural_it_was_not_typed_in(glossary):
    article = make_article(body="Several ILs act at once; one IL acts alone.")
    assert term_links(article.body_html) == [
        (f"/glossary/{slug_of('Interleukin')}/", "IL")
    ]


def test_plural_name_is_not_linked_in_the_singular(glossary):
    article = make_article(
        body="Its biologic activity was measured. Biologics came later."
    )
    assert term_links(article.body_html) == [
        (f"/glossary/{slug_of('Biologics')}/", "Biologics")
    ]


def test_another_terms_alias_wins_over_a_plural(glossary):
    article = make_article(body="Some interferons are given as injections.")
    assert term_links(article.body_html) == [
        (f"/glossary/{slug_of('Interferons (drug class)')}/", "interferons")
    ]


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("IL-17", "Interleukin-17"),
        ("IL-1", "Interleukin-1"),
        ("IL-1 beta", "IL-1β"),
        ("IL-6 and IL 6", "Interleukin-6"),
    ],
)
def test_numbers_and_greek_letters_keep_their_own_term(glossary, written, name):
    article = make_article(body=f"Levels of {written} rose.")
    assert term_links(article.body_html)[0] == (
        f"/glossary/{slug_of(name)}/",
        written.split(" and ")[0],
    )


def test_explicit_link_finds_a_term_by_its_plural(glossary):
    article = make_article(body="## About [[cytokines]] and [[viruses]]")
    assert term_links(article.body_html) == [
        (f"/glossary/{slug_of('Cytokine')}/", "cytokines"),
        (f"/glossary/{slug_of('Virus')}/", "viruses"),
    ]
    assert article.unresolved_links == []


def test_explicit_link_finds_an_abbreviation_in_any_case(glossary):
    article = make_article(body="See [[as|this spine disease]].")
    assert term_links(article.body_html) == [
        (f"/glossary/{slug_of('Ankylosing spondylitis')}/", "this spine disease")
    ]


@pytest.mark.parametrize("phrase", [*GLOSSARY, "IL-1 receptor antagonist", "NF-κB"])
def test_every_form_the_linker_matches_has_the_search_form_of_the_name(phrase):
    forms = list(written_forms(phrase))
    forms += [plural for form in forms if (plural := with_plural(form))]
    assert {compact(form) for form in forms} == {compact(phrase)}


@settings(max_examples=300, deadline=None)
@given(
    alias=st.text(min_size=1, max_size=30),
    body=st.text(max_size=80),
)
def test_any_alias_and_text_link_without_error(alias, body):
    term = TermInfo(1, "Term", "term", "A term.", "/glossary/term/")
    matcher = Matcher([term], [(alias, 1)])
    typed = " ".join(alias.split())
    found = matcher.find(f"{body} {typed} {body}")
    assert all(0 <= start < end for start, end, _ in found)
    forms = list(written_forms(alias))
    forms += [plural for form in forms if (plural := with_plural(form))]
    assert {compact(form) for form in forms} == {compact(typed)}


def term_form_data(staff_client, **changes):
    data = admin_form(staff_client, reverse("admin:glossary_term_add"))
    data.update(kind="concept", definition="A way of giving a drug.", **changes)
    return data


def test_admin_refuses_everyday_words_as_aliases_and_keeps_the_text(staff_client, db):
    typed = "intrathecal\nit\nThe"
    data = term_form_data(
        staff_client, name="Intrathecal injection", slug="intrathecal", aliases=typed
    )
    response = staff_client.post(reverse("admin:glossary_term_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    errors = text(element(html, "ul", class_="errorlist")).strip()
    assert "“it”, “The”" in errors
    assert "in capitals (IT, THE)" in errors
    assert element(html, "textarea", name="aliases").text.strip() == typed
    assert not Term.objects.filter(name="Intrathecal injection").exists()


def test_admin_accepts_an_everyday_word_typed_as_a_capital_abbreviation(
    staff_client, client, db
):
    data = term_form_data(
        staff_client, name="Intrathecal injection", slug="intrathecal", aliases="IT"
    )
    response = staff_client.post(reverse("admin:glossary_term_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article = make_article(body="It is given into the spine, as IT.")
    page = client.get(article.get_absolute_url()).content.decode()
    assert term_links(page) == [("/glossary/intrathecal/", "IT")]


def test_migration_rewrites_stored_search_forms_for_plurals_and_apostrophes(client, db):
    migration = importlib.import_module(
        "glossary.migrations.0010_search_forms_share_linking_normalisation"
    )
    term = make_term(name="Food allergies", definition="Reactions to a meal.")
    # The forms stored before, without stems: the singular found nothing.
    term.search_entries.filter(source="name").update(
        compact="foodallergies", words="food allergies"
    )
    migration.rewrite_search_forms(django_apps, SimpleNamespace(connection=connection))
    name_entry = term.search_entries.get(source="name")
    assert name_entry.compact == compact("food allergy")
    assert first_search_result(client, "food allergy") == "Food allergies"
