import re

import pytest
from django.core.management import call_command

from articles.models import Article, ArticleReference, Reviewer
from glossary.models import SearchEntry, Term, TermRelation
from portal.management.commands.load_demo import read_json
from portal.models import DemoRow
from references.models import Reference
from tests.admin_pages import SAVE_AND_PUBLISH, admin_form, change_url
from tests.factories import make_article, make_reference
from tests.html import element, elements, hrefs, text

pytestmark = pytest.mark.django_db

MODELS = [
    Article,
    ArticleReference,
    Reference,
    Reviewer,
    Term,
    SearchEntry,
    TermRelation,
]


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_load_demo_twice_leaves_same_row_counts():
    call_command("load_demo", verbosity=0)
    first = row_counts()
    call_command("load_demo", verbosity=0)
    assert row_counts() == first
    assert first["Term"] >= 15
    assert first["Reference"] == 3
    assert first["Reviewer"] == 1
    article = Article.objects.get(slug="what-are-cytokines")
    assert article.is_published is True
    assert str(article.medical_reviewer) == "Medical review panel"


def demo_definition(slug):
    (term,) = [term for term in read_json("terms.json") if term["slug"] == slug]
    return term["definition"]


def summary_of(capsys):
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "Demo content loaded."
    return dict(line.split(": ") for line in lines[:-1])


def test_load_demo_second_run_reports_everything_kept(capsys):
    call_command("load_demo")
    capsys.readouterr()
    call_command("load_demo")
    summary = summary_of(capsys)
    assert list(summary) == ["References", "Terms", "Relations", "Articles"]
    for counts in summary.values():
        assert re.fullmatch(r"0 created, [1-9]\d* kept", counts)


def edit_demo_as_an_editor():
    article = Article.objects.get(slug="what-are-cytokines")
    article.title = "Cytokines explained"
    article.save()
    article.tags.set(["edited"])
    article.reference_links.filter(reference__key="primer-12-cytokines").delete()
    term = Term.objects.get(slug="adalimumab")
    term.definition = "An antibody medicine that blocks TNF-alpha."
    term.save()
    term.relations.all().delete()
    Reference.objects.filter(key="mcinnes-2007").update(title="Edited title")
    Reference.objects.filter(key="biobasics-2006").update(url="https://a.example/")


def demo_as_it_stands():
    article = Article.objects.get(slug="what-are-cytokines")
    term = Term.objects.get(slug="adalimumab")
    return {
        "article title": article.title,
        "article tags": sorted(article.tags.names()),
        "reference list": [ref.key for ref in article.ordered_references()],
        "definition": term.definition,
        "relations": term.relations.count(),
        "reference title": Reference.objects.get(key="mcinnes-2007").title,
        "web page URL": Reference.objects.get(key="biobasics-2006").url,
    }


def test_load_demo_again_keeps_editors_changes_and_adds_what_is_missing(capsys, client):
    call_command("load_demo", verbosity=0)
    edit_demo_as_an_editor()
    edited = demo_as_it_stands()
    # An entry the data has gained since the last run: no row, no record.
    Term.objects.get(slug="etanercept").delete()
    DemoRow.objects.get(entry="term:etanercept").delete()
    call_command("load_demo")
    summary = summary_of(capsys)
    assert demo_as_it_stands() == edited
    assert summary["Terms"].startswith("1 created, ")
    assert summary["Articles"] == "0 created, 3 kept"
    page = client.get("/articles/what-are-cytokines/").content.decode()
    assert "<h1>Cytokines explained</h1>" in page
    assert Term.objects.get(slug="etanercept").relations.exists()


def test_load_demo_reset_restores_the_demo(capsys):
    call_command("load_demo", verbosity=0)
    edit_demo_as_an_editor()
    call_command("load_demo", reset=True)
    summary = summary_of(capsys)
    assert demo_as_it_stands() == {
        "article title": "What are cytokines?",
        "article tags": [
            "immune system",
            "inflammation",
            "rheumatoid arthritis",
            "treatment",
        ],
        "reference list": ["mcinnes-2007", "biobasics-2006", "primer-12-cytokines"],
        "definition": demo_definition("adalimumab"),
        "relations": 4,
        "reference title": "Cytokines in the pathogenesis of rheumatoid arthritis",
        "web page URL": "",
    }
    assert summary["Articles"] == "0 created, 1 updated, 2 unchanged"
    assert summary["Terms"].startswith("0 created, 1 updated, ")


