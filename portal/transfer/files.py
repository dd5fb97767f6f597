"""
The files of a content export: YAML written one fixed way, Markdown files
that carry their fields as YAML front matter, and YAML read as nodes, so
that every problem is reported at the line of the key that holds it.

Values are read from the nodes rather than loaded as YAML would load them:
a title typed as `No`, `12` or `2024-01-05` is the text it shows, not a
boolean, a number or a date (see portal/transfer/fields.py).
"""

import re
from dataclasses import dataclass

import yaml

FRONT_MATTER_FENCE = "---"

# Line breaks that a literal block would not keep as they are: YAML reads
# a carriage return, NEL or a Unicode line separator in a block as "\n".
UNUSUAL_BREAKS = re.compile("[\r\x85\u2028\u2029]")


class FileProblem(Exception):
    """Something wrong in a file, found at `line` (1-based) of it."""

    def __init__(self, line, message):
        super().__init__(message)
        self.line = line
        self.message = message


class Timestamp(str):
    """A UTC date and time as ISO 8601 text, written unquoted (2026-11-02T09:00:00Z)."""


class ContentDumper(yaml.SafeDumper):
    """
    Block style, with multi-line text as literal blocks that read as typed.
    Text YAML would read as something else ("No", "12", "null", "- x") is
    quoted by PyYAML's own rules.
    """

    def represent_str(self, data):
        # Single quotes and blocks would turn these breaks into spaces or
        # "\n"; double quotes write them as escapes.
        if UNUSUAL_BREAKS.search(data):
            return self.represent_scalar("tag:yaml.org,2002:str", data, style='"')
        # A block that ends in blank lines needs keep-chomping, which PyYAML
        # closes with a "..." document end; such text stays double-quoted.
        if "\n" in data.strip("\n") and not data.endswith("\n\n"):
            return self.represent_scalar("tag:yaml.org,2002:str", data, style="|")
        return super().represent_str(data)

    def represent_timestamp(self, data):
        return self.represent_scalar("tag:yaml.org,2002:timestamp", str(data))


ContentDumper.add_representer(str, ContentDumper.represent_str)
ContentDumper.add_representer(Timestamp, ContentDumper.represent_timestamp)


def dump_yaml(data):
    """`data` as YAML text, the same bytes for the same data on every run."""
    return yaml.dump(
        data,
        Dumper=ContentDumper,
        allow_unicode=True,
        default_flow_style=False,
        sort_keys=False,
        # Long summaries stay on one line rather than fold where PyYAML
        # chooses.
        width=float("inf"),
    )


def with_front_matter(fields, body):
    """A Markdown file: the fields as YAML between fences, then the body."""
    return f"{FRONT_MATTER_FENCE}\n{dump_yaml(fields)}{FRONT_MATTER_FENCE}\n{body}"


def decode(data):
    """The text of a file's bytes, which must be UTF-8; a leading BOM is dropped."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FileProblem(line, "the file is not UTF-8 text.") from None
    return text.removeprefix("\ufeff")


@dataclass
class MarkdownParts:
    front_matter: str
    # The file's line number of the first front matter line, and of the body.
    front_matter_line: int
    body: str
    body_line: int


def split_front_matter(text):
    """
    Split a Markdown file into its YAML front matter and its body, kept
    exactly as written (line endings too).
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != FRONT_MATTER_FENCE:
        raise FileProblem(
            1, f"the file must begin with a {FRONT_MATTER_FENCE} line and its fields."
        )
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip("\r\n") == FRONT_MATTER_FENCE:
            return MarkdownParts(
                front_matter="".join(lines[1:number]),
                front_matter_line=2,
                body="".join(lines[number + 1 :]),
                body_line=number + 2,
            )
    raise FileProblem(
        1, f"the fields are never closed: add a {FRONT_MATTER_FENCE} line after them."
    )


class Mapping:
    """
    A YAML mapping read as nodes: each key's value node and line, keys
    checked to be text and to appear once.
    """

    def __init__(self, node, first_line, what="the file"):
        if not isinstance(node, yaml.MappingNode):
            raise FileProblem(
                line_of(node, first_line) if node else first_line,
                f"{what} must hold fields as “name: value” lines.",
            )
        self.first_line = first_line
        self.line = line_of(node, first_line)
        self.nodes = {}
        self.lines = {}
        for key, value in node.value:
            line = line_of(key, first_line)
            if not isinstance(key, yaml.ScalarNode):
                raise FileProblem(line, "a field name must be plain text.")
            if key.value in self.nodes:
                raise FileProblem(
                    line,
                    f"{key.value} is given twice (first at line "
                    f"{self.lines[key.value]}).",
                )
            self.nodes[key.value] = value
            self.lines[key.value] = line

    def line_of(self, name):
        """The line of field `name`, or of the mapping when it is missing."""
        return self.lines.get(name, self.line)


def line_of(node, first_line):
    return node.start_mark.line + first_line


def compose(text, first_line, what="the file"):
    """
    The mapping in YAML `text` whose first line is line `first_line` of its
    file; a YAML error is reported at the line its mark gives.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        # A quote or bracket never closed is found at the end of the text;
        # the line where it was opened is the one to fix.
        if "end of stream" in (error.problem or "") and error.context_mark:
            mark = error.context_mark
        line = mark.line + first_line if mark else first_line
        problem = ", ".join(part for part in (error.context, error.problem) if part)
        raise FileProblem(line, f"invalid YAML: {problem or 'unreadable'}.") from None
    except yaml.YAMLError as error:
        raise FileProblem(first_line, f"invalid YAML: {error}.") from None
    return Mapping(node, first_line, what)
