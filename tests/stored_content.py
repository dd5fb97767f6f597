"""
The XSS corpus (tests/xss_corpus.py) stored in the site two ways, and the
public pages that then show it: articles, terms, references, tags, a site
page and the image the corpus's bodies embed.

`type_in_admin` types every row into the admin's forms, as an editor's
browser posts them (management forms and inline rows included), published;
a field that refuses what was typed must say why and give the typed text
back, and is then given a value it accepts. `save_through_orm` saves the
same rows as an import would, without any form's checks, so that URL, DOI
and PMID fields hold hostile values too. `public_pages` lists every page
a reader can reach that shows them.
"""

from urllib.parse import quote

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from glossary.models import Term
from portal.models import Page
from references.exports import EXPORT_FORMATS
from references.models import Reference
from tests.admin_pages import admin_form, change_url, edited_form_id, set_row
from tests.factories import image_upload, make_image
from tests.html import elements, form_data, text
from tests.xss_corpus import TEMPLATE_SYNTAX, hostile_rows, slug_for, texts, vectors

# Identifiers the forms check; each is typed as a hostile address first.
IDENTIFIER_FIELDS = {"slug", "key", "url", "doi", "pmid"}
ADDRESS_GROUP = "javascript:, data: and vbscript: addresses"
# What a refused field is given instead; a DOI keeps hostile characters
# the DOI format allows, so that pages must still quote it.
SAFE_VALUES = {
    "doi": '10.1000/xss-{row}"><svg/onload=xss_fired(67)>',
    "pmid": "{pmid}",
    "url": "https://example.org/xss/{row}?a=1&b='2'",
}
# One vector from each group is searched for.
SEARCH_PATHS = ("search", "glossary:search", "glossary:suggest")


def address_vectors():
    return [vector.text for vector in vectors() if vector.group == ADDRESS_GROUP]


def hostile_identifier(row):
    """What an editor types into a slug, key, URL, DOI or PMID field first."""
    candidates = address_vectors()
    return candidates[row % len(candidates)]


def safe_value(name, row):
    if name in {"slug", "key"}:
        return None  # the caller's own address
    template = SAFE_VALUES.get(name, "Safe {name} {row}")
    return template.format(name=name, row=row, pmid=17525752 + row)


# Through the admin ----------------------------------------------------------


def field_errors(html):
    """{field name: its error messages} of a form sent back with errors."""
    found = {}
    for error_list in elements(html, "ul", class_="errorlist"):
        list_id = error_list.attrs.get("id", "")
        if list_id.startswith("id_") and list_id.endswith("_error"):
            messages = [text(item).strip() for item in elements(error_list, "li")]
            found[list_id[3:-6]] = messages
    return found


def typed_fields(fields):
    """A row's fields without its number."""
    return {name: value for name, value in fields.items() if name != "row"}


def rewind_files(data):
    """Files in `data` from their start: a form sent again sends them again."""
    for value in data.values():
        if hasattr(value, "seek"):
            value.seek(0)


def same_text(first, second):
    return " ".join(str(first).split()) == " ".join(str(second).split())


def post_until_saved(client, url, data, row, address):
    """
    Post the whole form `data` to `url`. Each field it refuses must show a
    message and hold the typed text; it is then given a value it accepts
    (`address` for a slug or key) and the form posted again, which must
    save. Returns {field: messages} of the refusals.
    """
    rewind_files(data)
    response = client.post(url, data)
    refused = {}
    if response.status_code == 200:
        html = response.content.decode()
        refused = field_errors(html)
        assert refused, f"{url} refused the form without a field message"
        kept = form_data(html, edited_form_id(html))
        for name, messages in refused.items():
            assert messages and all(messages), (url, name)
            assert same_text(kept[name], data[name]), (url, name, kept[name])
            data[name] = safe_value(name, row) or address
        rewind_files(data)
        response = client.post(url, data)
    assert response.status_code == 302, (url, field_errors(response.content.decode()))
    return refused


def type_row(client, url, fields, row, address, listed_reference=None):
    """
    The form at `url` with `fields` typed in, slugs, keys and other
    identifiers hostile first, saved; an article lists `listed_reference`
    in its inline.
    """
    data = admin_form(client, url)
    if listed_reference is not None:
        set_row(
            data,
            "reference_links",
            0,
            reference=str(listed_reference.pk),
            position="1",
        )
    data.update(typed_fields(fields))
    for name in IDENTIFIER_FIELDS & data.keys():
        data[name] = hostile_identifier(row)
    refused = post_until_saved(client, url, data, row, address)
    typed_identifiers = IDENTIFIER_FIELDS & data.keys()
    missed = typed_identifiers - refused.keys()
    assert not missed, f"{url} accepted a hostile {missed}"
    return refused


