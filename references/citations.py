"""
Numbering of a body's reference list, Vancouver style: cited references in
order of first citation, then the uncited ones in the order given.
"""

from collections import Counter
from dataclasses import dataclass
from typing import Any


@dataclass
class ListedReference:
    """A reference as a body lists it: number and the places citing it."""

    number: int
    reference: Any  # a references.models.Reference
    citation_ids: list

    @property
    def key(self):
        return self.reference.key


def number_references(attached, citations):
    """
    Number `attached` references (in their listed order) for a body whose
    `citations` are the keys of its [@key] uses, in order.
    """
    first_use = {key: n for n, key in enumerate(dict.fromkeys(citations))}
    uses = Counter(citations)
    ordered = sorted(attached, key=lambda ref: first_use.get(ref.key, len(first_use)))
    return [
        ListedReference(
            number=number,
            reference=reference,
            citation_ids=[
                f"cite-{reference.key}-{use}"
                for use in range(1, uses[reference.key] + 1)
            ],
        )
        for number, reference in enumerate(ordered, start=1)
    ]
