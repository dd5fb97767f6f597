"""
The public pages that the accessibility and HTML validity checks visit:
one of each kind a reader meets, filled with the demo content
(`manage.py load_demo`). Feeds and the sitemap are XML, not pages, and are
left out.
"""

from pathlib import Path

CHECKED_PAGES = {
    "home": "/",
    "article": "/articles/what-are-cytokines/",
    # The term with the most relations, so its relation diagram is drawn.
    "term": "/glossary/tnf-alpha/",
    "articles": "/articles/",
    "glossary index": "/glossary/",
    "glossary letter": "/glossary/letter/i/?kind=drug",
    "glossary search": "/glossary/search/?q=humira",
    "search with results": "/search/?q=cytokine",
    "search without results": "/search/?q=zzqxv",
    "references": "/references/",
    "tag": "/tags/inflammation/",
    "site page": "/about/",
    "not found": "/no-such-page/",
}

# The Node tools that check them; `make install-dev` installs node_modules.
NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"


def expected_status(name):
    """The status a page answers with: 404 for the missing page, else 200."""
    return 404 if name == "not found" else 200
