"""
Links built from stored data: reference addresses, DOIs and PubMed IDs, and
whatever else a page, a feed, JSON-LD or a citation file points to.

Forms check what editors type, but rows also arrive by import, from older
data or straight through the ORM. So every such address is checked again
where it is written out: only an absolute http(s) address or a path on this
site becomes a link; anything else (`javascript:`, `data:`, `vbscript:`,
`//other.host`, a bare word) is shown as the text it is.
"""

import re
from urllib.parse import quote

from django.utils.encoding import iri_to_uri
from django.utils.html import escape, format_html

# Browsers drop tabs and line breaks anywhere in an address and controls
# and spaces at its ends before they read its scheme: "java\tscript:" is
# "javascript:" to them, so the check reads the address the same way.
IGNORED_BY_BROWSERS = re.compile(r"[\t\n\r]")
ENDS_IGNORED_BY_BROWSERS = "".join(chr(code) for code in range(0x21))
# A host must follow the two slashes: "https:///x" or "https:/\x" would
# be read as another host, or this site's, by different browsers.
WEB_ADDRESS = re.compile(r"https?://[^/\\?#\s]", re.IGNORECASE)
# A path on this site, but not "//host" or "/\host", which browsers read
# as another site's address.
SITE_PATH = re.compile(r"/(?![/\\])")

DOI_RESOLVER = "https://doi.org/"
PUBMED = "https://pubmed.ncbi.nlm.nih.gov/"


def link_address(url):
    """
    `url` ready for an href or a `url` in JSON-LD: an absolute http(s)
    address or a path of this site, with spaces, quotes and other
    characters an address cannot hold percent-encoded; "" for anything
    else, which must not be linked.
    """
    read = IGNORED_BY_BROWSERS.sub("", url or "").strip(ENDS_IGNORED_BY_BROWSERS)
    if WEB_ADDRESS.match(read) or SITE_PATH.match(read):
        return iri_to_uri(read)
    return ""


def link_or_text(url, text=None, rel="noopener noreferrer"):
    """
    An escaped `<a>` to `url` showing `text` (the address itself when not
    given), or `text` as escaped plain text when `url` is not an address
    that may be linked (see `link_address`).
    """
    text = url if text is None else text
    address = link_address(url)
    if not address:
        return escape(text)
    if rel:
        return format_html('<a href="{}" rel="{}">{}</a>', address, rel, text)
    return format_html('<a href="{}">{}</a>', address, text)


def doi_address(doi):
    """The resolver's address of `doi`, percent-encoded; "" for no DOI."""
    return f"{DOI_RESOLVER}{quote(doi.strip(), safe='/')}" if doi else ""


def pubmed_address(pmid):
    """PubMed's page of `pmid`, percent-encoded; "" for no PMID."""
    return f"{PUBMED}{quote(pmid.strip(), safe='')}/" if pmid else ""
