"""The "On this page" contents of long articles (articles/contents.py)."""

import pytest
from django.template import Context, Template

from articles.contents import Heading, table_of_contents
from tests.factories import make_article, make_term
from tests.html import element, elements, ids, links

# Headings as bodies store them: ids from glossary/markup.py, a glossary
# link with its preview, a citation number, entities and curly quotes.
STORED_BODY = (
    '<h2 id="what-tnf-does">What “TNF” does &amp; why <span class="term">'
    '<a class="term-link" href="/glossary/cytokine/"'
    ' aria-describedby="term-preview-1">cytokines</a>'
    '<span class="term-preview" role="tooltip" id="term-preview-1">'
    "<strong>Cytokine</strong>: A small protein.</span></span> matter "
    '<sup class="citation"><a href="#ref-a" id="cite-a-1"'
    ' aria-label="Reference 1">1</a></sup></h2>\n'
    "<p>Text.</p>\n"
    '<h3 id="adalimumabs-role">Adalimumab’s &lt;b&gt; role</h3>\n'
    '<h3 id="dosing">Dosing<br>and timing</h3>\n'
    '<h2 id="humira-enbrel">Humira &amp; <em>Enbrel</em></h2>\n'
    '<h4 id="deeper">Not listed</h4>\n'
    "<h2>No id, nothing to link to</h2>\n"
    '<h2 id="side-effects">Side effects</h2>\n'
)


def test_contents_read_heading_text_without_previews_or_citation_numbers():
    assert table_of_contents(STORED_BODY) == [
        Heading(
            "what-tnf-does",
            "What “TNF” does & why cytokines matter",
            [
                Heading("adalimumabs-role", "Adalimumab’s <b> role"),
                Heading("dosing", "Dosing and timing"),
            ],
        ),
        Heading("humira-enbrel", "Humira & Enbrel"),
        Heading("side-effects", "Side effects"),
    ]


def test_contents_of_a_body_with_two_sections_are_empty():
    body = '<h2 id="one">One</h2><h3 id="sub">Sub</h3><h2 id="two">Two</h2>'
    assert table_of_contents(body) == []


def test_contents_of_an_empty_body_are_empty():
    assert table_of_contents("") == []


def long_body(heading):
    return "\n\n".join(
        [f"## {heading}", "Some text.", "## How it acts", "More text.", "### In joints"]
        + ["Detail.", "## What “biologics” do", "The end."]
    )


@pytest.mark.django_db
def test_long_article_shows_contents_linking_to_its_headings(client):
    make_term(name="Cytokine", definition="A small protein that carries messages.")
    article = make_article(body=long_body("Why [[Cytokine|cytokines]] matter"))
    html = client.get(article.get_absolute_url()).content.decode()

    contents = element(html, "nav", class_="toc")
    assert element(contents, "h2").text == "On this page"
    body_ids = ids(element(html, "div", class_="body"))
    assert links(contents) == [
        ("#why-cytokinecytokines-matter", "Why cytokines matter"),
        ("#how-it-acts", "How it acts"),
        ("#in-joints", "In joints"),
        ("#what-biologics-do", "What “biologics” do"),
    ]
    assert all(href[1:] in body_ids for href, __ in links(contents))


@pytest.mark.django_db
def test_contents_are_read_from_the_stored_body_without_a_query(
    django_assert_num_queries,
):
    article = make_article(body=long_body("Why it matters"))
    template = Template(
        "{% load article_contents %}{% contents_of article as contents %}"
        "{% for section in contents %}{{ section.text }};{% endfor %}"
    )
    with django_assert_num_queries(0):
        rendered = template.render(Context({"article": article}))
    assert rendered == "Why it matters;How it acts;What “biologics” do;"


@pytest.mark.django_db
def test_short_article_shows_no_contents(client):
    article = make_article(body="## One\n\nText.\n\n## Two\n\nMore text.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert elements(html, "nav", class_="toc") == []
    assert "On this page" not in html
