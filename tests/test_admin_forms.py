"""
The admin's add and change forms posted whole, as the browser sends them:
every field, the inline management forms and rows, empty rows included.
"""

import datetime
from email.utils import parsedate_to_datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, ArticleReference
from glossary.models import Term, TermRelation
from references.models import Reference
from tests.admin_pages import (
    SAVE_AND_PUBLISH,
    admin_form,
    article_add_form,
    change_url,
    edited_form_id,
    reference_add_form,
    set_row,
    term_add_form,
)
from tests.factories import make_article, make_reference, make_term
from tests.html import element, elements, form_data, links, text

pytestmark = pytest.mark.django_db

ARTICLE_ADD = reverse("admin:articles_article_add")
TERM_ADD = reverse("admin:glossary_term_add")
REFERENCE_ADD = reverse("admin:references_reference_add")


def field_errors(html, name):
    """The error messages shown next to the field `name`."""
    return [
        text(item).strip()
        for error_list in elements(html, "ul", id=f"id_{name}_error")
        for item in elements(error_list, "li")
    ]


def error_texts(html):
    return [text(item).strip() for item in elements(html, "ul", class_="errorlist")]


def typed_value(html, name):
    """What the field `name` holds on a page sent back to the editor."""
    return form_data(html, edited_form_id(html))[name]


def assert_saved(response):
    assert response.status_code == 302, error_texts(response.content.decode())


def assert_refused(response):
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def mcinnes():
    return make_reference(
        key="mcinnes-2007",
        authors="McInnes IB, Schett G",
        title="Cytokines in the pathogenesis of rheumatoid arthritis",
        year=2007,
    )


# Articles


def test_article_add_citing_and_listing_one_reference_saves_one_row(
    staff_client, client, mcinnes
):
    data = article_add_form(staff_client)
    set_row(data, "reference_links", 0, reference=str(mcinnes.pk), position="3")
    assert_saved(staff_client.post(ARTICLE_ADD, data))
    article = Article.objects.get()
    assert list(article.reference_links.values_list("reference", "position")) == [
        (mcinnes.pk, 3)
    ]
    page = client.get(article.get_absolute_url()).content.decode()
    references = element(page, "section", aria_labelledby="references-heading")
    assert [item.attrs["id"] for item in elements(references, "li")] == [
        "ref-mcinnes-2007"
    ]
    assert links(element(page, "sup"))[0][0] == "#ref-mcinnes-2007"


def test_article_change_adding_citation_and_row_for_it_saves_one_row(
    staff_client, mcinnes
):
    other = make_reference(key="other-2020")
    article = make_article(body="No citations yet.", references=[other])
    data = admin_form(staff_client, change_url(article))
    assert data["reference_links-INITIAL_FORMS"] == "1"
    data["body"] = "Now it cites [@mcinnes-2007] and [@other-2020]."
    set_row(data, "reference_links", 1, reference=str(mcinnes.pk), position="2")
    assert_saved(staff_client.post(change_url(article), {**data, **SAVE_AND_PUBLISH}))
    assert list(article.reference_links.values_list("reference__key", flat=True)) == [
        "other-2020",
        "mcinnes-2007",
    ]


def test_article_add_with_same_reference_twice_comes_back_with_text(
    staff_client, mcinnes
):
    data = article_add_form(staff_client)
    set_row(data, "reference_links", 0, reference=str(mcinnes.pk), position="1")
    set_row(data, "reference_links", 1, reference=str(mcinnes.pk), position="2")
    html = assert_refused(staff_client.post(ARTICLE_ADD, data))
    assert any("duplicate" in message for message in error_texts(html))
    assert typed_value(html, "body") == data["body"]
    assert not Article.objects.exists()


def test_article_add_with_empty_inline_rows_saves(staff_client, client):
    data = article_add_form(staff_client, body="No sources here.")
    set_row(data, "reference_links", 2, position="0")
    set_row(data, "reference_links", 1, position="0")
    assert data["reference_links-TOTAL_FORMS"] == "3"
    assert_saved(staff_client.post(ARTICLE_ADD, data))
    article = Article.objects.get()
    assert not article.reference_links.exists()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_article_change_with_blank_slug_and_bad_date_comes_back_with_text(
    staff_client,
):
    article = make_article(title="Old title", body="Kept body.")
    data = admin_form(staff_client, change_url(article))
    data.update(slug="", body="A body being rewritten.", updated_at_0="2026-02-31")
    html = assert_refused(staff_client.post(change_url(article), data))
    assert field_errors(html, "updated_at") == ["Enter a valid date."]
    assert typed_value(html, "body") == "A body being rewritten."
    assert (article.get_absolute_url(), "View on site") in links(html)


