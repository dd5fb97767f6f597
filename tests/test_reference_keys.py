"""
Editing references in the admin: dates that cannot be true are refused,
citations follow a new key, a reference still listed cannot be deleted and
says where it is listed, and look-alike references can be told apart.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, PendingRevision
from glossary.models import Term
from references.models import Reference
from tests.admin_pages import admin_form, change_url, edited_form_id
from tests.factories import logged_in, make_article, make_reference, make_term
from tests.html import element, elements, form_data, links, text

pytestmark = pytest.mark.django_db


def citation_links(html):
    """(href, text) of every link inside a superscript citation, in order."""
    return [
        pair for sup in elements(html, "sup", class_="citation") for pair in links(sup)
    ]


def success_messages(page):
    return [li.text for li in elements(page, "li", class_="success")]


def rekey_in_admin(client, reference, new_key, capture):
    url = change_url(reference)
    data = admin_form(client, url)
    data["key"] = new_key
    with capture(execute=True):
        response = client.post(url, data, follow=True)
    assert response.redirect_chain, response.content.decode()[:3000]
    return response.content.decode()


def test_rekeyed_reference_keeps_its_citations_for_readers(
    staff_client, client, django_capture_on_commit_callbacks
):
    rekeyed = make_reference(key="qa-rekey", title="Rekey test")
    make_reference(key="mcinnes-2007", title="Pathogenesis")
    article = make_article(body="Claim one.[@qa-rekey] Claim two.[@mcinnes-2007]")
    page = rekey_in_admin(
        staff_client, rekeyed, "qa-rekey-2020", django_capture_on_commit_callbacks
    )
    assert (
        "1 article or term citing “qa-rekey” now cites “qa-rekey-2020”."
        in success_messages(page)
    )
    client.logout()
    page = client.get(article.get_absolute_url()).content.decode()
    assert citation_links(element(page, "div", class_="body")) == [
        ("#ref-qa-rekey-2020", "1"),
        ("#ref-mcinnes-2007", "2"),
    ]
    assert text(element(page, "li", id="ref-qa-rekey-2020")).startswith("Doe J")
    article.refresh_from_db()
    assert article.body == "Claim one.[@qa-rekey-2020] Claim two.[@mcinnes-2007]"
    assert article.unknown_citations == []


def test_rekeying_rewrites_every_form_of_citation_and_nothing_else(
    staff_client, client, django_capture_on_commit_callbacks
):
    rekeyed = make_reference(key="qa-rekey")
    make_reference(key="a")
    untouched = (
        "Mail @qa-rekey, see [@qa-rekey-old], code `[@qa-rekey]`, "
        "escaped \\[@qa-rekey]."
    )
    article = make_article(
        body="One.[@QA-Rekey, p. 4] Two.[@a; @qa-rekey] Three.[ @qa-rekey ] "
        + untouched
    )
    term = make_term(name="Rekeyed", body="Defined.[@qa-rekey][@a]")
    draft = make_article(body="Draft.[@qa-rekey]", status=Article.Status.DRAFT)
    make_article(body="Cites another.[@a]")
    page = rekey_in_admin(
        staff_client, rekeyed, "qa-rekey-2020", django_capture_on_commit_callbacks
    )
    assert (
        "3 articles or terms citing “qa-rekey” now cite “qa-rekey-2020”."
        in success_messages(page)
    )
    article.refresh_from_db()
    assert article.body == (
        "One.[@qa-rekey-2020, p. 4] Two.[@a; @qa-rekey-2020] "
        f"Three.[ @qa-rekey-2020 ] {untouched}"
    )
    assert Term.objects.get(pk=term.pk).body == "Defined.[@qa-rekey-2020][@a]"
    assert Article.objects.get(pk=draft.pk).body == "Draft.[@qa-rekey-2020]"
    page = client.get(article.get_absolute_url()).content.decode()
    assert citation_links(element(page, "div", class_="body"))[:3] == [
        ("#ref-qa-rekey-2020", "1(p4)"),
        ("#ref-qa-rekey-2020", "1"),
        ("#ref-a", "2"),
    ]
    term_page = client.get(term.get_absolute_url()).content.decode()
    assert ("#ref-qa-rekey-2020", "1") in citation_links(term_page)


def test_rekeying_with_nothing_citing_says_so(
    staff_client, django_capture_on_commit_callbacks
):
    lonely = make_reference(key="qa-lonely")
    page = rekey_in_admin(
        staff_client, lonely, "qa-lonely-2", django_capture_on_commit_callbacks
    )
    assert (
        "0 articles or terms citing “qa-lonely” now cite “qa-lonely-2”."
        in success_messages(page)
    )
    assert Reference.objects.filter(key="qa-lonely-2").exists()


REFERENCE_ADD = reverse("admin:references_reference_add")


def add_reference_in_admin(client, **fields):
    data = admin_form(client, REFERENCE_ADD)
    data.update(key="qa-dates", kind="web", title="Cytokines", **fields)
    return client.post(REFERENCE_ADD, data)


def field_errors(html, name):
    """The error messages shown next to the field `name`."""
    return [
        text(item).strip()
        for error_list in elements(html, "ul", id=f"id_{name}_error")
        for item in elements(error_list, "li")
    ]


@pytest.mark.parametrize("year", [3000, 1449, 0])
def test_implausible_publication_year_is_refused_with_the_range(staff_client, year):
    next_year = timezone.localdate().year + 1
    response = add_reference_in_admin(staff_client, year=str(year))
    assert response.status_code == 200
    page = response.content.decode()
    assert field_errors(page, "year") == [
        f"Enter a publication year from 1450 to {next_year}."
    ]
    typed = form_data(page, edited_form_id(page))
    assert (typed["year"], typed["title"]) == (str(year), "Cytokines")
    assert not Reference.objects.filter(key="qa-dates").exists()


def test_accessed_date_after_today_is_refused(staff_client):
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    response = add_reference_in_admin(
        staff_client, url="https://example.org/", accessed_on=tomorrow.isoformat()
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert field_errors(page, "accessed_on") == [
        "A page cannot have been read after today: enter the date it was "
        f"read, {today.isoformat()} or earlier."
    ]
    assert form_data(page, edited_form_id(page))["accessed_on"] == (
        tomorrow.isoformat()
    )


@pytest.mark.parametrize("year", ["1450", "2007", "next"])
def test_plausible_dates_are_saved(staff_client, year):
    today = timezone.localdate()
    if year == "next":
        year = str(today.year + 1)
    response = add_reference_in_admin(
        staff_client,
        year=year,
        url="https://example.org/",
        accessed_on=today.isoformat(),
    )
    assert response.status_code == 302
    saved = Reference.objects.get(key="qa-dates")
    assert (str(saved.year), saved.accessed_on) == (year, today)


def delete_url(obj):
    return reverse("admin:references_reference_delete", args=[obj.pk])


def test_deleting_a_listed_reference_names_the_articles_listing_it(staff_client):
    listed = make_reference(key="qa-rekey", title="Rekey test")
    first = make_article(title="Joints and cytokines", references=[listed])
    second = make_article(title="Biologic medicines", references=[listed])
    page = staff_client.get(delete_url(listed)).content.decode()
    protected = element(page, "ul", id="deleted-objects")
    assert [text(item) for item in elements(protected, "li")] == [
        "Article: Biologic medicines lists “qa-rekey”",
        "Article: Joints and cytokines lists “qa-rekey”",
    ]
    assert links(protected) == [
        (change_url(second), "Biologic medicines"),
        (change_url(first), "Joints and cytokines"),
    ]
    staff_client.post(delete_url(listed), {"post": "yes"})
    assert Reference.objects.filter(pk=listed.pk).exists()


def test_deleting_several_references_names_each_listing(staff_client):
    cited = make_reference(key="qa-cited")
    also = make_reference(key="qa-also")
    make_article(title="Joints and cytokines", references=[cited, also])
    page = staff_client.post(
        reverse("admin:references_reference_changelist"),
        {"action": "delete_selected", "_selected_action": [cited.pk, also.pk]},
    ).content.decode()
    assert [
        text(item) for item in elements(page, "li") if text(item).startswith("Article:")
    ] == [
        "Article: Joints and cytokines lists “qa-also”",
        "Article: Joints and cytokines lists “qa-cited”",
    ]


@pytest.mark.parametrize(
    ("app_label", "model_name", "field_name"),
    [("articles", "articlereference", "reference"), ("glossary", "term", "references")],
)
def test_look_alike_references_are_offered_with_their_keys(
    staff_client, app_label, model_name, field_name
):
    for key in ("biobasics-2006", "biobasics-2006-fr"):
        make_reference(
            key=key,
            kind="web",
            authors="",
            container="BioBasics",
            year=2006,
            title="Cytokines",
        )
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "biobasics",
            "app_label": app_label,
            "model_name": model_name,
            "field_name": field_name,
        },
    )
    assert sorted(result["text"] for result in response.json()["results"]) == [
        "BioBasics 2006: Cytokines [biobasics-2006-fr]",
        "BioBasics 2006: Cytokines [biobasics-2006]",
    ]


def test_rekeying_rewrites_the_changes_waiting_for_approval(
    editor, staff_client, django_capture_on_commit_callbacks
):
    rekeyed = make_reference(key="qa-rekey", title="Rekey test")
    article = make_article(title="Claims", body="Claim one.")
    url = change_url(article)
    data = admin_form(logged_in(editor), url)
    data["body"] = "Claim one.[@qa-rekey]"
    logged_in(editor).post(url, data)

    rekey_in_admin(
        staff_client, rekeyed, "qa-rekey-2020", django_capture_on_commit_callbacks
    )

    waiting = PendingRevision.objects.get(article=article)
    assert waiting.content["body"] == "Claim one.[@qa-rekey-2020]"
