"""
Site pages (About, Editorial policy, Disclaimer...): edited in the admin,
served at /<slug>/, linked from every page's footer and in the sitemap.
"""

import pytest
from django.urls import reverse

from glossary.limits import BODY_MAX_LENGTH
from portal.models import Page
from tests.admin_pages import admin_form, change_url, edited_form_id
from tests.html import element, elements, form_data, links, text

pytestmark = pytest.mark.django_db

PAGE_ADD = reverse("admin:portal_page_add")
FIRST_PAGES = [
    ("/about/", "About"),
    ("/editorial-policy/", "Editorial policy"),
    ("/disclaimer/", "Disclaimer"),
    ("/privacy/", "Privacy"),
    ("/accessibility/", "Accessibility statement"),
]
DISCLAIMER_SENTENCE = (
    "This site explains; it does not diagnose. Talk to your doctor or "
    "pharmacist before changing any treatment."
)


def footer(html):
    return element(html, "footer", class_="site-footer")


def page_form(client, **fields):
    data = admin_form(client, PAGE_ADD)
    data.update({"title": "Contact", "slug": "contact", "body": "Write to us."})
    data.update(fields)
    return data


def field_errors(html, name):
    return [
        " ".join(text(item).split())
        for errors in elements(html, "ul", id=f"id_{name}_error")
        for item in elements(errors, "li")
    ]


@pytest.mark.parametrize(("address", "title"), FIRST_PAGES)
def test_first_pages_are_served_with_their_text(client, address, title):
    response = client.get(address)
    html = response.content.decode()
    assert response.status_code == 200
    assert text(element(html, "h1")) == title
    assert len(text(element(html, "div", class_="body")).split()) > 100


def test_footer_links_the_first_pages_in_order_and_keeps_the_disclaimer(client):
    html = client.get("/").content.decode()
    assert links(footer(html)) == FIRST_PAGES
    assert DISCLAIMER_SENTENCE in " ".join(text(footer(html)).split())


def test_footer_pages_are_read_with_one_query(client, django_assert_num_queries):
    # Page, then the footer's pages: nothing else on a site page.
    with django_assert_num_queries(2):
        client.get("/about/")


def test_editor_adds_a_footer_page_with_markdown(staff_client, client):
    data = page_form(
        staff_client,
        title="Contact us",
        slug="contact",
        body="## By post\n\nWrite to *the editors*.<script>alert(1)</script>",
        show_in_footer="on",
        footer_order="4",
    )
    response = staff_client.post(PAGE_ADD, data)
    assert response.status_code == 302
    html = client.get("/contact/").content.decode()
    body = element(html, "div", class_="body")
    assert text(element(body, "h2")) == "By post"
    assert text(element(body, "em")) == "the editors"
    assert "<script>" not in html
    # By number, then by title: beside Privacy (4), before it.
    assert [title for __, title in links(footer(html))] == [
        "About",
        "Editorial policy",
        "Disclaimer",
        "Contact us",
        "Privacy",
        "Accessibility statement",
    ]


def test_page_out_of_the_footer_is_still_served(client):
    Page.objects.filter(slug="privacy").update(show_in_footer=False)
    html = client.get("/privacy/").content.decode()
    assert "/privacy/" not in [href for href, __ in links(footer(html))]
    assert text(element(html, "h1")) == "Privacy"


def test_editor_change_updates_the_page(staff_client, client):
    about = Page.objects.get(slug="about")
    data = admin_form(staff_client, change_url(about))
    data["body"] = "We are a small team."
    assert staff_client.post(change_url(about), data).status_code == 302
    html = client.get("/about/").content.decode()
    assert text(element(html, "div", class_="body")).strip() == "We are a small team."


@pytest.mark.parametrize(
    "slug", ["articles", "glossary", "references", "search", "tags", "admin", "static"]
)
def test_page_at_an_address_of_the_site_is_refused_with_text_kept(staff_client, slug):
    data = page_form(staff_client, slug=slug, body="Kept ’as typed’.")
    response = staff_client.post(PAGE_ADD, data)
    html = response.content.decode()
    assert response.status_code == 200
    (message,) = field_errors(html, "slug")
    assert message.startswith("The site uses the address")
    assert form_data(html, edited_form_id(html))["body"] == "Kept ’as typed’."
    assert not Page.objects.filter(slug=slug).exists()


def test_page_body_over_the_limit_is_refused(staff_client):
    data = page_form(staff_client, body="x" * (BODY_MAX_LENGTH + 1))
    html = staff_client.post(PAGE_ADD, data).content.decode()
    (message,) = field_errors(html, "body")
    assert "the most a body can hold is 100,000" in message
    assert not Page.objects.filter(slug="contact").exists()


def test_unknown_page_is_404(client):
    assert client.get("/nothing-here/").status_code == 404


def test_sitemap_lists_the_pages(client):
    xml = client.get("/sitemap.xml").content.decode()
    for address, __ in FIRST_PAGES:
        assert f"{address}</loc>" in xml


def test_body_box_is_large_with_a_cheat_sheet_without_linking_syntax(staff_client):
    html = staff_client.get(PAGE_ADD).content.decode()
    box = element(html, "textarea", name="body")
    assert box.attrs["rows"] == "30"
    assert "markdown-source" in box.classes
    sheet = text(element(html, "details", class_="markdown-help"))
    assert "## Heading" in sheet
    assert "image:slug" in sheet
    assert "[[Name]]" not in sheet
    assert "[@key]" not in sheet
