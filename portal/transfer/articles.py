"""
Articles in an export: articles/<slug>.md, the article's fields as front
matter (its reference list by key, with positions) and its body below.
"""

from django.core.exceptions import ValidationError

from articles.models import Article, ArticleReference, Reviewer
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
        # The reviewer record as readers see it; its account is not exported.
        Text("medical_reviewer"),
        Text("medical_reviewer_credentials"),
        TextList("tags"),
        RecordList(
            "references",
            [Text("key", required=True), WholeNumber("position", required=True)],
        ),
    ]
    body = "body"

    def rows(self):
        return (
            super()
            .rows()
            .select_related("medical_reviewer")
            .prefetch_related("tags", "reference_links__reference")
        )

    def is_column(self, name):
        # The reviewer is a record of its own, written as its name and
        # credentials.
        return name != "medical_reviewer" and super().is_column(name)

    def related_values(self, row):
        reviewer = row.medical_reviewer
        return {
            **super().related_values(row),
            "medical_reviewer": reviewer.name if reviewer else "",
            "medical_reviewer_credentials": reviewer.credentials if reviewer else "",
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
            reviewer = entry.values["medical_reviewer"]
            if entry.values["medical_reviewer_credentials"] and not reviewer:
                entry.refuse(
                    "medical_reviewer_credentials",
                    "medical_reviewer_credentials: give the reviewer's name in "
                    "medical_reviewer too.",
                )
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
        changed = self.save_reviewer(row, entry)
        changed = super().save_related(row, entry) or changed
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

    def save_reviewer(self, row, entry):
        """
        Name the entry's reviewer on the row: the record with that name and
        credentials, made if the site has none. Return whether it changed.
        """
        name = entry.values["medical_reviewer"]
        credentials = entry.values["medical_reviewer_credentials"]
        reviewer = None
        if name:
            reviewer = Reviewer.objects.filter(
                name=name, credentials=credentials
            ).first() or Reviewer.objects.create(name=name, credentials=credentials)
        if row.medical_reviewer_id == (reviewer.pk if reviewer else None):
            return False
        # Only the reviewer: a save would render the body again for nothing.
        Article.objects.filter(pk=row.pk).update(medical_reviewer=reviewer)
        row.medical_reviewer = reviewer
        return True