def test_article_change_with_blank_slug_fills_it_from_title(staff_client, client):
    article = make_article(title="Old title", slug="old-title")
    data = admin_form(staff_client, change_url(article))
    data.update(title="Cytokines and fatigue", slug="")
    assert_saved(staff_client.post(change_url(article), {**data, **SAVE_AND_PUBLISH}))
    assert client.get("/articles/cytokines-and-fatigue/").status_code == 200


@pytest.mark.parametrize("typed", ["!!!", "<b></b>"])
def test_article_tag_without_letters_is_refused_with_message(staff_client, typed):
    data = article_add_form(staff_client, body="", tags=f"joints, {typed}")
    html = assert_refused(staff_client.post(ARTICLE_ADD, data))
    assert field_errors(html, "tags") == [
        f"Each tag needs at least one letter or digit; remove or reword: “{typed}”."
    ]
    assert typed_value(html, "tags") == f"joints, {typed}"
    assert not Tag.objects.exists()


def test_article_tag_longer_than_a_tag_holds_is_refused_with_message(staff_client):
    long_tag = "inflammation" * 9
    data = article_add_form(staff_client, tags=f"joints, {long_tag}")
    html = assert_refused(staff_client.post(ARTICLE_ADD, data))
    assert field_errors(html, "tags") == [
        f"Each tag must be at most 100 characters; shorten: “{long_tag}”."
    ]
    assert typed_value(html, "tags") == f"joints, {long_tag}"
    assert typed_value(html, "body") == data["body"]
    assert not Article.objects.exists()
    assert not Tag.objects.exists()


def test_article_tag_of_exactly_a_hundred_characters_is_saved(staff_client, client):
    tag = "a" * 100
    assert_saved(
        staff_client.post(ARTICLE_ADD, article_add_form(staff_client, tags=tag))
    )
    page = client.get(Article.objects.get().get_absolute_url()).content.decode()
    assert [name for _, name in links(element(page, "ul", class_="tags"))] == [tag]


def test_article_tag_in_greek_letters_links_to_its_page(staff_client, client):
    data = article_add_form(staff_client, body="", tags="TNF-α")
    assert_saved(staff_client.post(ARTICLE_ADD, data))
    page = client.get(Article.objects.get().get_absolute_url()).content.decode()
    (tag_link,) = links(element(page, "ul", class_="tags"))
    assert tag_link[1] == "TNF-α"
    tag_page = client.get(tag_link[0])
    assert "Cytokines in the joints" in text(tag_page.content.decode())