def test_load_demo_gives_drugs_brand_aliases_and_targets(demo):
    brands = {
        "anakinra": "Kineret",
        "etanercept": "Enbrel",
        "infliximab": "Remicade",
        "adalimumab": "Humira",
    }
    for slug, brand in brands.items():
        term = Term.objects.get(slug=slug)
        assert brand in term.alias_list
        assert term.relations.filter(kind="inhibits").exists()
    assert "TNF-α" in Term.objects.get(slug="tnf-alpha").alias_list


def change_in_admin(client, obj, **fields):
    """Post `obj`'s whole admin change form with `fields` changed."""
    url = change_url(obj)
    data = admin_form(client, url)
    data.update(fields)
    # An edit of the published demo article goes live at once, as a
    # publisher's; other forms ignore the button.
    data.update(SAVE_AND_PUBLISH)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_load_demo_keeps_a_term_whose_slug_an_editor_changed(staff_client, capsys):
    call_command("load_demo", verbosity=0)
    terms_before = Term.objects.count()
    change_in_admin(
        staff_client, Term.objects.get(slug="etanercept"), slug="etanercept-enbrel"
    )
    call_command("load_demo")
    summary = summary_of(capsys)
    assert summary["Terms"] == f"0 created, {terms_before} kept"
    assert Term.objects.count() == terms_before
    response = staff_client.get("/glossary/etanercept/")
    assert response.status_code == 301
    assert response["Location"] == "/glossary/etanercept-enbrel/"


def test_load_demo_reset_restores_a_term_whose_slug_an_editor_changed(
    staff_client, capsys
):
    call_command("load_demo", verbosity=0)
    terms_before = Term.objects.count()
    change_in_admin(
        staff_client, Term.objects.get(slug="etanercept"), slug="etanercept-enbrel"
    )
    call_command("load_demo", reset=True)
    summary = summary_of(capsys)
    assert summary["Terms"].startswith("0 created, 1 updated, ")
    assert Term.objects.count() == terms_before
    assert staff_client.get("/glossary/etanercept/").status_code == 200
    response = staff_client.get("/glossary/etanercept-enbrel/")
    assert response["Location"] == "/glossary/etanercept/"


def move_demo_article_and_rekey_primer(client):
    change_in_admin(
        client,
        Article.objects.get(slug="what-are-cytokines"),
        slug="cytokines-explained",
    )
    change_in_admin(
        client,
        Reference.objects.get(key="primer-12-cytokines"),
        key="primer-12th-ed",
    )


