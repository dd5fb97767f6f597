"""
How to cite an article: as AMA (11th edition) and APA (7th edition) web
page references for the "Cite this article" box, and as a web page
Reference for the files reference managers read.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html

from references.entries import vancouver_names
from references.models import MONTH_NAMES, Reference, as_sentence


def long_date(day):
    """ "November 20, 2026", as both styles write a day."""
    return f"{MONTH_NAMES[day.month - 1]} {day.day}, {day.year}"


def author_of(article):
    """The article's author as written, or the site as a corporate author."""
    return article.author.strip() or settings.SITE_NAME


def apa_authors(text):
    """
    APA's list of authors: "McInnes, I. B., & Schett, G." for a Vancouver
    list of people; a body's name (or anything else) as written.
    """
    names = vancouver_names(text)
    if not names or not all(name.is_person or name.is_et_al for name in names):
        return text
    people = [f"{name.family}, {name.given}" for name in names if name.is_person]
    if len(people) < len(names):
        # The list was cut short ("et al"), so it has no last author.
        return ", ".join([*people, "et al."])
    if len(people) == 1:
        return people[0]
    return ", ".join(people[:-1]) + ", & " + people[-1]


def dates(article):
    """The days the article was published and last updated, local time."""
    published = article.published_at and timezone.localtime(article.published_at)
    updated = timezone.localtime(article.updated_at)
    return (published.date() if published else None), updated.date()


def ama(article, url, today):
    """
    The AMA web page reference, as text: author, title, website (said to
    be one when the site is also the author), the date it was updated
    (else published), the day it was read and the address.
    """
    site = settings.SITE_NAME
    author = author_of(article)
    published, updated = dates(article)
    if published and updated <= published:
        dated = f"Published {long_date(published)}."
    else:
        dated = f"Updated {long_date(updated)}."
    parts = [
        as_sentence(author),
        as_sentence(article.title),
        as_sentence(f"{site} website" if author == site else site),
        dated,
        f"Accessed {long_date(today)}.",
        url,
    ]
    return " ".join(parts)


def apa(article, url):
    """
    The APA web page reference, as safe HTML with the title in italics:
    author, (year, month day) of the last update, title, site name (left
    out when the site is the author) and address. A dated page needs no
    retrieval date.
    """
    site = settings.SITE_NAME
    author = author_of(article)
    __, updated = dates(article)
    site_part = "" if author == site else format_html("{} ", as_sentence(site))
    return format_html(
        "{} ({}, {} {}). <i>{}</i> {}{}",
        as_sentence(apa_authors(author)),
        updated.year,
        MONTH_NAMES[updated.month - 1],
        updated.day,
        as_sentence(article.title),
        site_part,
        url,
    )


def as_reference(article, url, today):
    """The article as an unsaved web page Reference, read `today`."""
    __, updated = dates(article)
    return Reference(
        key=article.slug,
        kind=Reference.Kind.WEB_PAGE,
        authors=author_of(article),
        title=article.title,
        container=settings.SITE_NAME,
        year=updated.year,
        month=updated.month,
        day=updated.day,
        url=url,
        accessed_on=today,
    )
