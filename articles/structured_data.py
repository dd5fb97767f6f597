"""
An article as schema.org data (a MedicalWebPage), for the JSON-LD of its
page.
"""

from django.conf import settings
from django.utils.translation import to_locale

from editorial.addresses import absolute_url
from glossary.structured_data import term_reference
from references.structured_data import citation_data


def language_tag(language_code):
    """A BCP 47 tag for a Django language code: "en-gb" as "en-GB"."""
    return to_locale(language_code).replace("_", "-")


# Words that name a group rather than a person ("Editorial team", "Medical
# review panel"): such an author or reviewer is an Organization.
GROUP_WORDS = frozenset(
    "team panel board committee group staff editors department unit service"
    " council society association foundation institute organisation"
    " organization".split()
)


def agent(name, credentials=""):
    """A named author or reviewer: a Person, or an Organization for a group."""
    if GROUP_WORDS.intersection(name.casefold().split()):
        return {"@type": "Organization", "name": name}
    data = {"@type": "Person", "name": name}
    if credentials:
        data["honorificSuffix"] = credentials
    return data


def article_data(article, references, mentioned_terms, request):
    """
    The article as a schema.org MedicalWebPage: headline, summary, dates
    (published, updated, last medically reviewed), author, medical
    reviewer, the glossary terms it mentions (`about`), the references it
    lists (`citation`, in the reader's order) and the site as publisher.
    `references` are the ListedReference rows of the page; empty details
    are left out; addresses are absolute, for the site `request` came to.
    """
    url = absolute_url(request, article.get_absolute_url())
    data = {
        "@type": "MedicalWebPage",
        "headline": article.title,
        "name": article.title,
        "url": url,
        "inLanguage": language_tag(settings.LANGUAGE_CODE),
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": absolute_url(request, "/"),
        },
    }
    if article.summary:
        data["description"] = article.summary
    if article.published_at:
        data["datePublished"] = article.published_at.isoformat()
    if article.updated_at:
        data["dateModified"] = article.updated_at.isoformat()
    if article.last_reviewed_on:
        data["lastReviewed"] = article.last_reviewed_on.isoformat()
    if article.author:
        data["author"] = agent(article.author)
    if reviewer := article.medical_reviewer:
        data["reviewedBy"] = agent(reviewer.name, reviewer.credentials)
    if mentioned_terms:
        data["about"] = [term_reference(term, request) for term in mentioned_terms]
    if references:
        data["citation"] = [citation_data(listed.reference) for listed in references]
    return data
