"""
Markdown to safe HTML.

Bodies are written in CommonMark by editors and rendered once, when they are
saved. The parser's output is passed through nh3 with an allow-list, so raw
HTML typed into a body can format text but never run a script. A body over
the limits of glossary/limits.py is never parsed or sanitised: it is shown
as escaped plain text.
"""

import re
from html import escape

import nh3
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin

from glossary.limits import MARKDOWN_MAX_NESTING, is_within_limits
from glossary.linking import strip_fragment_marks

# Raised whenever the HTML that rendering produces for the same source and
# glossary changes (new link or citation rules, say). Bodies remember the
# version they were rendered with, and `manage.py relink --outdated`, which
# `make run` runs after migrating, renders the older ones again.
RENDERING_VERSION = 6

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt",
    "em", "h2", "h3", "h4", "h5", "h6", "hr", "i", "kbd", "li", "mark",
    "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
# No <img>: an image typed as HTML or Markdown would make readers' browsers
# fetch it from wherever it points. Uploaded images are put in as figures
# after sanitising (glossary/figures.py); anything else is never shown.
ALLOWED_ATTRIBUTES = {
    "*": {"id", "title", "lang"},
    "a": {"href", "class", "aria-describedby", "aria-label"},
    "abbr": {"title"},
    "ol": {"start"},
    "span": {"class", "role", "id"},
    "sup": {"class"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def heading_slug(text):
    """Return a URL fragment for a heading, the way readers would guess it."""
    return slugify(text) or "section"


def make_parser():
    """
    Return a CommonMark parser with tables and ids on h2-h4.

    An article's title is its page's only h1, so a body's top-level headings
    start at h2; a `# Heading` typed by an editor is shifted down one level
    when it is sanitised.
    """
    parser = MarkdownIt(
        "commonmark", {"typographer": False, "maxNesting": MARKDOWN_MAX_NESTING}
    ).enable("table")
    parser.use(anchors_plugin, min_level=1, max_level=4, slug_func=heading_slug)
    parser.core.ruler.before("text_join", "keep_escapes_literal", keep_escapes_literal)
    for container in ("blockquote", "list"):
        keep_within_nesting(parser.block.ruler, container)
    return parser


def keep_within_nesting(ruler, name):
    """
    Make the block rule `name` (quotes or lists) decline to open a quote or
    list whose content would pass markdown-it's nesting limit. markdown-it
    drops every line from there to the end of the enclosing block; declined,
    those lines are read as text, so deeper markers show as typed and none
    of the text is lost.
    """
    (rule,) = [rule for rule in ruler.__rules__ if rule.name == name]
    opens = rule.fn

    def within_nesting(state, start_line, end_line, silent):
        # A list opens two levels (the list and its item) before its
        # content, a quote one.
        if state.level + 2 >= state.md.options.maxNesting:
            return False
        return opens(state, start_line, end_line, silent)

    ruler.at(name, within_nesting, {"alt": rule.alt})


# Characters that start a citation or a link; typed escaped (`\[@key]`),
# they are meant as the characters themselves.
LINK_STARTS = {"[": "&#91;", "@": "&#64;"}


def keep_escapes_literal(state):
    """
    Turn an escaped `[` or `@` into a character reference, before escapes
    are joined to the text around them: the linker then never sees it as
    the start of a citation or a link, and readers see the character.
    """
    for token in state.tokens:
        for child in token.children or ():
            if (
                child.type == "text_special"
                and child.info == "escape"
                and child.content in LINK_STARTS
            ):
                child.type = "html_inline"
                child.content = LINK_STARTS[child.content]


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


# Elements whose content an HTML parser reads as text up to their end tag,
# and <plaintext>, which has none. Typed without that end tag, one takes
# the rest of the body with it: nh3 drops <script> and <style> with their
# content, and shows the others' as markup.
TEXT_CONTENT_ELEMENT = re.compile(
    r"<(script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext)\b",
    re.IGNORECASE,
)
COMMENT_START = "<!--"
# SVG and MathML are not allowed, and the sanitiser drops whatever is inside
# them, text included, up to their end tag or the body's end: their start
# tags are shown as text, so that what is inside is kept.
FOREIGN_START_TAG = re.compile(r"<(?=(?:svg|math)\b)", re.IGNORECASE)


def defuse_unclosed(html):
    """
    `html` with each start tag of such an element that is not closed later,
    and each comment that is never closed, written as text: the rest of the
    body is shown, with what was typed there, instead of disappearing.
    """
    pieces, position = [], 0
    for match in TEXT_CONTENT_ELEMENT.finditer(html):
        end_tag = re.compile(rf"</{match[1]}\s*>", re.IGNORECASE)
        if match[1].lower() == "plaintext" or not end_tag.search(html, match.end()):
            pieces += [html[position : match.start()], "&lt;"]
            position = match.start() + 1
    pieces.append(html[position:])
    html = FOREIGN_START_TAG.sub("&lt;", "".join(pieces))
    start = html.rfind(COMMENT_START)
    # "<!-->" is a whole (empty) comment to browsers, so the search for its
    # end begins inside its start.
    if start != -1 and html.find("-->", start + 2) == -1:
        html = f"{html[:start]}&lt;{html[start + 1 :]}"
    return html


def top_level_blocks(tokens):
    """`tokens` cut into their top-level blocks (a paragraph, a list...)."""
    block = []
    for token in tokens:
        block.append(token)
        if token.level == 0 and token.nesting <= 0:
            yield block
            block = []
    if block:
        yield block


def render_tokens(tokens):
    """
    HTML for `tokens`, sanitised one top-level block at a time: HTML typed
    into a block and left open (a <table>, a <div>) is closed at the end of
    that block, and cannot take the blocks after it in, where the sanitiser
    would drop them with it.
    """
    parser = get_parser()
    demote_h1(tokens)
    return "".join(
        sanitise(defuse_unclosed(parser.renderer.render(block, parser.options, {})))
        for block in top_level_blocks(tokens)
    )


# HTML blocks that CommonMark ends at a closing tag or "-->" anywhere later,
# and otherwise at the end of the body: everything after one typed
# without its end would be HTML, not Markdown.
OPEN_ENDED_BLOCK = re.compile(
    r" {0,3}(?:(?P<comment><!--)|<(?:script|pre|style|textarea)(?=[\s>]|$))",
    re.IGNORECASE,
)
OPEN_ENDED_BLOCK_ENDS = re.compile(r"</(?:script|pre|style|textarea)>", re.IGNORECASE)


def runs_to_the_end(token):
    """Whether `token` is such a block that found no end before the body's."""
    start = OPEN_ENDED_BLOCK.match(token.content)
    if token.type != "html_block" or start is None:
        return False
    if start["comment"]:
        return "-->" not in token.content[start.end() - 2 :]
    return OPEN_ENDED_BLOCK_ENDS.search(token.content) is None


def parse(source, env=None):
    """
    Return markdown-it tokens for `source` (None and "" give no tokens).

    A comment or a <script>, <pre>, <style> or <textarea> block typed
    without its end would make the rest of the body one block of HTML, which
    the sanitiser then drops or shows as markup: its first "<" is read as
    text instead, and the rest as Markdown.
    """
    lines = (source or "").split("\n")
    while True:
        tokens = get_parser().parse("\n".join(lines), env if env is not None else {})
        open_ended = next(filter(runs_to_the_end, tokens), None)
        if open_ended is None:
            return tokens
        line = open_ended.map[0]
        lines[line] = lines[line].replace("<", "\\<", 1)


BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


def render_plain_text(source):
    """`source` as escaped text, a paragraph for each run of lines."""
    paragraphs = BLANK_LINES.split(source.replace("\r\n", "\n").strip())
    return "\n".join(f"<p>{escape(text)}</p>" for text in paragraphs if text)


def render_markdown(source):
    """Return sanitised HTML for a Markdown `source` (see render_body)."""
    if not is_within_limits(source):
        return render_plain_text(source)
    return render_tokens(parse(source))


def link_inline_tokens(tokens, linker):
    """
    Replace the plain text of each inline token with linked HTML, and each
    image with what glossary/figures.py shows for it.

    Runs of text and soft line breaks are joined first, so a term split over
    two source lines is still found. Text inside links (Markdown or raw
    `<a>`) and inside headings is left unlinked; code is never touched
    because it arrives as its own token types. An uploaded image alone in
    its paragraph becomes a figure in the paragraph's place (a figure cannot
    sit inside a paragraph).
    """
    for index, token in enumerate(tokens):
        if token.type == "html_block":
            token.content = linker.raw_html(token.content)
        if token.type != "inline" or not token.children:
            continue
        if index > 0 and tokens[index - 1].type == "paragraph_open":
            if _figure_alone(token, linker):
                tokens[index - 1].hidden = tokens[index + 1].hidden = True
                continue
        in_heading = index > 0 and tokens[index - 1].type == "heading_open"
        token.children = _link_children(token.children, linker, in_heading)


def _figure_alone(token, linker):
    """
    If the inline `token` holds one image and nothing but spaces, make it
    that image's figure and return True; False, and nothing changed, if it
    holds more or the image is not shown as a figure.
    """
    images = [child for child in token.children if child.type == "image"]
    others = [
        child
        for child in token.children
        if child.type != "image"
        and (child.type != "text" or child.content.strip())
        and child.type != "softbreak"
    ]
    if len(images) != 1 or others:
        return False
    report_length = len(linker.report.image_problems)
    html, is_figure = linker.image(images[0].attrGet("src"), image_alt(images[0]), True)
    if not is_figure:
        # Rendered again inline with the rest, where it is noted once.
        del linker.report.image_problems[report_length:]
        return False
    token.children = [Token("html_inline", "", 0, content=html)]
    return True


def image_alt(token):
    """The alt text of a Markdown image token, as plain text."""
    parser = get_parser()
    return parser.renderer.renderInlineAsText(token.children, parser.options, {})


def _link_children(children, linker, in_heading):
    output, run, link_depth = [], [], 0

    def flush():
        if run:
            text = "".join(
                "\n" if child.type == "softbreak" else child.content for child in run
            )
            html = linker.rewrite(text, in_heading=in_heading, in_link=link_depth > 0)
            output.append(Token("html_inline", "", 0, content=html))
            run.clear()

    for child in children:
        if child.type in {"text", "softbreak"}:
            run.append(child)
            continue
        flush()
        if child.type == "image":
            html, __ = linker.image(child.attrGet("src"), image_alt(child))
            output.append(Token("html_inline", "", 0, content=html))
            continue
        if child.type == "html_inline":
            child.content = linker.raw_html(child.content)
        if child.type == "link_open":
            link_depth += 1
        elif child.type == "link_close":
            link_depth -= 1
        elif child.type == "html_inline":
            tag = child.content.lstrip("<").lower()
            if tag.startswith("a ") or tag.startswith("a>"):
                link_depth += 1
            elif tag.startswith("/a"):
                link_depth = max(0, link_depth - 1)
        output.append(child)
    flush()
    return output


def render_body(source, linker):
    """
    Return sanitised HTML for `source`, linked by `linker`.

    The linker (glossary.linking.BodyLinker) records what it linked and
    what it could not resolve in `linker.report`. A body over the limits
    (glossary/limits.py), which validation refuses but code can still save,
    is shown as plain text, unlinked: parsing and sanitising it could hold
    the server for minutes.
    """
    if not is_within_limits(source):
        return render_plain_text(source)
    tokens = parse(strip_fragment_marks(source or ""))
    link_inline_tokens(tokens, linker)
    return linker.fill(render_tokens(tokens))
