"""
The schema.org JSON-LD of articles, glossary terms, the glossary index and
every page's breadcrumbs, as search engines read it.
"""

import pytest

from articles.models import Reviewer
from glossary.models import Term
from references.models import Reference
from references.structured_data import citation_data
from tests.factories import make_article, make_reference, make_term
from tests.html import elements, json_ld

pytestmark = pytest.mark.django_db

ARTICLE = "/articles/what-are-cytokines/"
SITE = "http://testserver"
# Typed by an editor: it must stay text inside the JSON-LD, never end the
# <script> element or open a comment there.
BREAKOUT = "Risks </script><script>alert(1)</script> <!-- and ends"


def of_type(blocks, schema_type):
    """The one block of `schema_type` (a drug's type is a list)."""
    found = [
        block
        for block in blocks
        if block["@type"] == schema_type
        or (isinstance(block["@type"], list) and schema_type in block["@type"])
    ]
    assert len(found) == 1, f"expected one {schema_type}, found {len(found)}"
    return found[0]


@pytest.fixture
def article_page(client, demo):
    return of_type(json_ld(client.get(ARTICLE).content.decode()), "MedicalWebPage")


def test_article_json_ld_describes_the_page(article_page):
    assert article_page["@context"] == "https://schema.org"
    assert article_page["headline"] == "What are cytokines?"
    assert article_page["description"].startswith("Cytokines are the protein messages")
    assert article_page["url"] == SITE + ARTICLE
    assert article_page["inLanguage"] == "en-GB"
    assert article_page["datePublished"] == "2026-11-02T09:00:00+00:00"
    assert article_page["dateModified"] == "2026-11-20T09:00:00+00:00"
    assert article_page["lastReviewed"] == "2026-11-18"
    # The demo's author and reviewer are groups.
    assert article_page["author"] == {
        "@type": "Organization",
        "name": "Editorial team",
    }
    assert article_page["reviewedBy"] == {
        "@type": "Organization",
        "name": "Medical review panel",
    }
    assert article_page["publisher"] == {
        "@type": "Organization",
        "name": "Cytokine Health Library",
        "url": SITE + "/",
    }


def test_article_json_ld_is_about_the_terms_it_mentions(article_page):
    about = article_page["about"]
    assert {
        "@type": "DefinedTerm",
        "name": "Tumor necrosis factor alpha",
        "url": SITE + "/glossary/tnf-alpha/",
    } in about
    assert SITE + "/glossary/adalimumab/" in [term["url"] for term in about]


def test_article_json_ld_cites_each_reference_with_its_identifiers(article_page):
    citations = {citation["name"]: citation for citation in article_page["citation"]}
    assert len(citations) == 3
    mcinnes = citations["Cytokines in the pathogenesis of rheumatoid arthritis"]
    assert mcinnes["@type"] == "ScholarlyArticle"
    assert mcinnes["author"] == [
        {"@type": "Person", "name": "McInnes IB"},
        {"@type": "Person", "name": "Schett G"},
    ]
    assert mcinnes["datePublished"] == "2007-06"
    assert mcinnes["isPartOf"] == {"@type": "Periodical", "name": "Nat Rev Immunol"}
    assert mcinnes["sameAs"] == "https://doi.org/10.1038/nri2094"
    assert mcinnes["identifier"] == [
        {"@type": "PropertyValue", "propertyID": "DOI", "value": "10.1038/nri2094"},
        {"@type": "PropertyValue", "propertyID": "PMID", "value": "17525752"},
    ]
    chapter = citations["Growth factors and cytokines"]
    assert chapter["@type"] == "Chapter"
    # The editors and edition are the book's, which the chapter is part of.
    book = chapter["isPartOf"]
    assert (book["@type"], book["name"], book["bookEdition"]) == (
        "Book",
        "Primer on the Rheumatic Diseases",
        "12th ed.",
    )
    assert book["editor"][0] == {"@type": "Person", "name": "Klippel JH"}
    assert citations["Cytokines"]["@type"] == "WebPage"


def test_article_json_ld_names_the_reviewer_with_credentials(client):
    reviewer = Reviewer.objects.create(name="Dr Jane Roe", credentials="MD, FRCP")
    article = make_article(medical_reviewer=reviewer)
    blocks = json_ld(client.get(article.get_absolute_url()).content.decode())
    assert of_type(blocks, "MedicalWebPage")["reviewedBy"] == {
        "@type": "Person",
        "name": "Dr Jane Roe",
        "honorificSuffix": "MD, FRCP",
    }


@pytest.mark.parametrize(
    ("kind", "schema_type"),
    [
        (Reference.Kind.JOURNAL_ARTICLE, "ScholarlyArticle"),
        (Reference.Kind.BOOK, "Book"),
        (Reference.Kind.BOOK_CHAPTER, "Chapter"),
        (Reference.Kind.WEB_PAGE, "WebPage"),
    ],
)
def test_citation_type_follows_the_reference_kind(kind, schema_type):
    reference = make_reference(kind=kind, url="https://example.org/source")
    data = citation_data(reference)
    assert data["@type"] == schema_type
    assert data["url"] == "https://example.org/source"
    assert "identifier" not in data


