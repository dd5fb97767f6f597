"""
Stored text and addresses as pages, feeds, JSON and citation files show
them: an address that is no web address is never a link, identifiers are
quoted into their links, JSON never holds "<", and template syntax is text.
The whole XSS corpus in a browser is tests/browser/test_stored_content_browser.py.
"""

import pytest
from django.urls import reverse

from references.models import Reference
from tests.admin_pages import edited_form_id, reference_add_form
from tests.factories import make_article, make_reference, make_term
from tests.html import element, elements, form_data, json_ld, text
from tests.stored_content import field_errors

pytestmark = pytest.mark.django_db

# Addresses an import could store that browsers would run or read as
# another site's; each must be shown as text.
NOT_WEB_ADDRESSES = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/",
    "/\\evil.example/",
    "https:///evil.example",
    "ftp://example.org/paper.pdf",
]


def bibliography_entry(client, reference):
    html = client.get(reverse("references:list")).content.decode()
    return element(html, "li", id=reference.anchor)


@pytest.mark.parametrize("url", NOT_WEB_ADDRESSES)
def test_reference_url_that_is_no_web_address_is_shown_as_text(client, url):
    reference = make_reference(kind=Reference.Kind.WEB_PAGE, url=url)

    entry = bibliography_entry(client, reference)

    assert elements(entry, "a", rel="noopener noreferrer") == []
    assert " ".join(url.split()) in " ".join(text(entry).split())


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ("https://example.org/a b", "https://example.org/a%20b"),
        ('https://example.org/"><x>', "https://example.org/%22%3E%3Cx%3E"),
        ("HTTP://example.org/?q=1&r=2", "HTTP://example.org/?q=1&r=2"),
    ],
)
def test_reference_web_address_is_linked_quoted(client, url, href):
    reference = make_reference(kind=Reference.Kind.WEB_PAGE, url=url)

    entry = bibliography_entry(client, reference)

    assert [
        a.attrs["href"] for a in elements(entry, "a", rel="noopener noreferrer")
    ] == [href]


def test_doi_and_pmid_are_percent_encoded_into_their_links(client):
    reference = make_reference(doi='10.1000/a?b#c"<d>', pmid='1"><b>x')

    entry = bibliography_entry(client, reference)

    assert [
        a.attrs["href"] for a in elements(entry, "a", rel="noopener noreferrer")
    ] == [
        "https://doi.org/10.1000/a%3Fb%23c%22%3Cd%3E",
        "https://pubmed.ncbi.nlm.nih.gov/1%22%3E%3Cb%3Ex/",
    ]
    assert 'doi:10.1000/a?b#c"<d>.' in text(entry)


def test_article_json_ld_leaves_out_a_url_that_is_no_web_address(client):
    reference = make_reference(url="javascript:alert(1)", pmid="17525752")
    article = make_article(references=[reference])

    html = client.get(article.get_absolute_url()).content.decode()

    (page,) = [data for data in json_ld(html) if data["@type"] == "MedicalWebPage"]
    assert page["citation"][0]["url"] == "https://pubmed.ncbi.nlm.nih.gov/17525752/"


def test_json_ld_holds_no_markup_from_stored_text(client):
    article = make_article(summary="</script><script>alert(1)</script><!--")

    html = client.get(article.get_absolute_url()).content.decode()

    (block,) = [
        script.text
        for script in elements(html, "script", type="application/ld+json")
        if "MedicalWebPage" in script.text
    ]
    assert "<" not in block and ">" not in block
    assert "\\u003C/script\\u003E" in block


@pytest.mark.parametrize(
    ("extension", "field"),
    [
        ("bib", "note = {javascript:alert(1)}"),
        ("ris", "N1  - javascript:alert(1)"),
        ("json", '"note": "javascript:alert(1)"'),
    ],
)
def test_citation_file_gives_url_that_is_no_web_address_as_a_note(
    client, extension, field
):
    reference = make_reference(key="odd-url", url="javascript:alert(1)")

    response = client.get(reverse("references:export", args=[reference.key, extension]))

    body = response.content.decode()
    assert field in body
    assert body.count("javascript:alert(1)") == 1
    assert response["X-Content-Type-Options"] == "nosniff"


def test_csl_json_file_escapes_markup(client):
    reference = make_reference(key="markup", title="<script>alert(1)</script> & more")

    response = client.get(reverse("references:export", args=[reference.key, "json"]))

    assert (
        response["Content-Type"]
        == "application/vnd.citationstyles.csl+json; charset=utf-8"
    )
    assert "<" not in response.content.decode()
    assert response.json()[0]["title"] == "<script>alert(1)</script> & more"


def test_suggestions_json_holds_no_markup_from_stored_text(client):
    make_term(name="Interleukin-6", definition="</script><script>alert(1)</script><!--")

    response = client.get(reverse("glossary:suggest"), {"q": "interleukin"})

    assert response["X-Content-Type-Options"] == "nosniff"
    assert "<" not in response.content.decode()
    assert response.json()["results"][0]["definition"].startswith("</script>")


def test_template_syntax_in_stored_text_is_shown_as_typed(client):
    article = make_article(
        title="{{ 7|add:42 }}", summary='{% now "Y" %}', body="{{ request }} ${7*7}"
    )

    page = text(client.get(article.get_absolute_url()).content.decode())

    for typed in ("{{ 7|add:42 }}", '{% now "Y" %}', "{{ request }}", "${7*7}"):
        assert typed in page


def test_reference_url_not_on_the_web_is_refused_with_message_and_kept(staff_client):
    url = reverse("admin:references_reference_add")
    data = reference_add_form(staff_client, url="ftp://example.org/paper.pdf")

    response = staff_client.post(url, data)

    html = response.content.decode()
    assert field_errors(html)["url"] == [
        "Enter a web address starting with http:// or https://."
    ]
    assert form_data(html, edited_form_id(html))["url"] == "ftp://example.org/paper.pdf"
    assert not Reference.objects.exists()
