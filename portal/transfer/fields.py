"""
How each kind of value is written to an export and read back from its YAML
node. Readers raise FileProblem at the node's line; a value absent from a
file reads as `blank()`.
"""

import datetime
import re

import yaml

from portal.transfer.files import FileProblem, Mapping, Timestamp, line_of

NULL_TAG = "tag:yaml.org,2002:null"
WHOLE_NUMBER = re.compile(r"^[0-9]+$")


def described(node):
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "fields"
    return f"“{node.value}”"


class Field:
    """One value of a file, stored in the model field of the same name."""

    def __init__(self, name, required=False):
        self.name = name
        self.required = required

    def blank(self):
        return None

    def is_blank(self, value):
        return value in (None, "", [])

    def read(self, node, first_line, model):
        """The value the node holds, checked; FileProblem if it is wrong."""
        raise NotImplementedError

    def dump(self, value):
        """The value as it is written to a file."""
        return value

    def problem(self, node, first_line, expected):
        return FileProblem(
            line_of(node, first_line),
            f"{self.name}: expected {expected}, found {described(node)}.",
        )


class Text(Field):
    """
    Text. A plain scalar is taken as typed: `No`, `12` and `null` as text
    would be quoted in an export, and read the same way when they are not.
    Only an empty value or `~` reads as blank.
    """

    def blank(self):
        return ""

    def read(self, node, first_line, model):
        if not isinstance(node, yaml.ScalarNode):
            raise self.problem(node, first_line, "text")
        if node.tag == NULL_TAG:
            return ""
        if "\x00" in node.value:
            # PostgreSQL cannot store it, and no editor types it.
            raise FileProblem(
                line_of(node, first_line), f"{self.name}: contains a NUL character."
            )
        return node.value


class Choice(Text):
    """
    One of a model field's choices, read from the field when the file is
    read, so that a status or kind added to the model is accepted at once.
    """

    def __init__(self, name, required=False, field=None):
        super().__init__(name, required)
        self.field = field

    def read(self, node, first_line, model):
        value = super().read(node, first_line, model)
        field = self.field or model._meta.get_field(self.name)
        allowed = [str(choice) for choice, __ in field.choices]
        if value and value not in allowed:
            raise FileProblem(
                line_of(node, first_line),
                f"{self.name}: unknown value “{value}”; use one of "
                f"{', '.join(allowed)}.",
            )
        return value


class WholeNumber(Field):
    def read(self, node, first_line, model):
        value = Text.read(self, node, first_line, model)
        if value == "":
            return None
        if not WHOLE_NUMBER.match(value):
            raise self.problem(node, first_line, "a whole number")
        return int(value)


class Boolean(Field):
    """`true` or `false` (YAML's `yes` and `no` too); blank reads as false."""

    # As YAML 1.1 reads them, in any case.
    WORDS = {
        **dict.fromkeys(["true", "yes", "on"], True),
        **dict.fromkeys(["false", "no", "off"], False),
    }

    def blank(self):
        return False

    def read(self, node, first_line, model):
        value = Text.read(self, node, first_line, model)
        if value == "":
            return False
        if value.casefold() not in self.WORDS:
            raise self.problem(node, first_line, "true or false")
        return self.WORDS[value.casefold()]


class Date(Field):
    """A calendar date, 2026-11-18."""

    def read(self, node, first_line, model):
        value = Text.read(self, node, first_line, model)
        if value == "":
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise FileProblem(
                line_of(node, first_line),
                f"{self.name}: “{value}” is not a date; write it as 2026-11-18.",
            ) from None


class DateTime(Field):
    """A moment, written in UTC: 2026-11-02T09:00:00Z."""

    def read(self, node, first_line, model):
        value = Text.read(self, node, first_line, model)
        if value == "":
            return None
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            reason = "is not a date and time" if moment is None else "has no time zone"
            raise FileProblem(
                line_of(node, first_line),
                f"{self.name}: “{value}” {reason}; write it as "
                "2026-11-02T09:00:00Z (UTC) or with an offset, +01:00.",
            )
        return moment.astimezone(datetime.UTC)

    def dump(self, value):
        if value is None:
            return None
        text = value.astimezone(datetime.UTC).isoformat()
        return Timestamp(text.removesuffix("+00:00") + "Z")


class TextList(Field):
    """A list of texts, each on its own `- ` line."""

    def __init__(self, name, required=False, item=None):
        super().__init__(name, required)
        self.item = item or Text(name)

    def blank(self):
        return []

    def read(self, node, first_line, model):
        if isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise self.problem(node, first_line, "a list")
        return [self.item.read(item, first_line, model) for item in node.value]

    def dump(self, value):
        return [self.item.dump(item) for item in value]

    @staticmethod
    def item_lines(node, first_line):
        """
        For each item of a list node, {None: its line}, and for an item
        with fields the line of each field too.
        """
        if not isinstance(node, yaml.SequenceNode):
            return []
        lines = []
        for item in node.value:
            item_lines = {None: line_of(item, first_line)}
            if isinstance(item, yaml.MappingNode):
                for key, __ in item.value:
                    item_lines.setdefault(key.value, line_of(key, first_line))
            lines.append(item_lines)
        return lines


class RecordList(TextList):
    """A list of small records, each a few `name: value` fields."""

    def __init__(self, name, fields, required=False):
        super().__init__(name, required)
        self.fields = fields

    def read(self, node, first_line, model):
        if isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise self.problem(node, first_line, "a list")
        return [self.read_record(item, first_line, model) for item in node.value]

    def read_record(self, node, first_line, model):
        names = [field.name for field in self.fields]
        record = Mapping(node, first_line, f"each item of {self.name}")
        unknown = [name for name in record.nodes if name not in names]
        if unknown:
            raise FileProblem(
                record.line_of(unknown[0]),
                f"{self.name}: unknown field {unknown[0]}; each item has "
                f"{', '.join(names)}.",
            )
        values = {}
        for field in self.fields:
            if field.name not in record.nodes:
                raise FileProblem(
                    record.line, f"{self.name}: an item has no {field.name}."
                )
            values[field.name] = field.read(record.nodes[field.name], first_line, model)
            if field.required and field.is_blank(values[field.name]):
                raise FileProblem(
                    record.line_of(field.name),
                    f"{self.name}: an item's {field.name} is blank.",
                )
        return values

    def dump(self, value):
        return [
            {field.name: field.dump(record[field.name]) for field in self.fields}
            for record in value
        ]
