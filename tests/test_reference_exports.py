import datetime
import json

import bibtexparser
import pytest
import rispy
from bibtexparser import middlewares
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from articles.models import ArticleReference
from references.entries import FILLED_FIELDS, read_entry
from references.exports import to_bibtex, to_csl_json, to_ris
from references.models import Reference
from tests.factories import make_article, make_reference
from tests.html import element, elements, links

Kind = Reference.Kind

# Tricky data: particles, accents and a suffix in names, a body as author,
# LaTeX's special characters and curly quotes in titles.
JOURNAL_ARTICLE = Reference(
    key="van-der-berg-2021",
    kind=Kind.JOURNAL_ARTICLE,
    authors="van der Berg J, Müller KH, O’Brien P Jr, et al",
    title="TNF & IL-6: 50% of {responders} in use_case #2 ~ “curly” C:\\trials",
    container="Ann Rheum Dis",
    year=2021,
    month=3,
    day=14,
    volume="80",
    issue="3",
    pages="301-309",
    doi="10.1136/annrheumdis-2020_218",
    pmid="33495156",
)
BOOK = Reference(
    key="who-2019",
    kind=Kind.BOOK,
    authors="World Health Organization",
    title="Guidelines for R&D: a {draft",
    edition="2",
    publisher="WHO Press",
    year=2019,
)
BOOK_CHAPTER = Reference(
    key="emile-2001",
    kind=Kind.BOOK_CHAPTER,
    authors="Émile Z, Ng L",
    title="Growth factors and cytokines",
    container="Primer on the Rheumatic Diseases",
    editors="Klippel JH, van Vollenhoven RF",
    edition="12",
    publisher="Arthritis Foundation",
    year=2001,
    pages="112–120",
)
WEB_PAGE = Reference(
    key="biobasics-2006",
    kind=Kind.WEB_PAGE,
    title="Cytokines} % overview",
    container="BioBasics",
    publisher="Univ. Saskatchewan",
    year=2006,
    month=4,
    day=24,
    url="https://example.org/cytokines?a=1&b=%20x_y#top",
    accessed_on=datetime.date(2026, 11, 1),
)
REFERENCES = [JOURNAL_ARTICLE, BOOK, BOOK_CHAPTER, WEB_PAGE]


def form_fields(reference):
    """The reference's fields as the reference form holds them (text)."""
    return {
        name: str(value) if value is not None else ""
        for name, value in ((n, getattr(reference, n)) for n in FILLED_FIELDS)
    }


def form_fields_read_back(reference):
    """What the fields hold once a reference manager's entry is pasted back."""
    fields = form_fields(reference)
    fields["pages"] = fields["pages"].replace("–", "-")
    if reference.kind == Kind.BOOK:
        fields["container"] = ""
    return fields


def parsed_bibtex(text, keep_braced_groups=False):
    """
    Entries by key, LaTeX decoded and names split into their parts; the
    braces that keep a body's name whole are kept if asked.
    """
    library = bibtexparser.parse_string(
        text,
        append_middleware=[
            middlewares.LatexDecodingMiddleware(keep_braced_groups=keep_braced_groups),
            middlewares.SeparateCoAuthors(),
            middlewares.SplitNameParts(),
        ],
    )
    assert library.failed_blocks == []
    return {entry.key: entry for entry in library.entries}


def name_parts(parts):
    family = " ".join([*parts.von, *parts.last]).strip("{}")
    return (family, " ".join(parts.first), parts.jr)


# BibTeX ---------------------------------------------------------------------


def test_bibtex_round_trip_gives_each_kind_its_entry_type():
    entries = parsed_bibtex(to_bibtex(REFERENCES))
    assert {key: entry.entry_type for key, entry in entries.items()} == {
        "van-der-berg-2021": "article",
        "who-2019": "book",
        "emile-2001": "incollection",
        "biobasics-2006": "online",
    }


def test_bibtex_round_trip_keeps_special_characters_of_titles():
    entries = parsed_bibtex(to_bibtex([JOURNAL_ARTICLE, BOOK_CHAPTER]))
    assert entries["van-der-berg-2021"]["title"] == JOURNAL_ARTICLE.title
    assert entries["emile-2001"]["title"] == BOOK_CHAPTER.title


