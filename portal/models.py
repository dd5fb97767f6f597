"""The site's own records: which rows the demo content put there."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class DemoRow(models.Model):
    """
    A row that `load_demo` created for an entry of the demo data, or found
    and took over in a database loaded before rows were recorded. Only
    recorded rows are ever restored by `load_demo --reset`, so a row an
    editor made is never overwritten, whatever slug or key it takes. The
    record outlives its row: a demo row an editor deleted stays deleted
    until a reset recreates it.
    """

    entry = models.CharField(
        "demo entry",
        max_length=300,
        unique=True,
        help_text="Kind and key or slug in the demo data, such as term:etanercept.",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    row = GenericForeignKey("content_type", "object_id")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_demo_entry_per_row"
            ),
        ]

    def __str__(self):
        return self.entry