def test_pages_showing_tag_with_empty_slug_still_load(client):
    article = make_article(title="Tagged long ago")
    term = make_term(name="Old term")
    tag = Tag.objects.create(name="!!!", slug="")
    article.tags.add(tag)
    term.tags.add(tag)
    for url in (article.get_absolute_url(), term.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200, url
        tags = element(response.content.decode(), "ul", class_="tags")
        assert text(tags).strip() == "!!!"
        assert links(tags) == []


def test_draft_published_later_is_dated_when_published(staff_client, client):
    data = article_add_form(staff_client, body="", status="draft")
    assert data["published_at_0"] == ""
    assert_saved(staff_client.post(ARTICLE_ADD, data))
    article = Article.objects.get()
    assert article.published_at is None
    Article.objects.filter(pk=article.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    data = admin_form(staff_client, change_url(article))
    data["status"] = "published"
    before = timezone.now().replace(microsecond=0)
    assert_saved(staff_client.post(change_url(article), data))
    feed = client.get(reverse("articles:feed")).content.decode()
    (pub_date,) = elements(feed, "pubdate")
    assert parsedate_to_datetime(text(pub_date)) >= before


def test_publishing_keeps_the_time_the_editor_chose(staff_client):
    data = article_add_form(
        staff_client, body="", published_at_0="2026-03-01", published_at_1="08:30:00"
    )
    assert_saved(staff_client.post(ARTICLE_ADD, data))
    chosen = Article.objects.get().published_at
    assert (chosen.date(), chosen.time()) == (
        datetime.date(2026, 3, 1),
        datetime.time(8, 30),
    )


def test_admin_article_list_says_scheduled_for_future_articles(staff_client):
    now = timezone.now()
    make_article(title="Out now", published_at=now - datetime.timedelta(days=1))
    make_article(title="Coming soon", published_at=now + datetime.timedelta(days=7))
    make_article(title="Still a draft", status=Article.Status.DRAFT)
    html = staff_client.get(reverse("admin:articles_article_changelist")).content
    rows = {
        text(element(row, "th")).strip(): text(
            element(row, "td", class_="field-publication_state")
        )
        for row in elements(html.decode(), "tr")
        if elements(row, "td", class_="field-publication_state")
    }
    assert rows == {
        "Out now": "Published",
        "Coming soon": "Scheduled",
        "Still a draft": "Draft",
    }


def test_reference_inline_shows_the_number_readers_see(staff_client, client):
    uncited = make_reference(key="uncited-2001", title="Listed first")
    cited = make_reference(key="cited-2002", title="Cited in the body")
    article = make_article(references=[uncited, cited])
    article.body = "A claim [@cited-2002]."
    article.save()
    html = staff_client.get(change_url(article)).content.decode()
    numbers = [
        text(element(row, "td", class_="field-number_shown")).strip()
        for row in elements(html, "tr", class_="has_original")
    ]
    assert numbers == ["2", "1"]
    position_help = element(element(html, "th", class_="column-position"), "img")
    assert position_help.attrs["title"].startswith(
        "Orders only references the body never cites"
    )
    page = client.get(article.get_absolute_url()).content.decode()
    references = element(page, "section", aria_labelledby="references-heading")
    assert [item.attrs["id"] for item in elements(references, "li")] == [
        "ref-cited-2002",
        "ref-uncited-2001",
    ]


def test_reference_inline_rows_are_captioned_with_the_reference_alone(
    staff_client,
):
    uncited = make_reference(key="uncited-2001", authors="Roe R", title="Listed")
    cited = make_reference(key="cited-2002", authors="McInnes IB", title="Cited")
    article = make_article(references=[uncited, cited])
    ArticleReference.objects.filter(reference=cited).update(position=9)
    article.body = "A claim [@cited-2002]."
    article.save()
    html = staff_client.get(change_url(article)).content.decode()
    rows = elements(html, "tr", class_="has_original")
    captions = [
        " ".join(text(element(row, "td", class_="original")).split()) for row in rows
    ]
    numbers = [
        text(element(row, "td", class_="field-number_shown")).strip() for row in rows
    ]
    assert list(zip(captions, numbers, strict=True)) == [
        ("Roe R 2020: Listed", "2"),
        ("McInnes IB 2020: Cited", "1"),
    ]


def test_scheduled_article_preview_says_when_it_will_be_published(staff_client):
    data = article_add_form(
        staff_client, published_at_0="2099-03-01", published_at_1="08:30:00"
    )
    assert_saved(staff_client.post(ARTICLE_ADD, data))
    article = Article.objects.get()
    change_page = staff_client.get(change_url(article)).content.decode()
    preview_url = dict((name, href) for href, name in links(change_page))[
        "Preview draft (staff only)"
    ]
    page = staff_client.get(preview_url).content.decode()
    banner = element(page, "p", class_="preview-banner")
    assert text(banner) == (
        "Preview: scheduled for 1 March 2099, 08:30 UTC. "
        "Only staff can see it until then."
    )
    assert element(banner, "time").attrs["datetime"] == "2099-03-01T08:30:00+0000"


def test_draft_preview_still_says_it_is_not_published(staff_client):
    article = make_article(status=Article.Status.DRAFT)
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert text(element(page, "p", class_="preview-banner")) == (
        "Preview: this article is not published. Only staff can see it."
    )


def test_article_with_a_title_already_used_is_refused_naming_that_article(
    staff_client,
):
    make_article(title="Cytokines in the joints", slug="cytokines-in-the-joints")
    # The slug as the page's script fills it from the title.
    data = article_add_form(staff_client, slug="cytokines-in-the-joints")
    html = assert_refused(staff_client.post(ARTICLE_ADD, data))
    assert field_errors(html, "slug") == [
        "Another article already uses this address, "
        "/articles/cytokines-in-the-joints/ (“Cytokines in the joints”); "
        "change the slug to give this one its own."
    ]
    assert typed_value(html, "title") == "Cytokines in the joints"
    assert typed_value(html, "slug") == "cytokines-in-the-joints"
    assert typed_value(html, "body") == data["body"]
    assert Article.objects.count() == 1
    data["slug"] = "cytokines-in-the-joints-2"
    assert_saved(staff_client.post(ARTICLE_ADD, data))


def test_article_saved_unchanged_keeps_its_own_address(staff_client):
    article = make_article(title="Cytokines in the joints")
    assert_saved(
        staff_client.post(
            change_url(article), admin_form(staff_client, change_url(article))
        )
    )


# Terms


def test_term_add_citing_and_choosing_one_reference_saves_it_once(
    staff_client, client, mcinnes
):
    target = make_term(name="Fever")
    data = term_add_form(staff_client, references=[str(mcinnes.pk)])
    set_row(data, "relations", 0, kind="related-to", target=str(target.pk))
    assert_saved(staff_client.post(TERM_ADD, data))
    term = Term.objects.get(name="Interleukin-6")
    assert list(term.references.all()) == [mcinnes]
    page = client.get(term.get_absolute_url()).content.decode()
    assert "#ref-mcinnes-2007" in [href for href, _ in links(page)]


def test_term_add_with_same_relation_twice_comes_back_with_text(staff_client, mcinnes):
    target = make_term(name="Fever")
    data = term_add_form(staff_client)
    set_row(data, "relations", 0, kind="related-to", target=str(target.pk))
    set_row(data, "relations", 1, kind="related-to", target=str(target.pk))
    html = assert_refused(staff_client.post(TERM_ADD, data))
    assert any("duplicate" in message for message in error_texts(html))
    assert typed_value(html, "definition") == data["definition"]
    assert not Term.objects.filter(name="Interleukin-6").exists()


def test_term_change_with_empty_rows_and_citation_saves(staff_client, mcinnes):
    term = make_term(name="Interleukin-1", body="Old body.")
    target = make_term(name="Fever")
    TermRelation.objects.create(source=term, kind="related-to", target=target)
    data = admin_form(staff_client, change_url(term))
    assert data["relations-INITIAL_FORMS"] == "1"
    data.update(body="Cited now [@mcinnes-2007].", references=[str(mcinnes.pk)])
    set_row(data, "relations", 2, kind="related-to")
    assert_saved(staff_client.post(change_url(term), data))
    assert list(term.references.all()) == [mcinnes]
    assert list(term.relations.values_list("target__name", flat=True)) == ["Fever"]


def test_term_relation_to_itself_is_refused_with_message(staff_client):
    term = make_term(name="Interleukin-1")
    data = admin_form(staff_client, change_url(term))
    set_row(data, "relations", 0, kind="related-to", target=str(term.pk))
    html = assert_refused(staff_client.post(change_url(term), data))
    assert "A term cannot be related to itself." in error_texts(html)


@pytest.mark.parametrize("typed", ["!!!", "<b></b>"])
def test_term_tag_without_letters_is_refused_with_message(staff_client, typed):
    data = term_add_form(staff_client, body="", tags=typed)
    html = assert_refused(staff_client.post(TERM_ADD, data))
    assert field_errors(html, "tags") == [
        f"Each tag needs at least one letter or digit; remove or reword: “{typed}”."
    ]
    assert typed_value(html, "tags") == typed


def test_term_tag_whose_address_would_be_too_long_is_refused(staff_client):
    # Each "ﬁ" ligature is one character that its address spells as two.
    ligatures = "ﬁ" * 60
    data = term_add_form(staff_client, body="", tags=f"{ligatures}, joints")
    html = assert_refused(staff_client.post(TERM_ADD, data))
    assert field_errors(html, "tags") == [
        f"Each tag must be at most 100 characters; shorten: “{ligatures}”."
    ]
    assert typed_value(html, "tags") == f"{ligatures}, joints"
    assert not Term.objects.filter(name="Interleukin-6").exists()


def test_term_slug_of_another_term_is_refused_naming_that_term(staff_client):
    make_term(name="Tocilizumab", slug="tocilizumab")
    data = term_add_form(staff_client, body="", slug="tocilizumab")
    html = assert_refused(staff_client.post(TERM_ADD, data))
    assert field_errors(html, "slug") == [
        "Another term already uses this address, /glossary/tocilizumab/ "
        "(“Tocilizumab”); change the slug to give this one its own."
    ]
    assert typed_value(html, "name") == "Interleukin-6"


# References


@pytest.mark.parametrize(
    "pasted",
    [
        "PMID: 17525752",
        "https://pubmed.ncbi.nlm.nih.gov/17525752/",
        "http://www.ncbi.nlm.nih.gov/pubmed/17525752",
    ],
)
def test_reference_pmid_pasted_with_prefix_is_kept_as_digits(
    staff_client, client, pasted
):
    html = staff_client.get(REFERENCE_ADD).content.decode()
    # The browser would not cut the paste short.
    assert "maxlength" not in element(html, "input", name="pmid").attrs
    assert_saved(
        staff_client.post(REFERENCE_ADD, reference_add_form(staff_client, pmid=pasted))
    )
    assert Reference.objects.get().pmid == "17525752"
    page = client.get(reverse("references:list")).content.decode()
    assert ("https://pubmed.ncbi.nlm.nih.gov/17525752/", "17525752") in links(page)


def test_reference_impossible_date_is_refused_with_message(staff_client):
    data = reference_add_form(staff_client, month="2", day="31")
    html = assert_refused(staff_client.post(REFERENCE_ADD, data))
    assert field_errors(html, "day") == [
        "There is no day 31 in February 2007: it has 28 days."
    ]
    assert typed_value(html, "title") == data["title"]


def test_reference_key_differing_only_in_case_is_refused(staff_client, mcinnes):
    data = reference_add_form(staff_client, key="MCINNES-2007")
    html = assert_refused(staff_client.post(REFERENCE_ADD, data))
    assert (
        "A reference with this key already exists; keys ignore case, so "
        "“MCINNES-2007” and “mcinnes-2007” are one key." in error_texts(html)
    )
    assert typed_value(html, "key") == "MCINNES-2007"
    assert Reference.objects.count() == 1


def test_reference_web_page_without_url_is_saved_and_listed_to_complete(
    staff_client,
):
    data = reference_add_form(
        staff_client,
        key="biobasics-2006",
        kind="web",
        authors="",
        title="Cytokines",
        container="BioBasics",
        year="2006",
        month="4",
        day="24",
        volume="",
        issue="",
        pages="",
        doi="",
    )
    assert_saved(staff_client.post(REFERENCE_ADD, data))
    reference = Reference.objects.get()
    html = staff_client.get(reverse("admin:link-problems")).content.decode()
    section = element(html, "div", id="incomplete-references")
    assert text(element(section, "caption")) == "Incomplete references"
    assert links(section) == [(change_url(reference), "biobasics-2006")]
    assert "URL" in [text(cell) for cell in elements(section, "td")]
    index = staff_client.get(reverse("admin:index")).content.decode()
    assert "1 reference missing a detail" in text(element(index, id="content-checks"))


def test_reference_change_form_saves_unchanged(staff_client, mcinnes):
    data = admin_form(staff_client, change_url(mcinnes))
    data["pmid"] = "PMID:17525752"
    assert_saved(staff_client.post(change_url(mcinnes), data))
    mcinnes.refresh_from_db()
    assert mcinnes.pmid == "17525752"
    assert ArticleReference.objects.count() == 0


def test_article_change_swapping_two_rows_references_saves(staff_client, client):
    first = make_reference(key="first-2001", title="First source")
    second = make_reference(key="second-2002", title="Second source")
    article = make_article(references=[first, second])
    data = admin_form(staff_client, change_url(article))
    data.update(
        {
            "reference_links-0-reference": str(second.pk),
            "reference_links-1-reference": str(first.pk),
        }
    )
    assert_saved(staff_client.post(change_url(article), {**data, **SAVE_AND_PUBLISH}))
    page = client.get(article.get_absolute_url()).content.decode()
    references = element(page, "section", aria_labelledby="references-heading")
    assert [item.attrs["id"] for item in elements(references, "li")] == [
        "ref-second-2002",
        "ref-first-2001",
    ]


def test_article_change_moving_a_reference_to_a_deleted_rows_place_saves(
    staff_client,
):
    first = make_reference(key="first-2001")
    second = make_reference(key="second-2002")
    article = make_article(references=[first, second])
    data = admin_form(staff_client, change_url(article))
    data.update(
        {
            "reference_links-0-reference": str(second.pk),
            "reference_links-1-DELETE": "on",
        }
    )
    assert_saved(staff_client.post(change_url(article), {**data, **SAVE_AND_PUBLISH}))
    assert article.ordered_references() == [second]


def test_article_change_row_switched_to_newly_cited_reference_saves(
    staff_client, mcinnes
):
    first = make_reference(key="first-2001")
    article = make_article(body="Nothing cited.", references=[first])
    data = admin_form(staff_client, change_url(article))
    data.update(
        {
            "body": "Now cites [@mcinnes-2007].",
            "reference_links-0-reference": str(mcinnes.pk),
        }
    )
    assert_saved(staff_client.post(change_url(article), {**data, **SAVE_AND_PUBLISH}))
    assert article.ordered_references() == [mcinnes]


def test_term_change_moving_relations_along_saves(staff_client, client):
    term = make_term(name="Adalimumab")
    first, second, third = (
        make_term(name=name) for name in ("Arthritis", "Bursitis", "Colitis")
    )
    TermRelation.objects.create(source=term, kind="treats", target=first)
    TermRelation.objects.create(source=term, kind="treats", target=second)
    data = admin_form(staff_client, change_url(term))
    assert [data["relations-0-target"], data["relations-1-target"]] == [
        str(first.pk),
        str(second.pk),
    ]
    # The first row takes the second row's target while the second moves on.
    data.update(
        {
            "relations-0-target": str(second.pk),
            "relations-1-target": str(third.pk),
        }
    )
    assert_saved(staff_client.post(change_url(term), data))
    page = client.get(term.get_absolute_url()).content.decode()
    relations = element(page, "section", class_="relations")
    assert [name for _, name in links(element(relations, "dd"))] == [
        "Bursitis",
        "Colitis",
    ]


# Over-long text: never cut by the browser, refused whole by the form


@pytest.mark.parametrize("url", [ARTICLE_ADD, TERM_ADD, REFERENCE_ADD])
def test_admin_forms_leave_length_checks_to_the_server(staff_client, url):
    # A browser silently cuts a paste at a field's maxlength.
    html = staff_client.get(url).content.decode()
    cut = [
        field.attrs.get("name")
        for tag in ("input", "textarea")
        for field in elements(html, tag)
        if "maxlength" in field.attrs
    ]
    assert cut == []


def test_article_summary_pasted_too_long_comes_back_whole_with_the_limit(
    staff_client,
):
    summary = " ".join(["Inflammation in the joints is kept going by cytokines."] * 12)
    data = article_add_form(staff_client, summary=summary, body="No citations.")
    html = assert_refused(staff_client.post(ARTICLE_ADD, data))
    (message,) = field_errors(html, "summary")
    assert "at most 600 characters" in message
    assert f"(it has {len(summary)})" in message
    assert typed_value(html, "summary").replace("\r\n", "\n") == summary
    assert not Article.objects.filter(title="Cytokines in the joints").exists()


def test_article_body_with_a_comment_left_open_shows_all_its_text(staff_client, client):
    article = make_article(title="Dosing", slug="dosing", body="Old body.")
    data = admin_form(staff_client, change_url(article))
    data["body"] = (
        "Before the note.\n\n<!-- a note to self\n\n"
        "After the note: this paragraph matters.\n\n## Dosage\n\nTake with food."
    )
    assert_saved(staff_client.post(change_url(article), {**data, **SAVE_AND_PUBLISH}))
    page = text(client.get("/articles/dosing/").content.decode())
    assert "<!-- a note to self" in page
    assert "After the note: this paragraph matters." in page
    assert "Take with food." in page
