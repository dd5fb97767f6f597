"""
What the term form accepts as a name or alias, posted whole through the
admin as the browser sends it: everyday words, a term's own name among its
aliases, clashes with other terms old and new.
"""

import pytest
from django.urls import reverse

from glossary.models import Term
from tests.admin_pages import admin_form, change_url
from tests.factories import make_article, make_term
from tests.html import element, elements, links, text

pytestmark = pytest.mark.django_db

TERM_ADD = reverse("admin:glossary_term_add")


def error_messages(html):
    return [text(item).strip() for item in elements(html, "ul", class_="errorlist")]


def field_errors(html, name):
    return [
        text(item).strip()
        for error_list in elements(html, "ul", id=f"id_{name}_error")
        for item in elements(error_list, "li")
    ]


def typed(html, name):
    found = elements(html, "input", name=name) or elements(html, "textarea", name=name)
    (field,) = found
    return field.attrs["value"] if field.tag == "input" else field.text.strip()


def add_term(client, **fields):
    data = admin_form(client, TERM_ADD)
    data.update(definition="A word used in tests.", kind="concept", **fields)
    return client.post(TERM_ADD, data)


def change_term(client, term, follow=False, **fields):
    url = change_url(term)
    data = admin_form(client, url)
    data.update(fields)
    return client.post(url, data, follow=follow)


def shown_aliases(client, term):
    page = client.get(term.get_absolute_url()).content.decode()
    return [alias.text for alias in elements(page, class_="alias")]


def success_messages(html):
    return [text(item).strip() for item in elements(html, "li", class_="success")]


def info_messages(html):
    return [text(item).strip() for item in elements(html, "li", class_="info")]


def old_name_notes(html):
    """Notes about the old name, leaving out the one on relinking."""
    return [message for message in info_messages(html) if "old name" in message]


# Everyday words as names


@pytest.mark.parametrize("name", ["And", "the", "All"])
def test_term_named_everyday_word_is_refused_with_message(staff_client, name):
    response = add_term(staff_client, name=name, aliases="Something longer")
    html = response.content.decode()
    assert response.status_code == 200
    assert field_errors(html, "name") == [
        f"“{name}” is an everyday English word and would link ordinary text "
        f"in every article. Give the term its fuller name, or type an "
        f"abbreviation of up to five letters in capitals ({name.upper()}) to "
        f"link it only where it is written in capitals."
    ]
    assert typed(html, "name") == name
    assert typed(html, "aliases") == "Something longer"
    assert not Term.objects.filter(name=name).exists()


def test_term_named_everyday_word_in_capitals_is_saved(staff_client):
    response = add_term(staff_client, name="ALL", aliases="Acute leukaemia")
    assert response.status_code == 302, error_messages(response.content.decode())
    assert Term.objects.filter(name="ALL").exists()


def test_rename_to_everyday_word_is_refused_and_leaves_articles_alone(
    staff_client, client, django_capture_on_commit_callbacks
):
    term = make_term(name="Ankylosing spondylitis", aliases="AS")
    article = make_article(body="The spine stiffens, and so does the neck.")
    with django_capture_on_commit_callbacks(execute=True):
        response = change_term(staff_client, term, name="The")
    html = response.content.decode()
    assert response.status_code == 200
    assert field_errors(html, "name")[0].startswith("“The” is an everyday English")
    assert typed(html, "name") == "The"
    term.refresh_from_db()
    assert term.name == "Ankylosing spondylitis"
    page = client.get(article.get_absolute_url()).content.decode()
    assert links(page, css_class="term-link") == []


def test_rename_away_from_everyday_word_lets_it_go_and_says_so(staff_client, client):
    # A name from before names were checked, saved without the form.
    term = make_term(name="And", aliases="Andexanet alfa")
    response = change_term(staff_client, term, follow=True, name="Andexanet")
    html = response.content.decode()
    assert response.redirect_chain, error_messages(html)
    assert old_name_notes(html) == [
        "The old name “And” was not kept as an alias: it is an everyday "
        "English word, which would link ordinary text."
    ]
    term.refresh_from_db()
    assert term.name == "Andexanet"
    assert shown_aliases(client, term) == ["Andexanet alfa"]