def test_bibtex_lone_braces_still_balance():
    text = to_bibtex([BOOK, WEB_PAGE])
    assert text.count("{") == text.count("}")
    entries = parsed_bibtex(text)
    assert set(entries) == {"who-2019", "biobasics-2006"}
    assert r"\textbraceleft{}" in text and r"\textbraceright{}" in text


def test_bibtex_protects_capitals_from_styles_that_lower_titles():
    text = to_bibtex([JOURNAL_ARTICLE])
    assert r"title = {{TNF} \& {IL-6:} 50\% of" in text


def test_bibtex_round_trip_splits_names_with_particles_accents_and_suffixes():
    entries = parsed_bibtex(
        to_bibtex([JOURNAL_ARTICLE, BOOK, BOOK_CHAPTER]), keep_braced_groups=True
    )
    assert [name_parts(n) for n in entries["van-der-berg-2021"]["author"]] == [
        ("van der Berg", "J.", []),
        ("Müller", "K. H.", []),
        ("O’Brien", "P.", ["Jr"]),
        ("others", "", []),
    ]
    # A body's name stays one family name.
    assert [name_parts(n) for n in entries["who-2019"]["author"]] == [
        ("World Health Organization", "", [])
    ]
    assert [name_parts(n) for n in entries["emile-2001"]["editor"]] == [
        ("Klippel", "J. H.", []),
        ("van Vollenhoven", "R. F.", []),
    ]


def test_bibtex_round_trip_keeps_identifiers_dates_and_container():
    entries = parsed_bibtex(to_bibtex(REFERENCES))
    article = entries["van-der-berg-2021"]
    assert {
        name: article[name]
        for name in ("journal", "year", "month", "date", "volume", "number")
    } == {
        "journal": "Ann Rheum Dis",
        "year": "2021",
        "month": "mar",
        "date": "2021-03-14",
        "volume": "80",
        "number": "3",
    }
    assert article["pages"] == "301–309"  # -- is LaTeX's en dash
    chapter = entries["emile-2001"]
    assert (chapter["booktitle"], chapter["edition"], chapter["publisher"]) == (
        "Primer on the Rheumatic Diseases",
        "12",
        "Arthritis Foundation",
    )
    # DOIs and addresses are verbatim fields: read as written, not as LaTeX.
    as_written = {
        entry.key: entry
        for entry in bibtexparser.parse_string(to_bibtex(REFERENCES)).entries
    }
    assert as_written["van-der-berg-2021"]["doi"] == JOURNAL_ARTICLE.doi
    assert as_written["van-der-berg-2021"]["pmid"] == JOURNAL_ARTICLE.pmid
    assert as_written["van-der-berg-2021"]["eprinttype"] == "pubmed"
    assert as_written["biobasics-2006"]["url"] == WEB_PAGE.url
    assert as_written["biobasics-2006"]["urldate"] == "2026-11-01"


@pytest.mark.parametrize("reference", REFERENCES, ids=lambda r: r.key)
def test_bibtex_pasted_back_into_the_form_gives_the_same_reference(reference):
    read = read_entry(to_bibtex([reference]))
    expected = form_fields_read_back(reference)
    # Pasted BibTeX loses braces typed in a title (they read as LaTeX
    # grouping); the title itself is checked with bibtexparser above.
    read.fields.pop("title"), expected.pop("title")
    assert read.fields == expected


# RIS ------------------------------------------------------------------------


