"""
Editors' markers in rendered bodies: an unresolved `[[link]]` or a citation
that could not be resolved is shown marked to staff and as plain text to
visitors.

A body is rendered once, at save, with its markers. Each piece that only
staff should see is enclosed in a pair of HTML comments; visitors are served
the body with those pieces cut out. The comments are added after the body has
been sanitised, and the sanitiser removes every comment an editor types, so a
body can never hide its own text from visitors.
"""

import re

STAFF_ONLY_START = "<!--staff-only-->"
STAFF_ONLY_END = "<!--/staff-only-->"
STAFF_ONLY = re.compile(f"{STAFF_ONLY_START}.*?{STAFF_ONLY_END}", re.DOTALL)


def staff_only(html):
    """`html` marked as shown to staff only."""
    return f"{STAFF_ONLY_START}{html}{STAFF_ONLY_END}"


def marked(html, css_class, title):
    """
    `html` inside a marker that staff see (a span of `css_class` with an
    explanatory `title`, both already escaped) and visitors do not: they
    see `html` alone.
    """
    return (
        staff_only(f'<span class="{css_class}" title="{title}">')
        + html
        + staff_only("</span>")
    )


def for_visitors(html):
    """Rendered body HTML with every staff-only piece removed."""
    if STAFF_ONLY_START not in html:
        return html
    return STAFF_ONLY.sub("", html)