def test_rename_away_from_ordinary_name_keeps_it_without_a_note(staff_client):
    term = make_term(name="Actemra")
    response = change_term(staff_client, term, follow=True, name="Tocilizumab")
    html = response.content.decode()
    assert old_name_notes(html) == []
    assert len(success_messages(html)) == 1
    term.refresh_from_db()
    assert term.alias_list == ["Actemra"]


# A term's own name among its aliases


def test_alias_equal_to_the_name_is_dropped(staff_client, client):
    response = add_term(staff_client, name="Sarilumab", aliases="Kevzara\nSARILUMAB")
    assert response.status_code == 302, error_messages(response.content.decode())
    term = Term.objects.get(name="Sarilumab")
    assert term.aliases == "Kevzara"
    assert shown_aliases(client, term) == ["Kevzara"]


def test_renaming_back_to_an_old_name_drops_it_from_the_aliases(staff_client, client):
    term = make_term(name="Tocilizumab", aliases="Actemra")
    for name in ("Tocilizumab (IV)", "Tocilizumab"):
        response = change_term(staff_client, term, name=name)
        assert response.status_code == 302, error_messages(response.content.decode())
        term.refresh_from_db()
    assert term.name == "Tocilizumab"
    assert shown_aliases(client, term) == ["Actemra", "Tocilizumab (IV)"]
    html = staff_client.get(change_url(term)).content.decode()
    assert typed(html, "aliases") == "Actemra\nTocilizumab (IV)"


# Clashes with other terms


@pytest.fixture
def old_clash():
    """Two terms sharing an alias, saved before names were checked."""
    first = make_term(name="Tocilizumab", aliases="Actemra", kind=Term.Kind.DRUG)
    second = make_term(name="Sarilumab", aliases="Kevzara\nActemra")
    return first, second


def test_clash_already_in_data_does_not_block_a_definition_change(
    staff_client, client, old_clash
):
    tocilizumab, __ = old_clash
    response = change_term(
        staff_client, tocilizumab, definition="Blocks the receptor of IL-6."
    )
    assert response.status_code == 302, error_messages(response.content.decode())
    page = client.get(tocilizumab.get_absolute_url()).content.decode()
    assert text(element(page, "p", class_="definition")) == (
        "Blocks the receptor of IL-6."
    )


def test_clash_new_in_this_edit_is_still_refused(staff_client, old_clash):
    tocilizumab, __ = old_clash
    response = change_term(staff_client, tocilizumab, aliases="Actemra\nKevzara")
    html = response.content.decode()
    assert response.status_code == 200
    assert error_messages(html) == ["“Kevzara” is already an alias of Sarilumab."]
    assert typed(html, "aliases") == "Actemra\nKevzara"


def test_name_reading_like_several_spellings_of_one_term_gives_one_message(
    staff_client,
):
    make_term(
        name="Tumor necrosis factor alpha",
        aliases="TNF-alpha\nTNF-α\nTNFα\nTNF",
        kind=Term.Kind.CYTOKINE,
    )
    response = add_term(staff_client, name="TNF alpha")
    html = response.content.decode()
    assert error_messages(html) == [
        "“TNF alpha” reads the same as “TNF-alpha”, an alias of Tumor necrosis "
        "factor alpha; search and links could not tell them apart."
    ]
    assert typed(html, "name") == "TNF alpha"


def test_clash_message_names_the_same_spelling_when_there_is_one(staff_client):
    make_term(name="Interleukin-6", aliases="IL 6\nIL-6\nIL6")
    response = add_term(staff_client, name="Siltuximab", aliases="il-6")
    assert error_messages(response.content.decode()) == [
        "“il-6” is already an alias of Interleukin-6."
    ]


def test_one_message_per_other_term_and_typed_text(staff_client):
    make_term(name="Interleukin-6", aliases="IL-6\nIL6")
    make_term(name="Siltuximab", aliases="IL 6")
    response = add_term(staff_client, name="Olokizumab", aliases="Il 6\nIL-6")
    assert field_errors(response.content.decode(), "aliases") == [
        "“Il 6” reads the same as “IL-6”, an alias of Interleukin-6; search and "
        "links could not tell them apart.",
        "“Il 6” is already an alias of Siltuximab.",
    ]
