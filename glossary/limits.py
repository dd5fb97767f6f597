"""
How much one save may ask of the server.

Rendering a body (Markdown parse, glossary linking, nh3) takes time in
proportion to its length, and some bodies cost far more than their length
suggests: HTML tags nested fifty thousand deep take nh3 seconds, and a
table's cost follows its number of cells. Each limit here is checked by a
cheap scan of the source that builds no tree, before anything is rendered:
as model validation, so the admin shows the form again with the text kept
and a message naming the limit, and again by `glossary.markup.render_body`,
which shows a body over the limits (saved from code, or from before them)
as plain text instead of rendering it.

Every value is set here, once; README.md ("Limits") lists them.
"""

import re
from collections import Counter

# A long article is 20,000 to 40,000 characters; rendering 100,000 of the
# slowest Markdown there is (thousands of unmatched brackets) takes about
# a second and a half.
BODY_MAX_LENGTH = 100_000
# How deep HTML tags typed in a body may nest. Ten is deep for real content
# (a table cell in a list in a quote); nh3's parser slows down with every
# level, quadratically past a few thousand.
HTML_MAX_DEPTH = 20
# A table wider than this cannot be read on any screen; the cost of a table
# follows its cells (about 30 µs each), so they are bounded in all.
TABLE_MAX_COLUMNS = 30
TABLE_MAX_CELLS = 10_000
# markdown-it's nesting limit (its `maxNesting`): a quote opens one level,
# a list two (the list and its item). Content that would go deeper is not
# nested further; glossary.markup shows its markers as typed.
MARKDOWN_MAX_NESTING = 20
# Every alias is a row in the search index and a key in the linking
# automaton, and each one is checked against every other term's names.
TERM_MAX_ALIASES = 100
ALIAS_MAX_LENGTH = 200


def body_problems(source):
    """
    What in a body's Markdown `source` is over the limits, as messages for
    the editor; none for a body within them. A body over the length limit
    gets that message alone and is not scanned further.
    """
    source = source or ""
    if len(source) > BODY_MAX_LENGTH:
        return [
            f"The body is {len(source):,} characters long; the most a body "
            f"can hold is {BODY_MAX_LENGTH:,}."
        ]
    problems = []
    depth = html_depth(source)
    if depth > HTML_MAX_DEPTH:
        problems.append(
            f"HTML tags typed in the body nest {depth:,} deep; the most is "
            f"{HTML_MAX_DEPTH}. A tag left open (<div> without </div>) holds "
            f"everything after it."
        )
    tables = table_sizes(source)
    for line, columns, __ in tables:
        if columns > TABLE_MAX_COLUMNS:
            problems.append(
                f"The table on line {line:,} has {columns:,} columns; the most "
                f"a table can have is {TABLE_MAX_COLUMNS}."
            )
    cells = sum(columns * rows for __, columns, rows in tables)
    if cells > TABLE_MAX_CELLS:
        problems.append(
            f"The body's tables have {cells:,} cells; the most a body's "
            f"tables can have in all is {TABLE_MAX_CELLS:,}."
        )
    return problems


def is_within_limits(source):
    return not body_problems(source)


def alias_count_problem(aliases):
    """The message for a list of `aliases` longer than a term may have."""
    if len(aliases) > TERM_MAX_ALIASES:
        return (
            f"The term has {len(aliases):,} aliases; the most a term can have "
            f"is {TERM_MAX_ALIASES}."
        )
    return None


