"""
A form whose save failed, handed back to the editor from the request alone
(no database): every value as posted, to send again with one button, and
the text typed into it, to read and copy.
"""

from dataclasses import dataclass

# The admin's hidden counts of inline rows; not typed by anyone.
MANAGEMENT_FIELDS = (
    "-TOTAL_FORMS",
    "-INITIAL_FORMS",
    "-MIN_NUM_FORMS",
    "-MAX_NUM_FORMS",
)
# The tallest box a typed value is shown in, in lines, and about how many
# characters a line of the box holds.
MOST_ROWS = 15
LINE_LENGTH = 80


@dataclass
class TypedField:
    name: str
    value: str

    @property
    def rows(self):
        """Lines enough for the value as the box wraps it, up to MOST_ROWS."""
        lines = self.value.splitlines() or [""]
        wrapped = sum(1 + len(line) // LINE_LENGTH for line in lines)
        return min(wrapped, MOST_ROWS)


def posted_fields(request):
    """Every (name, value) the request posted, in order, repeated names too."""
    return [(name, value) for name, values in request.POST.lists() for value in values]


def is_typed(name, value):
    """
    Whether a posted field is text an editor typed: not blank, and not the
    CSRF token, a count of inline rows, a button (the admin's are named
    "_save", "_continue"...) or a password, which is never shown.
    """
    return bool(
        value.strip()
        and name != "csrfmiddlewaretoken"
        and not name.endswith(MANAGEMENT_FIELDS)
        and not name.startswith("_")
        and "password" not in name
    )


def typed_fields(request):
    """The posted fields an editor typed, as TypedField, in order."""
    return [
        TypedField(name, value)
        for name, value in posted_fields(request)
        if is_typed(name, value)
    ]


def sent_files(request):
    """The names of the files the request sent, which cannot be sent again."""
    return [file.name for __, files in request.FILES.lists() for file in files]
