"""
Glossary terms as schema.org data, for the JSON-LD of term pages, the
glossary index and the articles mentioning them.
"""

from django.conf import settings
from django.urls import reverse

from editorial.addresses import absolute_url
from glossary.models import Term


def term_reference(term, request):
    """The term as a bare DefinedTerm: its name and address."""
    return {
        "@type": "DefinedTerm",
        "name": term.name,
        "url": absolute_url(request, term.get_absolute_url()),
    }


def glossary_data(request):
    """
    The glossary as a bare DefinedTermSet: its name and address, also its
    `@id`, so that the letter pages, each listing some of its terms, are
    read as describing one set.
    """
    url = absolute_url(request, reverse("glossary:list"))
    return {
        "@type": "DefinedTermSet",
        "@id": url,
        "name": f"{settings.SITE_NAME} glossary",
        "url": url,
    }


def term_data(term, request):
    """
    The term as a schema.org DefinedTerm with its definition, aliases
    (`alternateName`) and the set it belongs to. A drug is a Drug too,
    named generically by the term (`nonProprietaryName`) and by its brand
    names (`proprietaryName`, see Term.brand_names).
    """
    data = term_reference(term, request)
    data["description"] = term.definition
    data["inDefinedTermSet"] = glossary_data(request)
    if aliases := term.alias_list:
        data["alternateName"] = aliases
    if term.kind == Term.Kind.DRUG:
        data["@type"] = ["DefinedTerm", "Drug"]
        data["nonProprietaryName"] = term.name
        if brands := term.brand_names:
            data["proprietaryName"] = brands
    return data


def term_set_data(terms, request):
    """The glossary as a DefinedTermSet of `terms`, those a page of it lists."""
    data = glossary_data(request)
    data["hasDefinedTerm"] = [term_reference(term, request) for term in terms]
    return data