def test_load_demo_recreates_nothing_an_editor_moved_or_rekeyed(
    staff_client, client, capsys
):
    call_command("load_demo", verbosity=0)
    move_demo_article_and_rekey_primer(staff_client)
    call_command("load_demo")
    summary = summary_of(capsys)
    assert summary["References"] == "0 created, 3 kept"
    assert summary["Articles"] == "0 created, 3 kept"
    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "biologic-medicines-for-rheumatoid-arthritis",
        "cytokines-explained",
        "interleukin-1-and-inflammation",
    ]
    assert sorted(Reference.objects.values_list("key", flat=True)) == [
        "biobasics-2006",
        "mcinnes-2007",
        "primer-12th-ed",
    ]
    response = client.get("/articles/what-are-cytokines/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/cytokines-explained/"


def test_load_demo_reset_puts_moved_article_and_rekeyed_reference_back(
    staff_client, capsys
):
    call_command("load_demo", verbosity=0)
    move_demo_article_and_rekey_primer(staff_client)
    call_command("load_demo", reset=True)
    summary = summary_of(capsys)
    assert summary["References"] == "0 created, 1 updated, 2 unchanged"
    assert summary["Articles"] == "0 created, 1 updated, 2 unchanged"
    article = Article.objects.get(title="What are cytokines?")
    assert article.slug == "what-are-cytokines"
    assert [ref.key for ref in article.ordered_references()] == [
        "mcinnes-2007",
        "biobasics-2006",
        "primer-12-cytokines",
    ]


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param({"key": "McInnes-2007"}, id="key in other case"),
        pytest.param({"key": "ibm-1", "title": "Changed"}, id="doi"),
        pytest.param({"key": "ibm-2", "title": "Changed", "doi": ""}, id="pmid"),
        pytest.param({"key": "ibm-3", "doi": "", "pmid": ""}, id="title and year"),
    ],
)
def test_load_demo_recognises_a_reference_by_any_identity(edit):
    call_command("load_demo", verbosity=0)
    Reference.objects.filter(key="mcinnes-2007").update(**edit)
    call_command("load_demo", verbosity=0)
    assert Reference.objects.count() == 3


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param({"slug": "tnf-blocker-enbrel"}, id="name"),
        pytest.param(
            {"slug": "enbrel", "name": "Enbrel", "aliases": "ETANERCEPT"},
            id="alias read as search reads it",
        ),
    ],
)
def test_load_demo_recognises_a_term_by_name_or_alias(edit):
    call_command("load_demo", verbosity=0)
    terms_before = Term.objects.count()
    # A bulk update leaves no old-slug redirect behind.
    Term.objects.filter(slug="etanercept").update(**edit)
    term = Term.objects.get(slug=edit["slug"])
    term.sync_search_entries()
    call_command("load_demo", verbosity=0)
    assert Term.objects.count() == terms_before
    call_command("load_demo", reset=True, verbosity=0)
    term.refresh_from_db()
    assert (term.slug, term.name) == ("etanercept", "Etanercept")


def output_lines(capsys):
    return capsys.readouterr().out.splitlines()


def reference_list_on(client, url):
    page = client.get(url).content.decode()
    return [
        text(item)
        for item in elements(element(page, "section", class_="references"), "li")
    ]


def test_load_demo_reset_leaves_editors_rows_with_the_demo_slug_and_key_alone(
    client, capsys, django_capture_on_commit_callbacks
):
    call_command("load_demo", verbosity=0)
    # Bodies citing a re-keyed reference are rendered again on commit.
    with django_capture_on_commit_callbacks(execute=True):
        demo_article = Article.objects.get(slug="what-are-cytokines")
        demo_article.slug = "cytokines-explained-2"
        demo_article.save()
        make_article(
            title="What are cytokines? (patient leaflet)",
            slug="what-are-cytokines",
            body="EDITOR OWN LEAFLET BODY.",
        )
        demo_reference = Reference.objects.get(key="mcinnes-2007")
        demo_reference.key = "mcinnes-2007-review"
        demo_reference.save()
        other_paper = make_reference(
            key="mcinnes-2007",
            title="A different 2007 paper on TNF",
            authors="",
            container="Lancet",
            year=2007,
        )

    call_command("load_demo", reset=True)

    assert output_lines(capsys)[:2] == [
        "Demo reference:mcinnes-2007 keeps the key “mcinnes-2007-review”: another "
        "reference has “mcinnes-2007”, and it is left as it is.",
        "Demo article:what-are-cytokines keeps the slug “cytokines-explained-2”: "
        "another article has “what-are-cytokines”, and it is left as it is.",
    ]
    leaflet_page = client.get("/articles/what-are-cytokines/").content.decode()
    assert text(element(leaflet_page, "h1")) == "What are cytokines? (patient leaflet)"
    assert "EDITOR OWN LEAFLET BODY." in text(leaflet_page)
    demo_page = client.get("/articles/cytokines-explained-2/").content.decode()
    assert text(element(demo_page, "h1")) == "What are cytokines?"
    # The demo body cites the demo paper, by the key it kept.
    citations = {href for href in hrefs(demo_page) if href.startswith("#ref-")}
    assert "#ref-mcinnes-2007-review" in citations
    assert "#ref-mcinnes-2007" not in citations
    demo_list = reference_list_on(client, "/articles/cytokines-explained-2/")
    assert any("Cytokines in the pathogenesis" in item for item in demo_list)
    assert not any("A different 2007 paper" in item for item in demo_list)
    other_paper.refresh_from_db()
    assert (other_paper.key, other_paper.title, other_paper.doi, other_paper.pmid) == (
        "mcinnes-2007",
        "A different 2007 paper on TNF",
        "",
        "",
    )
    assert Reference.objects.filter(doi="10.1038/nri2094").get().pk == (
        demo_reference.pk
    )
    assert Article.objects.count() == 4