def type_in_admin(client):
    """
    Type every hostile row into the admin's add and change forms (client:
    a logged-in superuser), publishing articles; returns the fields each
    form refused.
    """
    rows = hostile_rows()
    refusals = []
    for fields in rows.images:
        typed = {**fields, "file": image_upload()}
        refusals.append(
            type_row(
                client,
                reverse("admin:images_image_add"),
                typed,
                fields["row"],
                slug_for("image", 0),
            )
        )
    add = {
        name: reverse(f"admin:{name}_add")
        for name in (
            "references_reference",
            "glossary_term",
            "articles_article",
            "portal_page",
        )
    }
    for fields in rows.references:
        row = fields["row"]
        typed = {**fields, "year": "2007", "month": "6", "day": "3"}
        if fields["kind"] == "web":
            typed["accessed_on"] = "2026-01-02"
        refusals.append(
            type_row(
                client,
                add["references_reference"],
                typed,
                row,
                slug_for("reference", row),
            )
        )
    for fields in rows.terms:
        row = fields["row"]
        reference = Reference.objects.get(key=slug_for("reference", row))
        typed = {
            **fields,
            "tags": slug_for("tag", row),
            "references": [str(reference.pk)],
        }
        refusals.append(
            type_row(client, add["glossary_term"], typed, row, slug_for("term", row))
        )
    for fields in rows.articles:
        row = fields["row"]
        key = slug_for("reference", row)
        typed = {
            **fields,
            "body": f"{fields['body']}\n\nCited [@{key}].",
            "status": "published",
            "tags": slug_for("tag", row),
        }
        refusals.append(
            type_row(
                client,
                add["articles_article"],
                typed,
                row,
                slug_for("article", row),
                listed_reference=Reference.objects.get(key=key),
            )
        )
    for fields in rows.tags:
        row = fields["row"]
        tag = Tag.objects.get(slug=slug_for("tag", row))
        refusals.append(
            type_row(client, change_url(tag), fields, row, slug_for("tag", row))
        )
    for fields in rows.pages:
        typed = {**fields, "show_in_footer": "on"}
        refusals.append(
            type_row(
                client, add["portal_page"], typed, fields["row"], slug_for("page", 0)
            )
        )
    return refusals


# Through the ORM ------------------------------------------------------------


def save_through_orm():
    """
    Save every hostile row as an import might, with no form in between:
    URL, DOI and PMID fields hold hostile text; slugs and keys, which the
    site's addresses are made of, are the rows' own. Bodies are linked as
    an import leaves them.
    """
    rows = hostile_rows()
    for fields in rows.images:
        make_image(**typed_fields(fields), slug=slug_for("image", 0))
    for fields in rows.references:
        row = fields["row"]
        Reference.objects.create(
            **typed_fields(fields),
            key=slug_for("reference", row),
            year=2007,
            url=hostile_identifier(row),
            doi=hostile_identifier(row + 1),
            pmid=hostile_identifier(row + 2),
        )
    tags = [
        Tag.objects.create(name=fields["name"], slug=slug_for("tag", fields["row"]))
        for fields in rows.tags
    ]
    for fields in rows.terms:
        row = fields["row"]
        term = Term.objects.create(
            **typed_fields(fields),
            slug=slug_for("term", row),
        )
        term.tags.add(tags[row])
        term.references.add(Reference.objects.get(key=slug_for("reference", row)))
    for fields in rows.articles:
        row = fields["row"]
        key = slug_for("reference", row)
        article = Article.objects.create(
            **{**typed_fields(fields), "body": f"{fields['body']}\n\nCited [@{key}]."},
            slug=slug_for("article", row),
            status=Article.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        # The body cites the reference, which the save lists.
        article.tags.add(tags[row])
    for fields in rows.pages:
        Page.objects.create(
            title=fields["title"],
            body=fields["body"],
            slug=slug_for("page", 0),
            show_in_footer=True,
        )
    call_command("relink", verbosity=0)


# What readers see -----------------------------------------------------------


def searched_vectors():
    """One vector of each group, as typed into the search boxes."""
    chosen = {}
    for vector in vectors():
        chosen.setdefault(vector.group, vector.text)
    return list(chosen.values())


def public_pages():
    """
    Every public page that shows the stored rows, as paths: lists, each
    row's page, searches with vectors as the query, feeds, the sitemap,
    robots.txt, site pages and a 404 with a vector in its address.
    """
    pages = [
        "/",
        reverse("articles:list"),
        reverse("glossary:list"),
        reverse("references:list"),
        reverse("articles:atom"),
        reverse("articles:rss"),
        "/sitemap.xml",
        reverse("robots"),
        "/no-such-page/" + quote(texts()[0], safe=""),
    ]
    pages += [article.get_absolute_url() for article in Article.objects.all()]
    pages += [term.get_absolute_url() for term in Term.objects.all()]
    letters = sorted(set(Term.objects.values_list("index_letter", flat=True)))
    pages += [
        reverse("glossary:letter", args=[(letter or "0-9").lower()])
        for letter in letters
    ]
    pages += [reverse("tag", args=[tag.slug]) for tag in Tag.objects.all()]
    pages += [page.get_absolute_url() for page in Page.objects.all()]
    for query in searched_vectors():
        pages += [f"{reverse(name)}?q={quote(query, safe='')}" for name in SEARCH_PATHS]
    return list(dict.fromkeys(pages))


def downloaded_files():
    """Every citation file of the stored rows, as (path, content type)."""
    files = []
    for export in EXPORT_FORMATS:
        for reference in Reference.objects.all():
            files.append(
                (
                    reverse(
                        "references:export", args=[reference.key, export.extension]
                    ),
                    export.content_type,
                )
            )
        for article in Article.objects.all():
            for name in ("articles:references", "articles:citation"):
                files.append(
                    (
                        reverse(name, args=[article.slug, export.extension]),
                        export.content_type,
                    )
                )
    return files


def pages_showing_template_syntax():
    """The article pages whose body holds each template-syntax vector."""
    return {
        vector: [
            Article.objects.get(
                slug=slug_for("article", fields["row"])
            ).get_absolute_url()
            for fields in hostile_rows().articles
            if vector in fields["body"]
        ]
        for vector in TEMPLATE_SYNTAX
    }
