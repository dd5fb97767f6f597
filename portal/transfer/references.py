"""References in an export: references/<key>.yaml, every field."""

from portal.transfer.fields import Choice, Date, Text, WholeNumber
from portal.transfer.kinds import ContentKind
from references.models import Reference


class ReferenceKind(ContentKind):
    folder = "references"
    model = Reference
    key = "key"
    # Citations are typed by hand, so keys differing only in case are one.
    key_ignores_case = True
    fields = [
        Text("key", required=True),
        Choice("kind", required=True),
        Text("authors"),
        Text("title", required=True),
        Text("container"),
        Text("editors"),
        Text("publisher"),
        WholeNumber("year"),
        WholeNumber("month"),
        WholeNumber("day"),
        Text("edition"),
        Text("volume"),
        Text("issue"),
        Text("pages"),
        Text("doi"),
        Text("pmid"),
        Text("url"),
        Date("accessed_on"),
    ]

    def clean_row(self, instance):
        # Dates that cannot be (31 June) and the database's own checks; the
        # key's uniqueness is checked across the files and the site.
        instance.clean()
        instance.validate_constraints(exclude={"key"})