def test_load_demo_reset_gives_a_recreated_row_a_free_slug(capsys):
    call_command("load_demo", verbosity=0)
    Article.objects.get(slug="what-are-cytokines").delete()
    leaflet = make_article(slug="what-are-cytokines", body="EDITOR OWN LEAFLET BODY.")
    call_command("load_demo", reset=True)
    assert output_lines(capsys)[0] == (
        "Demo article:what-are-cytokines gets the slug “what-are-cytokines-2”: "
        "another article has “what-are-cytokines”, and it is left as it is."
    )
    leaflet.refresh_from_db()
    assert (leaflet.slug, leaflet.body) == (
        "what-are-cytokines",
        "EDITOR OWN LEAFLET BODY.",
    )
    assert Article.objects.get(slug="what-are-cytokines-2").title == (
        "What are cytokines?"
    )


def test_load_demo_recreates_a_deleted_demo_term_only_on_reset(client, capsys):
    call_command("load_demo", verbosity=0)
    terms_before = Term.objects.count()
    Term.objects.get(slug="etanercept").delete()
    call_command("load_demo")
    assert summary_of(capsys)["Terms"] == f"0 created, {terms_before} kept"
    assert client.get("/glossary/etanercept/").status_code == 404
    call_command("load_demo", reset=True)
    assert summary_of(capsys)["Terms"].startswith("1 created, 0 updated, ")
    assert client.get("/glossary/etanercept/").status_code == 200
    assert Term.objects.get(slug="etanercept").relations.exists()
    call_command("load_demo")
    assert summary_of(capsys)["Terms"] == f"0 created, {terms_before} kept"


def demo_entries():
    return sorted(
        [f"reference:{data['key']}" for data in read_json("references.json")]
        + [f"term:{data['slug']}" for data in read_json("terms.json")]
        + [f"article:{data['slug']}" for data in read_json("articles.json")]
    )


def test_load_demo_adopts_rows_loaded_before_they_were_recorded(capsys):
    call_command("load_demo", verbosity=0)
    loaded = row_counts()
    # A database loaded before demo rows were recorded.
    DemoRow.objects.all().delete()
    call_command("load_demo")
    summary = summary_of(capsys)
    assert row_counts() == loaded
    assert summary["Terms"] == f"0 created, {loaded['Term']} kept"
    records = DemoRow.objects.order_by("entry")
    assert [record.entry for record in records] == demo_entries()
    assert [str(record.row.pk) for record in records if record.row] == [
        str(record.object_id) for record in records
    ]
    # Adopted rows are the demo's from now on: one deleted stays deleted.
    Article.objects.get(slug="what-are-cytokines").delete()
    call_command("load_demo", verbosity=0)
    assert Article.objects.filter(title="What are cytokines?").exists() is False


def test_load_demo_adopts_the_demo_reference_not_an_editors_with_its_key(capsys):
    call_command("load_demo", verbosity=0)
    demo_reference = Reference.objects.get(key="mcinnes-2007")
    demo_reference.key = "mcinnes-2007-review"
    demo_reference.save()
    other_paper = make_reference(key="mcinnes-2007", title="A different 2007 paper")
    # A database loaded before demo rows were recorded.
    DemoRow.objects.all().delete()
    call_command("load_demo", verbosity=0)
    call_command("load_demo", reset=True)
    assert "Demo reference:mcinnes-2007 keeps the key “mcinnes-2007-review”" in (
        capsys.readouterr().out
    )
    other_paper.refresh_from_db()
    assert (other_paper.title, other_paper.doi) == ("A different 2007 paper", "")
    demo_reference.refresh_from_db()
    assert demo_reference.doi == "10.1038/nri2094"
