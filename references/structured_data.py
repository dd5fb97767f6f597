"""
A reference as schema.org data, for the JSON-LD of the pages citing it.
"""

from editorial.links import link_address
from references.models import Reference

# The schema.org type each kind of reference is.
SCHEMA_TYPES = {
    Reference.Kind.JOURNAL_ARTICLE: "ScholarlyArticle",
    Reference.Kind.BOOK: "Book",
    Reference.Kind.BOOK_CHAPTER: "Chapter",
    Reference.Kind.WEB_PAGE: "WebPage",
}
# What each kind of reference is part of: its journal, book or website.
CONTAINER_TYPES = {
    Reference.Kind.JOURNAL_ARTICLE: "Periodical",
    Reference.Kind.BOOK_CHAPTER: "Book",
    Reference.Kind.WEB_PAGE: "WebSite",
}


def people(names):
    """Persons for a Vancouver list of names, "McInnes IB, Schett G"."""
    return [
        {"@type": "Person", "name": name.strip()}
        for name in names.split(",")
        if name.strip()
    ]


def iso_date(reference):
    """The publication date as far as known: 2007, 2007-06 or 2007-06-03."""
    if not reference.year:
        return ""
    parts = [f"{reference.year:04d}"]
    if reference.month:
        parts.append(f"{reference.month:02d}")
        if reference.day:
            parts.append(f"{reference.day:02d}")
    return "-".join(parts)


def citation_data(reference):
    """
    The reference as a schema.org CreativeWork of its kind: name, authors,
    date, where it was published, its address and its DOI and PubMed ID
    (as identifiers, and the DOI's resolver address as `sameAs`). Empty
    details are left out.
    """
    data = {"@type": SCHEMA_TYPES.get(reference.kind, "CreativeWork")}
    data["name"] = reference.title
    if authors := people(reference.authors):
        data["author"] = authors
    if date := iso_date(reference):
        data["datePublished"] = date
    # A chapter's editors and edition are its book's; a book's its own.
    book = data
    if reference.container and reference.kind in CONTAINER_TYPES:
        container = {"@type": CONTAINER_TYPES[reference.kind]}
        container["name"] = reference.container
        data["isPartOf"] = container
        if reference.kind == Reference.Kind.BOOK_CHAPTER:
            book = container
    if reference.kind in {Reference.Kind.BOOK, Reference.Kind.BOOK_CHAPTER}:
        if reference.editors:
            book["editor"] = people(reference.editors)
        if edition := reference.edition_label():
            book["bookEdition"] = edition
    if reference.publisher:
        data["publisher"] = {"@type": "Organization", "name": reference.publisher}
    # Pages belong to an article or a chapter; a book's are its length.
    if reference.pages and data["@type"] in {"ScholarlyArticle", "Chapter"}:
        data["pagination"] = reference.pages
    # Only web addresses: a URL that is not one (imported, say) is left out.
    if url := link_address(reference.url) or reference.doi_url or reference.pubmed_url:
        data["url"] = url
    if reference.doi:
        data["sameAs"] = reference.doi_url
    identifiers = [
        {"@type": "PropertyValue", "propertyID": name, "value": value}
        for name, value in (("DOI", reference.doi), ("PMID", reference.pmid))
        if value
    ]
    if identifiers:
        data["identifier"] = identifiers
    return data
