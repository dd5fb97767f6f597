import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from pytest_django.asserts import assertHTMLEqual

from references.models import Reference
from tests.factories import make_reference
from tests.html import text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "doi",
    [
        "10.1038/nri2094",
        "10.1002/(SICI)1097-0258(19980815)17:15<1661::AID-SIM968>3.0.CO;2-2",
    ],
)
def test_reference_valid_doi_passes_validation(doi):
    reference = Reference(key="k", title="T", doi=doi)
    reference.full_clean()


@pytest.mark.parametrize(
    "doi", ["nri2094", "11.1038/nri2094", "10.12/x", "10.1038/ has space"]
)
def test_reference_invalid_doi_is_rejected_with_message(doi):
    reference = Reference(key="k", title="T", doi=doi)
    with pytest.raises(ValidationError) as error:
        reference.full_clean()
    assert "Enter a DOI" in str(error.value.message_dict["doi"])


@pytest.mark.parametrize(
    "typed",
    ["https://doi.org/10.1038/nri2094", "doi: 10.1038/nri2094", "DOI:10.1038/nri2094"],
)
def test_reference_doi_pasted_as_link_is_stored_bare(typed):
    reference = Reference(key="k", title="T", doi=typed)
    reference.full_clean()
    assert reference.doi == "10.1038/nri2094"


@pytest.mark.parametrize(
    "pmid", ["PMC2650139", "PMID: 0123", "0123", "12.5", "1234567890"]
)
def test_reference_invalid_pmid_is_rejected(pmid):
    reference = Reference(key="k", title="T", pmid=pmid)
    with pytest.raises(ValidationError) as error:
        reference.full_clean()
    assert "PubMed ID" in str(error.value.message_dict["pmid"])


@pytest.mark.parametrize(
    "pasted",
    [
        "PMID: 17525752",
        "pmid:17525752",
        " PMID 17525752 ",
        "https://pubmed.ncbi.nlm.nih.gov/17525752/",
        "pubmed.ncbi.nlm.nih.gov/17525752",
        "https://www.ncbi.nlm.nih.gov/pubmed/17525752",
    ],
)
def test_reference_pmid_pasted_with_prefix_or_address_is_stored_bare(pasted):
    reference = Reference(key="k", title="T", pmid=pasted)
    reference.full_clean()
    assert reference.pmid == "17525752"


@pytest.mark.parametrize(
    ("year", "month", "day", "message"),
    [
        (2007, 2, 31, "There is no day 31 in February 2007: it has 28 days."),
        (2007, 2, 29, "There is no day 29 in February 2007: it has 28 days."),
        (2006, 4, 31, "There is no day 31 in April 2006: it has 30 days."),
        (None, 2, 30, "There is no day 30 in February: it has 29 days."),
    ],
)
def test_reference_impossible_date_is_refused_with_message(year, month, day, message):
    reference = Reference(key="k", title="T", year=year, month=month, day=day)
    with pytest.raises(ValidationError) as error:
        reference.full_clean()
    assert error.value.message_dict["day"] == [message]


@pytest.mark.parametrize(("year", "month", "day"), [(2008, 2, 29), (None, 2, 29)])
def test_reference_real_date_passes(year, month, day):
    Reference(key="k", title="T", year=year, month=month, day=day).full_clean()


def test_reference_key_differing_in_case_is_refused_on_key():
    make_reference(key="mcinnes-2007")
    reference = Reference(key="McInnes-2007", title="T")
    with pytest.raises(ValidationError) as error:
        reference.full_clean()
    assert error.value.message_dict == {
        "key": [
            "A reference with this key already exists; keys ignore case, so "
            "“McInnes-2007” and “mcinnes-2007” are one key."
        ]
    }


def test_reference_key_repeated_exactly_gets_one_message():
    make_reference(key="mcinnes-2007")
    with pytest.raises(ValidationError) as error:
        Reference(key="mcinnes-2007", title="T").full_clean()
    assert error.value.message_dict == {
        "key": ["Reference with this Key already exists."]
    }


def test_database_refuses_key_differing_only_in_case():
    make_reference(key="mcinnes-2007")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_reference(key="MCINNES-2007")


def test_reference_web_page_without_url_is_saved_as_incomplete():
    reference = Reference(key="k", title="T", kind=Reference.Kind.WEB_PAGE)
    reference.full_clean()
    reference.save()
    complete = make_reference(kind=Reference.Kind.WEB_PAGE, url="https://a.example/")
    make_reference()
    assert list(Reference.objects.incomplete()) == [reference]
    assert reference.missing_details == ["URL"]
    assert complete.missing_details == []


def test_demo_web_page_reference_is_cited_as_the_source_gives_it():
    call_command("load_demo", verbosity=0)
    assert_citation(
        Reference.objects.get(key="biobasics-2006"),
        "Cytokines. BioBasics. Published 2006 Apr 24.",
    )


def assert_citation(reference, expected_html):
    html = reference.citation_html()
    assertHTMLEqual(html, expected_html)
    # Comparing parsed HTML ignores spaces next to tags, which a reader sees.
    assert text(html) == text(expected_html)


def test_journal_article_citation_follows_vancouver_style():
    reference = make_reference(
        authors="McInnes IB, Schett G",
        title="Cytokines in the pathogenesis of rheumatoid arthritis",
        container="Nat Rev Immunol",
        year=2007,
        month=6,
        volume="7",
        issue="6",
        pages="429-442",
        doi="10.1038/nri2094",
        pmid="17525752",
    )
    assert_citation(
        reference,
        "McInnes IB, Schett G. Cytokines in the pathogenesis of rheumatoid "
        "arthritis. <i>Nat Rev Immunol.</i> 2007 Jun;7(6):429-442. "
        'doi:<a href="https://doi.org/10.1038/nri2094" rel="noopener noreferrer">'
        "10.1038/nri2094</a>. "
        'PMID: <a href="https://pubmed.ncbi.nlm.nih.gov/17525752/" '
        'rel="noopener noreferrer">17525752</a>.',
    )


def test_book_chapter_citation_names_book_editors_and_edition():
    reference = make_reference(
        kind=Reference.Kind.BOOK_CHAPTER,
        authors="",
        title="Growth factors and cytokines",
        container="Primer on the Rheumatic Diseases",
        editors="Klippel JH, Crofford LJ",
        publisher="Arthritis Foundation",
        edition="12",
        year=2001,
        pages="94-100",
    )
    assert_citation(
        reference,
        "Growth factors and cytokines. In: Klippel JH, Crofford LJ, eds. "
        "<i>Primer on the Rheumatic Diseases.</i> 12th ed. "
        "Arthritis Foundation; 2001:94-100.",
    )


def test_web_page_citation_shows_accessed_date_and_url():
    reference = make_reference(
        kind=Reference.Kind.WEB_PAGE,
        authors="",
        title="Cytokines",
        container="BioBasics",
        publisher="Government of Canada",
        year=2006,
        url="https://example.org/cytokines",
        accessed_on=datetime.date(2026, 11, 3),
    )
    assert_citation(
        reference,
        "Cytokines. BioBasics. Government of Canada. Published 2006. "
        "Accessed November 3, 2026. "
        '<a href="https://example.org/cytokines" rel="noopener noreferrer">'
        "https://example.org/cytokines</a>",
    )


def test_citation_escapes_markup_typed_into_fields():
    reference = make_reference(title="<script>alert(1)</script>")
    html = reference.citation_html()
    assert "<script>" not in html
    assert "<script>alert(1)</script>" in text(html)