def test_ris_round_trip_gives_types_authors_and_identifiers():
    records = rispy.loads(to_ris(REFERENCES))
    by_title = {record["title"]: record for record in records}
    assert [record["type_of_reference"] for record in records] == [
        "JOUR",
        "BOOK",
        "CHAP",
        "ELEC",
    ]
    article = by_title[JOURNAL_ARTICLE.title]
    assert article["authors"] == [
        "van der Berg, J.",
        "Müller, K. H.",
        "O’Brien, P., Jr",
    ]
    assert {
        name: article[name]
        for name in (
            "secondary_title",
            "year",
            "date",
            "volume",
            "number",
            "start_page",
            "end_page",
            "doi",
            "accession_number",
            "name_of_database",
        )
    } == {
        "secondary_title": "Ann Rheum Dis",
        "year": "2021",
        "date": "2021/03/14",
        "volume": "80",
        "number": "3",
        "start_page": "301",
        "end_page": "309",
        "doi": JOURNAL_ARTICLE.doi,
        "accession_number": JOURNAL_ARTICLE.pmid,
        "name_of_database": "PubMed",
    }
    assert by_title[BOOK.title]["authors"] == ["World Health Organization"]
    chapter = by_title[BOOK_CHAPTER.title]
    assert chapter["secondary_authors"] == ["Klippel, J. H.", "van Vollenhoven, R. F."]
    assert (chapter["edition"], chapter["start_page"], chapter["end_page"]) == (
        "12",
        "112",
        "120",
    )
    page = by_title[WEB_PAGE.title]
    assert (page["urls"], page["access_date"]) == ([WEB_PAGE.url], "2026/11/01")


@pytest.mark.parametrize("reference", REFERENCES, ids=lambda r: r.key)
def test_ris_pasted_back_into_the_form_gives_the_same_reference(reference):
    read = read_entry(to_ris([reference]))
    expected = form_fields_read_back(reference)
    # RIS has no way to say "et al".
    expected["authors"] = expected["authors"].removesuffix(", et al")
    assert read.fields == expected


# CSL-JSON -------------------------------------------------------------------


def test_csl_json_items_hold_each_kinds_fields():
    items = {item["id"]: item for item in json.loads(to_csl_json(REFERENCES))}
    assert items["van-der-berg-2021"] == {
        "id": "van-der-berg-2021",
        "type": "article-journal",
        "title": JOURNAL_ARTICLE.title,
        "author": [
            {"family": "van der Berg", "given": "J."},
            {"family": "Müller", "given": "K. H."},
            {"family": "O’Brien", "given": "P.", "suffix": "Jr"},
        ],
        "container-title": "Ann Rheum Dis",
        "issued": {"date-parts": [[2021, 3, 14]]},
        "volume": "80",
        "issue": "3",
        "page": "301-309",
        "DOI": JOURNAL_ARTICLE.doi,
        "PMID": JOURNAL_ARTICLE.pmid,
    }
    assert items["who-2019"] == {
        "id": "who-2019",
        "type": "book",
        "title": BOOK.title,
        "author": [{"literal": "World Health Organization"}],
        "edition": "2",
        "publisher": "WHO Press",
        "issued": {"date-parts": [[2019]]},
    }
    chapter = items["emile-2001"]
    assert (chapter["type"], chapter["container-title"]) == (
        "chapter",
        "Primer on the Rheumatic Diseases",
    )
    assert chapter["author"] == [
        {"family": "Émile", "given": "Z."},
        {"family": "Ng", "given": "L."},
    ]
    assert chapter["editor"] == [
        {"family": "Klippel", "given": "J. H."},
        {"family": "van Vollenhoven", "given": "R. F."},
    ]
    page = items["biobasics-2006"]
    assert "author" not in page
    assert (page["type"], page["URL"], page["accessed"]) == (
        "webpage",
        WEB_PAGE.url,
        {"date-parts": [[2026, 11, 1]]},
    )


def test_csl_json_renders_in_a_citation_style_processor():
    items = json.loads(to_csl_json([BOOK_CHAPTER, WEB_PAGE]))
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(
        style, CiteProcJSON(items), formatter.plain
    )
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    assert [str(entry) for entry in bibliography.bibliography()] == [
        "Émile, Z. and Ng, L. (2001) “Growth factors and cytokines”, in J.H. "
        "Klippel and R.F. van Vollenhoven (eds.) Primer on the Rheumatic "
        "Diseases. 12th ed. Arthritis Foundation, pp. 112–120.",
        "Cytokines} % overview (2006) Cytokines} % overview, BioBasics. Univ. "
        "Saskatchewan. Available at: https://example.org/cytokines?a=1&b=%20x_y"
        "#top (Accessed: November 1, 2026).",
    ]


