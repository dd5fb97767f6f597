import datetime
import json

import bibtexparser
import pytest
import rispy
from django.utils import timezone

from references.models import MONTH_NAMES
from tests.factories import make_article
from tests.html import element, elements, links, text

pytestmark = pytest.mark.django_db

DEMO_ARTICLE_URL = "/articles/what-are-cytokines/"
UPDATED_AT = datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC)


def today_in_words():
    today = timezone.localdate()
    return f"{MONTH_NAMES[today.month - 1]} {today.day}, {today.year}"


def cite_box(client, url):
    html = client.get(url).content.decode()
    return element(html, "section", class_="cite-box", aria_labelledby="cite-heading")


def citation(box, style):
    return text(element(box, "p", id=f"cite-{style}"))


def test_demo_article_is_cited_in_ama_and_apa_styles(client, demo):
    box = cite_box(client, DEMO_ARTICLE_URL)
    assert text(element(box, "h2", id="cite-heading")) == "Cite this article"
    assert citation(box, "ama") == (
        "Editorial team. What are cytokines? Cytokine Health Library. "
        f"Updated November 20, 2026. Accessed {today_in_words()}. "
        "http://testserver/articles/what-are-cytokines/"
    )
    assert citation(box, "apa") == (
        "Editorial team. (2026, November 20). What are cytokines? "
        "Cytokine Health Library. http://testserver/articles/what-are-cytokines/"
    )
    # APA sets the title of a page in italics.
    assert text(element(element(box, "p", id="cite-apa"), "i")) == (
        "What are cytokines?"
    )


def test_cite_box_follows_the_references_section(client, demo):
    html = client.get(DEMO_ARTICLE_URL).content.decode()
    sections = [section.attrs.get("class") for section in elements(html, "section")]
    assert sections[-2:] == ["references", "cite-box"]


def test_article_without_author_is_cited_with_the_site_as_author(client):
    article = make_article(
        slug="tnf",
        title="TNF inhibitors",
        author="",
        published_at=UPDATED_AT,
        updated_at=UPDATED_AT,
    )
    box = cite_box(client, article.get_absolute_url())
    # AMA names the website as one when its body is also the author, and
    # dates a page never updated by its publication.
    assert citation(box, "ama") == (
        "Cytokine Health Library. TNF inhibitors. Cytokine Health Library "
        f"website. Published November 20, 2026. Accessed {today_in_words()}. "
        "http://testserver/articles/tnf/"
    )
    # APA leaves out a site name that is the author's.
    assert citation(box, "apa") == (
        "Cytokine Health Library. (2026, November 20). TNF inhibitors. "
        "http://testserver/articles/tnf/"
    )


def test_apa_writes_people_named_vancouver_style_with_initials(client):
    article = make_article(
        slug="il-6", title="IL-6", author="van der Berg J, Müller KH, Ng L"
    )
    assert citation(cite_box(client, article.get_absolute_url()), "apa").startswith(
        "van der Berg, J., Müller, K. H., & Ng, L. ("
    )


def test_cite_box_escapes_the_title(client):
    article = make_article(slug="escaped", title="<script>alert(1)</script> & TNF")
    html = client.get(article.get_absolute_url()).content.decode()
    box = element(html, "section", class_="cite-box")
    assert elements(box, "script") == []
    assert "<script>alert(1)</script> & TNF" in citation(box, "apa")


def test_cite_box_offers_the_article_as_files(client, demo):
    exports = element(cite_box(client, DEMO_ARTICLE_URL), "p", class_="exports")
    assert links(exports) == [
        ("/articles/what-are-cytokines/citation.bib", "BibTeX"),
        ("/articles/what-are-cytokines/citation.ris", "RIS"),
        ("/articles/what-are-cytokines/citation.json", "CSL-JSON"),
    ]
    assert elements(exports, "a")[0].attrs["aria-label"] == "BibTeX: this article"


def test_article_citation_files_describe_it_as_a_web_page(client, demo):
    bib = client.get(f"{DEMO_ARTICLE_URL}citation.bib")
    assert bib["Content-Disposition"] == (
        'attachment; filename="what-are-cytokines-citation.bib"'
    )
    (entry,) = bibtexparser.parse_string(bib.content.decode()).entries
    assert entry.entry_type == "online"
    assert {field.key: field.value for field in entry.fields} == {
        "author": "{Editorial team}",
        "title": "What are cytokines?",
        "organization": "Cytokine Health Library",
        "year": "2026",
        "month": "nov",
        "date": "2026-11-20",
        "url": "http://testserver/articles/what-are-cytokines/",
        "urldate": timezone.localdate().isoformat(),
    }

    ris = client.get(f"{DEMO_ARTICLE_URL}citation.ris").content.decode()
    (record,) = rispy.loads(ris)
    assert (record["type_of_reference"], record["urls"]) == (
        "ELEC",
        ["http://testserver/articles/what-are-cytokines/"],
    )

    (item,) = json.loads(client.get(f"{DEMO_ARTICLE_URL}citation.json").content)
    assert (item["type"], item["author"], item["issued"]) == (
        "webpage",
        [{"literal": "Editorial team"}],
        {"date-parts": [[2026, 11, 20]]},
    )
