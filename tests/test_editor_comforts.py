"""The admin under the site's name, and the Markdown body's editing box."""

import pytest
from django.urls import reverse

from tests.factories import make_article, make_term
from tests.html import element, text

pytestmark = pytest.mark.django_db


def test_admin_says_the_sites_name_not_django(staff_client, settings):
    settings.SITE_NAME = "Arthritis Answers"
    html = staff_client.get(reverse("admin:index")).content.decode()
    assert text(element(html, "div", id="site-name")).strip() == "Arthritis Answers"
    assert (
        text(element(html, "title"))
        == "Editing Arthritis Answers | Arthritis Answers admin"
    )
    assert text(element(html, "h1")) == "Editing Arthritis Answers"
    assert "Django administration" not in html


@pytest.mark.parametrize(
    "url",
    [
        lambda: reverse("admin:articles_article_add"),
        lambda: reverse("admin:articles_article_change", args=[make_article().pk]),
        lambda: reverse("admin:glossary_term_add"),
        lambda: reverse("admin:glossary_term_change", args=[make_term().pk]),
    ],
    ids=["article add", "article change", "term add", "term change"],
)
def test_body_is_a_large_box_with_a_cheat_sheet(staff_client, url):
    html = staff_client.get(url()).content.decode()
    box = element(html, "textarea", name="body")
    assert box.attrs["rows"] == "30"
    assert "markdown-source" in box.classes
    sheet = " ".join(text(element(html, "details", class_="markdown-help")).split())
    for syntax in [
        "## Heading",
        "**bold**",
        "- item",
        "[shown text](https://example.org/)",
        "[[Name]]",
        "[[Name|shown text]]",
        "[@key, p. 4]",
        "![What it shows](image:slug)",
        "| --- | --- |",
    ]:
        assert syntax in sheet
    assert "editorial/markdown.css" in html