# HTML tags, as an HTML parser reads them: "<" and a letter start a tag,
# whose name runs to a space, "/" or ">".
TAG = re.compile(r"<(/?)([A-Za-z][^\t\n\f\r />]*)")
VOID_ELEMENTS = frozenset(
    "area base basefont bgsound br col embed frame hr img input keygen link "
    "meta param source track wbr".split()
)
# HTML's "special" elements: an end tag of an ordinary element (</span>)
# never closes one of these, nor anything opened before it.
SPECIAL_ELEMENTS = frozenset(
    "address applet area article aside base basefont bgsound blockquote body "
    "br button caption center col colgroup dd details dir div dl dt embed "
    "fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 "
    "head header hgroup hr html iframe img input keygen li link listing main "
    "marquee menu meta nav noembed noframes noscript object ol p param "
    "plaintext pre script search section select source style summary table "
    "tbody td template textarea tfoot th thead title tr track ul wbr xmp".split()
)
# Where the end tag of a special element stops looking for its start tag.
SCOPE_LIMITS = frozenset(
    "applet caption html table td th marquee object template".split()
)
TABLE_PARTS = frozenset("caption table tbody td tfoot th thead tr".split())
TABLE_SCOPE_LIMITS = frozenset({"html", "table", "template"})
# A start tag that ends an element left open, as browsers read
# `<li>one<li>two` and `<td>a<td>b`: {tag: (what it ends, where the search
# for it stops)}.
_LIST_ITEM_LIMITS = SPECIAL_ELEMENTS - {"address", "div", "p"}
IMPLIED_ENDS = {
    "li": ({"li"}, _LIST_ITEM_LIMITS),
    "dt": ({"dt", "dd"}, _LIST_ITEM_LIMITS),
    "dd": ({"dt", "dd"}, _LIST_ITEM_LIMITS),
    "tr": ({"tr"}, {"table", "thead", "tbody", "tfoot", "template"}),
    "td": ({"td", "th"}, {"tr", "table", "template"}),
    "th": ({"td", "th"}, {"tr", "table", "template"}),
    "thead": ({"thead", "tbody", "tfoot"}, TABLE_SCOPE_LIMITS),
    "tbody": ({"thead", "tbody", "tfoot"}, TABLE_SCOPE_LIMITS),
    "tfoot": ({"thead", "tbody", "tfoot"}, TABLE_SCOPE_LIMITS),
    "option": ({"option"}, {"select", "datalist", "optgroup"}),
    "optgroup": ({"optgroup", "option"}, {"select"}),
}
# Start tags that end an open paragraph (`<p>one<div>` puts the div after
# it, not inside).
ENDS_PARAGRAPH = frozenset(
    "address article aside blockquote center details dialog dir div dl dd dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup "
    "hr li listing main menu nav ol p plaintext pre search section summary "
    "table ul xmp".split()
)
PARAGRAPH_SCOPE_LIMITS = SCOPE_LIMITS | {"button"}
# How far down the open tags a tag looks for the one it ends. Bounded, so
# the scan stays linear; a tag that finds nothing within it ends nothing,
# which can only count a body deeper than it is.
LOOKBACK = 32


def html_depth(source):
    """
    How deep the HTML tags typed in `source` nest, read as a browser would
    read them, in one pass with no tree: void elements (br, img, hr) hold
    nothing; a tag left open holds everything after it, as it does in a
    browser; an end tag closes the nearest open tag of its name (and what
    was opened inside it), or nothing where a browser would ignore it;
    `<li>`, `<p>`, `<td>` and `<tr>` end an open one of their kind.

    Tags inside code and comments are counted too: the scan reads no
    Markdown, so it errs towards counting a body deeper than it is.
    """
    stack, open_count, deepest = [], Counter(), 0

    def end_through(index):
        for name in stack[index:]:
            open_count[name] -= 1
        del stack[index:]

    def find_open(wanted, limits):
        """Index in `stack` of the nearest open tag in `wanted`, or None."""
        if not any(open_count[name] for name in wanted):
            return None
        for index in range(len(stack) - 1, max(-1, len(stack) - 1 - LOOKBACK), -1):
            if stack[index] in wanted:
                return index
            if stack[index] in limits:
                return None
        return None

    for match in TAG.finditer(source):
        closing, name = match.group(1), match.group(2).lower()
        # Markdown autolinks (<https://example.org>, <name@example.org>)
        # become complete links; no element name has ":" or "@".
        if ":" in name or "@" in name:
            continue
        if closing:
            if name in TABLE_PARTS:
                limits = TABLE_SCOPE_LIMITS
            elif name in SPECIAL_ELEMENTS:
                limits = SCOPE_LIMITS
            else:
                limits = SPECIAL_ELEMENTS
            index = find_open({name}, limits)
            if index is not None:
                end_through(index)
            continue
        if name in VOID_ELEMENTS:
            continue
        if name in IMPLIED_ENDS:
            index = find_open(*IMPLIED_ENDS[name])
            if index is not None:
                end_through(index)
        if name in ENDS_PARAGRAPH:
            index = find_open({"p"}, PARAGRAPH_SCOPE_LIMITS)
            if index is not None:
                end_through(index)
        stack.append(name)
        open_count[name] += 1
        deepest = max(deepest, len(stack))
    return deepest


DELIMITER_ROW_CHARACTERS = frozenset("|:- \t")


def table_sizes(source):
    """
    (line number, columns, rows) of each Markdown table in `source`, rows
    counting the header. A table is a header row with a "|" followed by a
    delimiter row (`|---|:--:|`, or `---` under a one-column header), whose
    cells are the table's columns; its rows run to the next blank line.
    Quote markers and indentation before a row are skipped, so tables in
    quotes and lists count too. markdown-it ends a table at some lines
    before a blank one; counting them errs towards a larger table.
    """
    lines = [line.lstrip(" \t>") for line in source.splitlines()]
    tables, index = [], 1
    while index < len(lines):
        row = lines[index].strip()
        if not (
            "|" in lines[index - 1]
            and "-" in row
            and set(row) <= DELIMITER_ROW_CHARACTERS
        ):
            index += 1
            continue
        # One pipe at each end is optional; the others divide cells.
        row = row.removeprefix("|").removesuffix("|")
        columns = row.count("|") + 1
        end = index + 1
        while end < len(lines) and lines[end].strip():
            end += 1
        tables.append((index, columns, end - index))
        index = end + 1
    return tables
