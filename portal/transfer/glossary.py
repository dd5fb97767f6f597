"""
Glossary terms in an export: glossary/<slug>.md, the term's fields as
front matter (relations to other terms by slug, references by key) and its
body below.
"""

from glossary.models import Term, TermRelation, split_aliases
from portal.transfer.fields import Choice, RecordList, Text, TextList
from portal.transfer.kinds import TaggedKind
from portal.transfer.references import ReferenceKind
from references.models import Reference


class TermKind(TaggedKind):
    folder = "glossary"
    model = Term
    fields = [
        Text("name", required=True),
        Text("slug", required=True),
        Choice("kind", required=True),
        TextList("aliases"),
        Text("definition", required=True),
        RecordList(
            "relations",
            [
                Choice(
                    "relation",
                    required=True,
                    field=TermRelation._meta.get_field("kind"),
                ),
                Text("term", required=True),
            ],
        ),
        TextList("tags"),
        TextList("references"),
    ]
    body = "body"
    unique = ["name"]

    def rows(self):
        return (
            super().rows().prefetch_related("tags", "references", "relations__target")
        )

    def loaded(self, name, value):
        # Aliases are stored one per line.
        return split_aliases(value) if name == "aliases" else value

    def stored(self, name, value):
        return "\n".join(value) if name == "aliases" else value

    def related_values(self, row):
        return {
            **super().related_values(row),
            "relations": sorted_relations(
                {"relation": relation.kind, "term": relation.target.slug}
                for relation in row.relations.all()
            ),
            "references": sorted({reference.key for reference in row.references.all()}),
        }

    def normalise(self, entry):
        super().normalise(entry)
        values = entry.values
        # As Term.save() keeps them: once each, without the name itself.
        term = Term(
            name=values["name"], aliases=self.stored("aliases", values["aliases"])
        )
        values["aliases"] = term.alias_list
        if problem := term.alias_limit_problem():
            entry.refuse("aliases", f"aliases: {problem}")

    def check(self, entries, known):
        super().check(entries, known)
        for entry in entries:
            keys = entry.values["references"]
            entry.values["references"] = sorted(
                {
                    found
                    for index, key in enumerate(keys)
                    if (
                        found := self.check_known(
                            entry, known, "references", ReferenceKind, key, index
                        )
                    )
                }
            )
            for index, relation in enumerate(entry.values["relations"]):
                slug = relation["term"]
                if slug == entry.key:
                    entry.refuse(
                        "relations",
                        "relations: a term cannot be related to itself.",
                        index,
                        "term",
                    )
                else:
                    self.check_known(
                        entry, known, "relations", TermKind, slug, index, "term"
                    )
            # Sorted only now: until the checks, each item's place in the
            # list gives its line.
            entry.values["relations"] = sorted_relations(entry.values["relations"])

    def save_related(self, row, entry):
        changed = super().save_related(row, entry)
        # A reference the body cites is listed by saving, as in the admin.
        wanted = Reference.objects.filter(
            key__in=[*entry.values["references"], *row.citations]
        )
        current = row.references.all()
        if set(wanted) != set(current):
            row.references.set(wanted)
            changed = True
        return changed

    def save_links(self, entry):
        """Make the term's relations to others exactly those of its file."""
        row = entry.row
        wanted = {
            (relation["relation"], relation["term"])
            for relation in entry.values["relations"]
        }
        current = {
            (relation.kind, relation.target.slug): relation
            for relation in row.relations.select_related("target")
        }
        leaving = [
            relation.pk for pair, relation in current.items() if pair not in wanted
        ]
        arriving = wanted - set(current)
        if leaving:
            TermRelation.objects.filter(pk__in=leaving).delete()
        if arriving:
            targets = Term.objects.in_bulk(
                [slug for __, slug in arriving], field_name="slug"
            )
            TermRelation.objects.bulk_create(
                TermRelation(source=row, kind=kind, target=targets[slug])
                for kind, slug in sorted(arriving)
            )
        return bool(leaving or arriving)


def sorted_relations(relations):
    """Relations once each, by relation and then term."""
    unique = {(relation["relation"], relation["term"]) for relation in relations}
    return [{"relation": kind, "term": slug} for kind, slug in sorted(unique)]
