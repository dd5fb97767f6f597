"""
Markdown to safe HTML.

Bodies are written in CommonMark by editors and rendered once, when they are
saved. The parser's output is passed through nh3 with an allow-list, so raw
HTML typed into a body can format text but never run a script.
"""

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt",
    "em", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "mark",
    "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "title", "lang"},
    "a": {"href", "class", "aria-describedby", "role", "tabindex"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "span": {"class", "role", "id"},
    "sup": {"class"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def heading_slug(text):
    """Return a URL fragment for a heading, the way readers would guess it."""
    from django.utils.text import slugify

    return slugify(text) or "section"


def make_parser():
    """
    Return a CommonMark parser with tables and ids on h2-h4.

    An article's title is its page's only h1, so a body's top-level headings
    start at h2; a `# Heading` typed by an editor is shifted down one level
    when it is sanitised.
    """
    parser = MarkdownIt("commonmark", {"typographer": False}).enable("table")
    parser.use(anchors_plugin, min_level=1, max_level=4, slug_func=heading_slug)
    return parser


_parser = None


def get_parser():
    global _parser
    if _parser is None:
        _parser = make_parser()
    return _parser


def demote_h1(tokens):
    for token in tokens:
        if token.type in {"heading_open", "heading_close"} and token.tag == "h1":
            token.tag = "h2"


def sanitise(html):
    """Keep only allow-listed tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        clean_content_tags={"script", "style"},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def render_tokens(tokens):
    parser = get_parser()
    demote_h1(tokens)
    return sanitise(parser.renderer.render(tokens, parser.options, {}))


def parse(source, env=None):
    """Return markdown-it tokens for `source` (None and "" give no tokens)."""
    return get_parser().parse(source or "", env if env is not None else {})


def render_markdown(source):
    """Return sanitised HTML for a Markdown `source`."""
    return render_tokens(parse(source))
