import pytest
from pytest_django.asserts import assertInHTML

from glossary.models import TermRelation
from tests.factories import make_article, make_term
from tests.html import ids, links

pytestmark = pytest.mark.django_db


def test_term_page_shows_definition_aliases_kind_and_relations(client, demo):
    html = client.get("/glossary/adalimumab/").content.decode()
    assertInHTML("<h1>Adalimumab</h1>", html)
    assertInHTML('<span class="alias">Humira</span>', html)
    assert "Drug" in [text for _, text in links(html)]
    assert "fully human monoclonal antibody" in html
    assertInHTML(
        '<dt>Inhibits</dt><dd><a href="/glossary/tnf-alpha/">'
        "Tumor necrosis factor alpha</a></dd>",
        html,
    )
    assert "ref-mcinnes-2007" in ids(html)


def test_target_term_shows_inverse_relation_grouped(client, demo):
    html = client.get("/glossary/tnf-alpha/").content.decode()
    assertInHTML(
        '<dt>Inhibited by</dt><dd><a href="/glossary/adalimumab/">Adalimumab</a>, '
        '<a href="/glossary/etanercept/">Etanercept</a>, '
        '<a href="/glossary/infliximab/">Infliximab</a></dd>',
        html,
    )


def test_unknown_term_is_404(client):
    assert client.get("/glossary/no-such-term/").status_code == 404


def alias_rows(term):
    return list(
        term.search_entries.filter(source="alias").values_list("text", flat=True)
    )


def test_term_aliases_are_stored_one_row_each_without_repeats():
    term = make_term(name="Golimumab", aliases="Simponi\n  simponi \n\nGLM\n")
    assert term.aliases == "Simponi\nGLM"
    assert alias_rows(term) == ["Simponi", "GLM"]
    term.aliases = "GLM\nSimponi Aria"
    term.save()
    assert alias_rows(term) == ["GLM", "Simponi Aria"]


def test_term_slug_clash_gets_numbered_suffix():
    make_term(name="TNF", slug="tnf")
    assert make_term(name="T.N.F.").slug == "tnf-2"


@pytest.mark.parametrize("count", [1, 15])
def test_term_page_query_count_does_not_grow_with_relations(
    client, django_assert_num_queries, count
):
    term = make_term(name="Hub")
    for n in range(count):
        other = make_term(name=f"Spoke {n}")
        TermRelation.objects.create(source=other, kind="inhibits", target=term)
        TermRelation.objects.create(source=term, kind="related-to", target=other)
        make_article(title=f"Mentions hub {n}", body="Hub.")
    # Term, tags, references, relations both ways, mentioning articles,
    # mentioning terms, the footer's site pages, and when the next scheduled
    # article comes due (until then the page is kept).
    with django_assert_num_queries(9):
        response = client.get(term.get_absolute_url())
    assert response.content.decode().count("Mentions hub") == count
