import pytest
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from articles.models import Article
from glossary.models import TermRelation
from tests.factories import make_article, make_reference, make_term
from tests.html import element, elements, form_data, hrefs, links, text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["articles/article", "references/reference", "glossary/term"]
)
def test_admin_add_and_list_pages_load(staff_client, model):
    app, name = model.split("/")
    assert staff_client.get(reverse(f"admin:{app}_{name}_add")).status_code == 200
    assert (
        staff_client.get(reverse(f"admin:{app}_{name}_changelist")).status_code == 200
    )


def test_admin_change_pages_load_for_each_model(staff_client):
    reference = make_reference()
    article = make_article(references=[reference], tags=["t"])
    term = make_term()
    for url in (
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:references_reference_change", args=[reference.pk]),
        reverse("admin:glossary_term_change", args=[term.pk]),
    ):
        response = staff_client.get(url)
        assert response.status_code == 200, url


def test_admin_article_change_page_links_to_site(staff_client):
    article = make_article(status=Article.Status.DRAFT)
    html = staff_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    assert (article.get_absolute_url(), "Preview draft (staff only)") in links(html)


def test_admin_reference_autocomplete_finds_by_author(staff_client):
    make_reference(authors="McInnes IB, Schett G", year=2007)
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "mcinnes",
            "app_label": "articles",
            "model_name": "articlereference",
            "field_name": "reference",
        },
    )
    texts = [result["text"] for result in response.json()["results"]]
    assert len(texts) == 1
    assert texts[0].startswith("McInnes IB 2007: ")


def article_form_data(**overrides):
    data = {
        "title": "Cytokines and the skin",
        "slug": "cytokines-and-the-skin",
        "summary": "Summary.",
        "body": "## Intro\n\nText.",
        "tags": "skin, immune system",
        "status": "published",
        "published_at_0": "2026-01-02",
        "published_at_1": "10:00:00",
        "updated_at_0": "2026-01-03",
        "updated_at_1": "10:00:00",
        "last_reviewed_on": "2026-01-01",
        "author": "A. Writer",
        "medical_reviewer": "B. Doctor",
        "reference_links-TOTAL_FORMS": "2",
        "reference_links-INITIAL_FORMS": "0",
        "reference_links-MIN_NUM_FORMS": "0",
        "reference_links-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_admin_creates_article_with_two_ordered_references(staff_client, client):
    first = make_reference(title="Second by position")
    second = make_reference(title="First by position")
    data = article_form_data(
        **{
            "reference_links-0-reference": str(first.pk),
            "reference_links-0-position": "2",
            "reference_links-1-reference": str(second.pk),
            "reference_links-1-position": "1",
        }
    )
    response = staff_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(slug="cytokines-and-the-skin")
    assert article.ordered_references() == [second, first]
    assert sorted(article.tags.names()) == ["immune system", "skin"]
    client.logout()
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.index("First by position") < html.index("Second by position")
    assertInHTML('<h2 id="intro">Intro</h2>', html)


def test_admin_rejects_same_reference_twice_with_message(staff_client):
    reference = make_reference()
    data = article_form_data(
        **{
            "reference_links-0-reference": str(reference.pk),
            "reference_links-0-position": "1",
            "reference_links-1-reference": str(reference.pk),
            "reference_links-1-position": "2",
        }
    )
    response = staff_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "Please correct the duplicate data" in response.content.decode()
    assert not Article.objects.exists()


def test_admin_term_form_saves_aliases_and_relation(staff_client):
    target = make_term(name="Tumor necrosis factor alpha")
    data = {
        "name": "Golimumab",
        "slug": "golimumab",
        "kind": "drug",
        "aliases": "Simponi\nSimponi Aria",
        "definition": "A TNF blocker.",
        "body": "",
        "tags": "",
        "relations-TOTAL_FORMS": "1",
        "relations-INITIAL_FORMS": "0",
        "relations-MIN_NUM_FORMS": "0",
        "relations-MAX_NUM_FORMS": "1000",
        "relations-0-kind": "inhibits",
        "relations-0-target": str(target.pk),
    }
    response = staff_client.post(reverse("admin:glossary_term_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    html = staff_client.get("/glossary/golimumab/").content.decode()
    assertInHTML('<span class="alias">Simponi Aria</span>', html)
    assertInHTML("<dt>Inhibits</dt>", html)


def test_admin_index_links_to_link_problems_page(staff_client):
    make_article(title="Has a gap", body="See [[Golimumab]].")
    html = staff_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:link-problems") in hrefs(html)
    assert "1 body with unresolved links or citations" in html


def test_link_problems_page_lists_bodies_in_the_admin_look(staff_client):
    article = make_article(title="Has a gap", body="See [[Golimumab]].[@nobody]")
    make_term(name="Clean term", body="Nothing to fix.")
    term = make_term(name="Gappy term", body="Cites [@missing-2020].")
    response = staff_client.get(reverse("admin:link-problems"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "admin/base_site.html" in [t.name for t in response.templates]
    assert elements(html, class_="breadcrumbs")
    change_article = reverse("admin:articles_article_change", args=[article.pk])
    change_term = reverse("admin:glossary_term_change", args=[term.pk])
    assertInHTML(f'<a href="{change_article}">Has a gap</a>', html)
    assertInHTML(f'<a href="{change_term}">Gappy term</a>', html)
    assert "Golimumab" in html and "nobody" in html and "missing-2020" in html
    assert "Clean term" not in html


def test_link_problems_page_needs_staff_login(client):
    url = reverse("admin:link-problems")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admin_term_form_change_relinks_articles_when_it_commits(
    staff_client, client, django_capture_on_commit_callbacks
):
    term = make_term(name="Adalimumab", aliases="Humira", definition="A drug.")
    other = make_term(name="Tumor necrosis factor alpha")
    TermRelation.objects.create(source=term, kind="inhibits", target=other)
    article = make_article(title="Living with arthritis", body="Many take Humira.")
    change_url = reverse("admin:glossary_term_change", args=[term.pk])
    data = form_data(staff_client.get(change_url).content.decode(), "term_form")
    assert data["relations-INITIAL_FORMS"] == "1"
    data.update(slug="adalimumab-injection", definition="A TNF blocker antibody.")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(change_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(article.get_absolute_url()).content.decode()
    assert links(page, css_class="term-link") == [
        ("/glossary/adalimumab-injection/", "Humira")
    ]
    assert "A TNF blocker antibody." in text(element(page, class_="term-preview"))
    assert list(term.relations.values_list("target", flat=True)) == [other.pk]


def test_admin_reference_form_resolves_a_waiting_citation(
    staff_client, client, django_capture_on_commit_callbacks
):
    article = make_article(title="Claims", body="A claim.[@smith-2024]")
    assert article.unknown_citations == ["smith-2024"]
    add_url = reverse("admin:references_reference_add")
    data = form_data(staff_client.get(add_url).content.decode(), "reference_form")
    data.update(
        key="smith-2024",
        authors="Smith J",
        title="A study of claims",
        container="J Test Med",
        year="2024",
        doi="https://doi.org/10.1000/xyz123",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article.refresh_from_db()
    assert article.unknown_citations == []
    page = client.get(article.get_absolute_url()).content.decode()
    assert "#ref-smith-2024" in hrefs(page)
    assert "https://doi.org/10.1000/xyz123" in hrefs(page)
    assert "A study of claims" in text(element(page, "li", id="ref-smith-2024"))
