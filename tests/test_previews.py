"""
Preview: the add and change forms of articles, terms and site pages posted
whole to their preview address show the page as readers would see it,
with nothing saved.
"""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, ArticleReference
from glossary.models import GlossaryVersion, PendingRelink, Term, TermRelation
from portal.models import Page
from tests.admin_pages import (
    admin_form,
    article_add_form,
    change_url,
    set_row,
    term_add_form,
)
from tests.factories import make_article, make_reference, make_term, sign_in
from tests.html import element, elements, links, text

pytestmark = pytest.mark.django_db

ARTICLE_PREVIEW = reverse("admin:articles_article_preview")
TERM_PREVIEW = reverse("admin:glossary_term_preview")
PAGE_PREVIEW = reverse("admin:portal_page_preview")


def listed_relations(section):
    """(label, names) of each row of a term page's list of relations."""
    return [
        (text(element(row, "dt")), text(element(row, "dd")))
        for row in elements(element(section, "dl"), "div")
    ]


def preview_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_preview", args=[obj.pk])


def banner(html):
    return text(element(html, "p", class_="unsaved-preview"))


def reference_ids(html):
    section = element(html, "section", aria_labelledby="references-heading")
    return [item.attrs["id"] for item in elements(section, "li")]


def saved_state():
    """What a save would change, counted."""
    return {
        "articles": Article.objects.count(),
        "article references": ArticleReference.objects.count(),
        "terms": Term.objects.count(),
        "relations": TermRelation.objects.count(),
        "pages": Page.objects.count(),
        "tags": Tag.objects.count(),
        "admin log": LogEntry.objects.count(),
        "relinking queue": PendingRelink.objects.count(),
        "glossary version": GlossaryVersion.current(),
    }


@pytest.fixture
def glossary():
    make_term(
        name="Tumor necrosis factor alpha",
        aliases="TNF-α\nTNF",
        kind=Term.Kind.CYTOKINE,
        definition="A messenger protein that drives inflammation.",
    )
    return {
        "mcinnes": make_reference(
            key="mcinnes-2007", authors="McInnes IB, Schett G", year=2007
        ),
        "primer": make_reference(key="primer-2001", authors="Klippel JH", year=2001),
    }


def test_article_change_and_add_forms_have_a_preview_button(staff_client):
    article = make_article()
    for url, action in [
        (reverse("admin:articles_article_add"), ARTICLE_PREVIEW),
        (change_url(article), preview_url(article)),
    ]:
        html = staff_client.get(url).content.decode()
        button = element(html, "button", name="_preview")
        assert button.attrs["formaction"] == action
        assert button.attrs["formtarget"] == "_blank"


