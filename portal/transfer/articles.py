"""
Articles in an export: articles/<slug>.md, the article's fields as front
matter (its reference list by key, with positions) and its body below.
"""

from django.core.exceptions import ValidationError

from articles.models import Article, ArticleReference
from portal.transfer.fields import (
    Choice,
    Date,
    DateTime,
    RecordList,
    Text,
    TextList,
    WholeNumber,
)
from portal.transfer.kinds import TaggedKind
from portal.transfer.references import ReferenceKind
from references.models import Reference


class ArticleKind(TaggedKind):
    folder = "articles"
    model = Article
    fields = [
        Text("title", required=True),
        Text("slug", required=True),
        Text("summary"),
        Choice("status", required=True),
        DateTime("published_at"),
        DateTime("updated_at", required=True),
        Date("last_reviewed_on"),
        Text("author"),
        Text("medical_reviewer"),
        TextList("tags"),
        RecordList(
            "references",
            [Text("key", required=True), WholeNumber("position", required=True)],
        ),
    ]
    body = "body"

    def rows(self):
        return super().rows().prefetch_related("tags", "reference_links__reference")

    def related_values(self, row):
        return {
            **super().related_values(row),
            "references": [
                {"key": link.reference.key, "position": link.position}
                for link in row.reference_links.all()
            ],
        }

    def clean_row(self, instance):
        # Saving would date it "now", differently on every import.
        if (
            instance.status == Article.Status.PUBLISHED
            and instance.published_at is None
        ):
            raise ValidationError(
                {
                    "published_at": (
                        "a published article needs the date and time it was "
                        "published, such as 2026-11-02T09:00:00Z."
                    )
                }
            )

    def check(self, entries, known):
        super().check(entries, known)
        for entry in entries:
            listed = set()
            for index, item in enumerate(entry.values["references"]):
                found = self.check_known(
                    entry, known, "references", ReferenceKind, item["key"], index, "key"
                )
                if found is None:
                    continue
                if found in listed:
                    entry.refuse(
                        "references",
                        f"references: “{found}” is listed twice.",
                        index,
                        "key",
                    )
                listed.add(found)
                item["key"] = found
            # The list in the order readers get it, whatever order the file
            # gives; rows sharing a position keep the file's order.
            entry.values["references"].sort(key=lambda item: item["position"])

    def save_related(self, row, entry):
        """
        Make the reference list the file's, in its order and positions,
        followed by references the body cites and the file leaves out, as
        saving in the admin appends them.
        """
        changed = super().save_related(row, entry)
        wanted = [
            (item["key"], item["position"]) for item in entry.values["references"]
        ]
        cited = [key for key in dict.fromkeys(row.citations)]
        references = Reference.objects.in_bulk(
            [key for key, __ in wanted] + cited, field_name="key"
        )
        listed = {key for key, __ in wanted}
        last = max((position for __, position in wanted), default=0)
        unlisted = [key for key in cited if key not in listed and key in references]
        wanted += [(key, last + n) for n, key in enumerate(unlisted, start=1)]
        current = [
            (link.reference.key, link.position)
            for link in row.reference_links.select_related("reference")
        ]
        if current == wanted:
            return changed
        # Rows are written again in the wanted order, so that references
        # sharing a position keep their order too.
        row.reference_links.all().delete()
        ArticleReference.objects.bulk_create(
            ArticleReference(article=row, reference=references[key], position=position)
            for key, position in wanted
        )
        return True