def test_drug_term_json_ld_is_a_drug_named_by_brand_and_generic_name(client, demo):
    blocks = json_ld(client.get("/glossary/adalimumab/").content.decode())
    term = of_type(blocks, "Drug")
    assert term["@type"] == ["DefinedTerm", "Drug"]
    assert term["name"] == "Adalimumab"
    assert term["nonProprietaryName"] == "Adalimumab"
    assert term["proprietaryName"] == ["Humira"]
    assert term["alternateName"] == ["Humira"]
    assert term["description"] == Term.objects.get(slug="adalimumab").definition
    assert term["url"] == SITE + "/glossary/adalimumab/"
    assert term["inDefinedTermSet"]["url"] == SITE + "/glossary/"


def test_other_term_json_ld_is_a_defined_term_with_its_aliases(client, demo):
    blocks = json_ld(client.get("/glossary/tnf-alpha/").content.decode())
    term = of_type(blocks, "DefinedTerm")
    assert term["name"] == "Tumor necrosis factor alpha"
    assert "TNF-α" in term["alternateName"]
    assert "proprietaryName" not in term


def test_brand_names_are_a_drugs_capitalised_aliases_not_abbreviations():
    drug = make_term(
        name="Methotrexate",
        kind=Term.Kind.DRUG,
        aliases="MTX\nTrexall\nmethotrexate sodium\nOtrexup\nmAb-free",
    )
    assert drug.brand_names == ["Trexall", "Otrexup"]
    concept = make_term(name="Cytokine storm", aliases="Cytokine release syndrome")
    assert concept.brand_names == []


def test_glossary_index_json_ld_lists_the_terms_on_the_page(client, demo):
    html = client.get("/glossary/?kind=drug").content.decode()
    term_set = of_type(json_ld(html), "DefinedTermSet")
    assert term_set["url"] == SITE + "/glossary/"
    # The index's first page lists the drugs under A, and so does its data.
    assert [term["name"] for term in term_set["hasDefinedTerm"]] == [
        "Adalimumab",
        "Anakinra",
    ]
    html = client.get("/glossary/letter/e/?kind=drug").content.decode()
    term_set = of_type(json_ld(html), "DefinedTermSet")
    assert [term["name"] for term in term_set["hasDefinedTerm"]] == ["Etanercept"]
    trail = of_type(json_ld(html), "BreadcrumbList")["itemListElement"]
    assert [crumb["name"] for crumb in trail] == ["Home", "Glossary", "E"]
    assert term_set["hasDefinedTerm"][0]["url"] == SITE + "/glossary/etanercept/"


def test_breadcrumb_json_ld_follows_the_visible_trail(client, demo):
    html = client.get("/glossary/adalimumab/").content.decode()
    crumbs = of_type(json_ld(html), "BreadcrumbList")["itemListElement"]
    assert [(crumb["position"], crumb["name"], crumb["item"]) for crumb in crumbs] == [
        (1, "Home", SITE + "/"),
        (2, "Glossary", SITE + "/glossary/"),
        (3, "Adalimumab", SITE + "/glossary/adalimumab/"),
    ]


def script_types(html):
    return [script.attrs.get("type", "src") for script in elements(html, "script")]


def test_script_typed_in_article_stays_text_in_its_json_ld(client):
    article = make_article(title=BREAKOUT, summary=BREAKOUT)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert script_types(html).count("application/ld+json") == 2
    page = of_type(json_ld(html), "MedicalWebPage")
    assert page["headline"] == BREAKOUT
    assert page["description"] == BREAKOUT
    crumbs = of_type(json_ld(html), "BreadcrumbList")["itemListElement"]
    assert crumbs[-1]["name"] == BREAKOUT


def test_script_typed_in_term_stays_text_in_its_json_ld(client):
    term = make_term(name="Storm factor", definition=BREAKOUT, aliases=BREAKOUT)
    html = client.get(term.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert script_types(html).count("application/ld+json") == 2
    data = of_type(json_ld(html), "DefinedTerm")
    assert data["description"] == BREAKOUT
    assert data["alternateName"] == [BREAKOUT]


def test_article_json_ld_names_a_person_author_as_a_person(client):
    article = make_article(author="Anna Berg")
    blocks = json_ld(client.get(article.get_absolute_url()).content.decode())
    assert of_type(blocks, "MedicalWebPage")["author"] == {
        "@type": "Person",
        "name": "Anna Berg",
    }


def test_every_page_of_the_glossary_describes_the_one_term_set(client, demo):
    sets = [
        of_type(json_ld(client.get(path).content.decode()), "DefinedTermSet")
        for path in ("/glossary/", "/glossary/letter/t/")
    ]
    assert {term_set["@id"] for term_set in sets} == {SITE + "/glossary/"}


def test_error_pages_offer_no_structured_data(client, demo):
    for path in ("/no-such-page/", "/glossary/letter/zz/", "/glossary/?page=abc"):
        response = client.get(path)
        assert response.status_code in (400, 404), path
        assert json_ld(response.content.decode()) == [], path