def test_new_article_preview_shows_links_citations_and_tags_unsaved(
    staff_client, glossary
):
    data = article_add_form(
        staff_client,
        title="Blocking TNF",
        summary="What TNF-α inhibitors do.",
        body="TNF-α keeps joints swollen [@primer-2001, p. 4].",
        tags="biologics, TNF",
    )
    set_row(data, "reference_links", 0, reference=str(glossary["mcinnes"].pk))
    before = saved_state()

    response = staff_client.post(ARTICLE_PREVIEW, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert banner(html).startswith("Preview — not saved.")
    assert text(element(html, "h1")) == "Blocking TNF"
    assert ("/glossary/tumor-necrosis-factor-alpha/", "TNF-α") in links(
        html, css_class="term-link"
    )
    # The cited reference first, then the one only listed, as once saved.
    assert reference_ids(html) == ["ref-primer-2001", "ref-mcinnes-2007"]
    assert "1(p4)" in text(element(html, "div", class_="body"))
    tags = element(html, "ul", class_="tags")
    assert sorted(text(tag) for tag in elements(tags, "li")) == ["TNF", "biologics"]
    assert saved_state() == before


def test_preview_is_not_indexed_or_cached(staff_client):
    response = staff_client.post(ARTICLE_PREVIEW, article_add_form(staff_client))
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_article_change_preview_shows_the_edit_and_keeps_the_saved_article(
    staff_client, glossary
):
    article = make_article(title="Old title", body="Old text.")
    data = admin_form(staff_client, change_url(article))
    data["title"] = "New title"
    data["body"] = "New text about TNF."
    before = saved_state()

    html = staff_client.post(preview_url(article), data).content.decode()

    assert text(element(html, "h1")) == "New title"
    assert links(html, css_class="term-link")[0][1] == "TNF"
    article.refresh_from_db()
    assert (article.title, article.body) == ("Old title", "Old text.")
    assert saved_state() == before


def test_a_form_opened_before_another_editors_save_still_previews(
    staff_client, glossary
):
    article = make_article(title="Old title", body="Old text.")
    data = admin_form(staff_client, change_url(article))
    # Another editor saves while this form is open.
    other = admin_form(staff_client, change_url(article))
    other["summary"] = "Saved by someone else."
    staff_client.post(change_url(article), other)
    data["body"] = "My unsaved text about TNF."

    response = staff_client.post(preview_url(article), data)

    assert response.status_code == 200
    assert "My unsaved text about" in text(element(response.content.decode(), "main"))


def test_article_preview_of_refused_form_lists_errors_and_saves_nothing(
    staff_client, glossary
):
    data = article_add_form(staff_client, title="", status="unknown")
    for row in (0, 1):
        set_row(
            data,
            "reference_links",
            row,
            reference=str(glossary["mcinnes"].pk),
            position=str(row),
        )
    before = saved_state()

    response = staff_client.post(ARTICLE_PREVIEW, data)

    html = response.content.decode()
    assert response.status_code == 200
    listed = element(html, "ul", class_="preview-problems")
    problems = [" ".join(text(item).split()) for item in elements(listed, "li")]
    assert "Title: This field is required." in problems
    assert any(
        problem.startswith("Status: Select a valid choice") for problem in problems
    )
    assert any("duplicate" in problem for problem in problems)
    assert "Nothing was saved" in html
    assert saved_state() == before


def test_term_add_preview_shows_aliases_relations_and_body_unsaved(
    staff_client, glossary
):
    tnf = Term.objects.get(slug="tumor-necrosis-factor-alpha")
    data = term_add_form(
        staff_client,
        name="Adalimumab",
        kind="drug",
        aliases="Humira",
        definition="An antibody that blocks TNF-α.",
        body="It binds TNF [@mcinnes-2007].",
    )
    set_row(data, "relations", 0, kind="inhibits", target=str(tnf.pk))
    before = saved_state()

    html = staff_client.post(TERM_PREVIEW, data).content.decode()

    assert banner(html).startswith("Preview — not saved.")
    assert text(element(html, "h1")) == "Adalimumab"
    assert "Humira" in text(element(html, "p", class_="aliases"))
    relations = element(html, "section", aria_labelledby="relations-heading")
    assert (
        "/glossary/tumor-necrosis-factor-alpha/",
        "Tumor necrosis factor alpha",
    ) in links(relations)
    assert ("Inhibits", "Tumor necrosis factor alpha") in listed_relations(relations)
    assert reference_ids(html) == ["ref-mcinnes-2007"]
    assert saved_state() == before


def test_term_change_preview_keeps_relations_pointing_here(staff_client, glossary):
    tnf = Term.objects.get(slug="tumor-necrosis-factor-alpha")
    drug = make_term(name="Etanercept", kind=Term.Kind.DRUG)
    TermRelation.objects.create(source=drug, kind="inhibits", target=tnf)
    data = admin_form(staff_client, change_url(tnf))
    data["definition"] = "A cytokine, changed."

    html = staff_client.post(preview_url(tnf), data).content.decode()

    assert "A cytokine, changed." in text(element(html, "p", class_="definition"))
    relations = element(html, "section", aria_labelledby="relations-heading")
    assert ("Inhibited by", "Etanercept") in listed_relations(relations)
    tnf.refresh_from_db()
    assert tnf.definition == "A messenger protein that drives inflammation."


def test_page_preview_renders_markdown_unsaved(staff_client):
    data = admin_form(staff_client, reverse("admin:portal_page_add"))
    data.update(title="Contact", slug="contact", body="## Write to us\n\n*Soon*.")
    before = saved_state()

    html = staff_client.post(PAGE_PREVIEW, data).content.decode()

    assert banner(html).startswith("Preview — not saved.")
    assert text(element(html, "h2")) == "Write to us"
    assert saved_state() == before


def test_preview_needs_a_post(staff_client):
    assert staff_client.get(ARTICLE_PREVIEW).status_code == 405


def test_preview_of_a_new_article_needs_add_permission(client, django_user_model):
    editor = django_user_model.objects.create_user("viewer", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="view_article"))
    sign_in(client, editor)
    assert client.post(ARTICLE_PREVIEW, {"title": "x"}).status_code == 403


def test_preview_of_an_article_needs_change_permission(client, django_user_model):
    article = make_article()
    editor = django_user_model.objects.create_user("adder", is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_article", "view_article"])
    )
    sign_in(client, editor)
    assert client.post(preview_url(article), {"title": "x"}).status_code == 403
    assert client.post(ARTICLE_PREVIEW, {"title": ""}).status_code == 200


def test_preview_of_a_missing_article_is_404(staff_client):
    url = reverse("admin:articles_article_preview", args=[987654])
    assert staff_client.post(url, {}).status_code == 404


def test_view_only_editor_gets_no_preview_button(client, django_user_model):
    article = make_article()
    viewer = django_user_model.objects.create_user("reader", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    sign_in(client, viewer)
    html = client.get(change_url(article)).content.decode()
    assert not elements(html, "button", name="_preview")
