import pytest
from django.urls import reverse

from articles.models import Article
from tests.admin_pages import admin_form
from tests.factories import make_article, make_reference, make_term, sign_in
from tests.html import element, elements, text

pytestmark = pytest.mark.django_db

MARKER_CLASSES = ("unresolved-link", "citation-missing")


def body_of(page):
    return element(page, "div", class_="body")


def markers(html):
    """(class, text) of every editors' marker, in order."""
    return [
        (css_class, marker.text)
        for css_class in MARKER_CLASSES
        for marker in elements(html, class_=css_class)
    ]


def warnings(page):
    return [item.text for item in elements(page, "li", class_="warning")]


@pytest.fixture
def article_with_problems():
    make_reference(key="alpha")
    return make_article(
        title="Has gaps",
        body="See [[Golimumab|golimumab]] for more.[@alpha; @nobody-2020]"
        " Also this.[@nobody-2020]",
    )


def test_visitors_see_unresolved_links_and_citations_as_plain_text(
    client, article_with_problems
):
    page = client.get(article_with_problems.get_absolute_url()).content.decode()
    body = body_of(page)
    assert markers(body) == []
    assert text(body).strip() == "See golimumab for more.1 Also this."
    assert "nobody-2020" not in page
    assert "<!--" not in page


def test_staff_see_unresolved_links_and_citations_marked(
    staff_client, article_with_problems
):
    page = staff_client.get(article_with_problems.get_absolute_url()).content.decode()
    body = body_of(page)
    assert markers(body) == [
        ("unresolved-link", "golimumab"),
        ("citation-missing", "@nobody-2020?"),
        ("citation-missing", "@nobody-2020?"),
    ]
    unresolved = element(body, class_="unresolved-link")
    assert unresolved.attrs["title"] == "No glossary entry called Golimumab"
    assert [sup.text for sup in elements(body, "sup", class_="citation")] == [
        "1,@nobody-2020?",
        "@nobody-2020?",
    ]


def test_staff_preview_of_a_draft_shows_markers(staff_client):
    draft = make_article(status=Article.Status.DRAFT, body="See [[Golimumab]].")
    page = staff_client.get(draft.get_absolute_url()).content.decode()
    assert markers(body_of(page)) == [("unresolved-link", "Golimumab")]


def test_term_page_marks_problems_for_staff_only(client, admin_user):
    term = make_term(name="Etanercept", body="Compare [[Golimumab]].[@nobody-2020]")
    page = client.get(term.get_absolute_url()).content.decode()
    assert markers(body_of(page)) == []
    assert text(body_of(page)).strip() == "Compare Golimumab."
    sign_in(client, admin_user)
    page = client.get(term.get_absolute_url()).content.decode()
    assert markers(body_of(page)) == [
        ("unresolved-link", "Golimumab"),
        ("citation-missing", "@nobody-2020?"),
    ]


def test_only_bodies_with_problems_are_changed_for_visitors(client, admin_user):
    make_reference(key="alpha")
    clean = make_article(body="A claim.[@alpha] Nothing to fix.")
    gappy = make_article(body="A claim.[@alpha] See [[Golimumab]].")
    page = client.get(clean.get_absolute_url()).content.decode()
    assert clean.body_html in page
    page = client.get(gappy.get_absolute_url()).content.decode()
    assert gappy.body_html not in page
    sign_in(client, admin_user)
    page = client.get(gappy.get_absolute_url()).content.decode()
    assert gappy.body_html in page


def post_article_form(staff_client, **changes):
    add_url = reverse("admin:articles_article_add")
    data = admin_form(staff_client, add_url)
    data.update(title="Joints and cytokines", slug="joints-and-cytokines", **changes)
    return staff_client.post(add_url, data, follow=True)


def test_saving_a_published_article_with_problems_warns_naming_them(staff_client):
    response = post_article_form(
        staff_client,
        status="published",
        body="See [[Golimumab]].[@nobody-2020] And [@alpha,].",
    )
    assert response.redirect_chain, response.content.decode()[:3000]
    (warning,) = warnings(response.content.decode())
    assert "[[Golimumab]]" in warning
    assert "[@nobody-2020]" in warning
    assert "[@alpha,]" in warning
    assert "visitors see as plain text" in warning


def test_saving_a_draft_or_a_clean_article_does_not_warn(staff_client):
    response = post_article_form(
        staff_client, status="draft", body="See [[Golimumab]]."
    )
    assert response.redirect_chain, response.content.decode()[:3000]
    assert warnings(response.content.decode()) == []
    article = Article.objects.get(slug="joints-and-cytokines")
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    data = admin_form(staff_client, change_url)
    data.update(status="published", body="Nothing to fix.")
    response = staff_client.post(change_url, data, follow=True)
    assert response.redirect_chain, response.content.decode()[:3000]
    assert warnings(response.content.decode()) == []


def test_changing_a_term_with_problems_warns_naming_them(staff_client):
    term = make_term(name="Etanercept")
    change_url = reverse("admin:glossary_term_change", args=[term.pk])
    data = admin_form(staff_client, change_url)
    data.update(body="Compare [[Golimumab]].[@Nobody-2020]")
    response = staff_client.post(change_url, data, follow=True)
    assert response.redirect_chain, response.content.decode()[:3000]
    (warning,) = warnings(response.content.decode())
    assert "“Etanercept”" in warning
    assert "[[Golimumab]], [@Nobody-2020]" in warning