def test_hyphenated_initials_are_cited_as_hyphenated_given_names():
    reference = Reference(key="h-1", title="T", authors="Müller K-H, Ng L")
    assert json.loads(to_csl_json([reference]))[0]["author"] == [
        {"family": "Müller", "given": "K.-H."},
        {"family": "Ng", "given": "L."},
    ]
    assert "author = {Müller, K.-H. and Ng, L.}" in to_bibtex([reference])


def test_reference_of_a_kind_no_format_knows_gets_each_general_type():
    reference = Reference(key="odd-1", kind="", title="Odd")
    assert parsed_bibtex(to_bibtex([reference]))["odd-1"].entry_type == "misc"
    assert rispy.loads(to_ris([reference]))[0]["type_of_reference"] == "GEN"
    assert json.loads(to_csl_json([reference]))[0]["type"] == "document"


# Pages and files ------------------------------------------------------------

EXPORTS = [
    ("bib", "application/x-bibtex; charset=utf-8"),
    ("ris", "application/x-research-info-systems; charset=utf-8"),
    ("json", "application/vnd.citationstyles.csl+json; charset=utf-8"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("extension", "content_type"), EXPORTS)
def test_reference_file_has_its_type_and_is_named_for_the_key(
    client, extension, content_type
):
    make_reference(key="mcinnes-2007", title="Cytokines in RA", authors="Müller K")
    response = client.get(f"/references/mcinnes-2007.{extension}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="mcinnes-2007.{extension}"'
    )
    assert "Müller" in response.content.decode("utf-8")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/references/nobody-1999.bib", "/references/mcinnes-2007.docx"]
)
def test_reference_file_of_unknown_key_or_format_is_404(client, url):
    make_reference(key="mcinnes-2007")
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_article_reference_list_file_holds_its_references_as_numbered(client):
    make_reference(key="cited-2021")
    article = make_article(slug="on-cytokines", body="See [@cited-2021].")
    # Placed first by the editor, yet numbered after the cited one.
    ArticleReference.objects.create(
        article=article, reference=make_reference(key="uncited-2020"), position=0
    )
    response = client.get(f"/articles/{article.slug}/references.bib")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="on-cytokines.bib"'
    )
    assert list(parsed_bibtex(response.content.decode())) == [
        "cited-2021",
        "uncited-2020",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["references", "citation"])
def test_files_of_an_unpublished_article_are_404_for_visitors(client, kind):
    article = make_article(status="draft")
    assert client.get(f"/articles/{article.slug}/{kind}.ris").status_code == 404
    assert client.get(f"/articles/no-such-article/{kind}.ris").status_code == 404


def test_bibliography_entries_link_their_files_with_names_telling_them_apart(
    client, demo
):
    html = client.get("/references/").content.decode()
    entry = element(html, "li", id="ref-mcinnes-2007")
    assert links(element(entry, "span", class_="exports")) == [
        ("/references/mcinnes-2007.bib", "BibTeX"),
        ("/references/mcinnes-2007.ris", "RIS"),
        ("/references/mcinnes-2007.json", "CSL-JSON"),
    ]
    names = [
        link.attrs["aria-label"]
        for link in elements(html, "a")
        if link.text == "BibTeX"
    ]
    assert len(names) == 3
    assert len(set(names)) == 3
    assert (
        "BibTeX: McInnes IB 2007: Cytokines in the pathogenesis of rheumatoid arthritis"
    ) in names


def test_demo_article_offers_its_reference_list_as_files(client, demo):
    html = client.get("/articles/what-are-cytokines/").content.decode()
    references = element(html, "section", aria_labelledby="references-heading")
    exports = element(references, "p", class_="exports")
    assert links(exports) == [
        ("/articles/what-are-cytokines/references.bib", "BibTeX"),
        ("/articles/what-are-cytokines/references.ris", "RIS"),
        ("/articles/what-are-cytokines/references.json", "CSL-JSON"),
    ]
    assert [link.attrs["aria-label"] for link in elements(exports, "a")] == [
        "BibTeX: the references of this article",
        "RIS: the references of this article",
        "CSL-JSON: the references of this article",
    ]
