"""
Each term keeps the A–Z heading it is filed under and its order there, so
that a page of the index reads one heading's rows by an index and the
letter bar counts them in one grouped query. Existing terms get theirs from
their names here; saves keep them since.
"""

from django.db import migrations, models

from glossary.normalise import INDEX_LETTERS, index_key, index_letter

BATCH_SIZE = 1000


def file_terms(apps, schema_editor):
    Term = apps.get_model("glossary", "Term")
    db = schema_editor.connection.alias
    terms = Term.objects.using(db).only("pk", "name").order_by("pk")
    batch = []
    for term in terms.iterator(chunk_size=BATCH_SIZE):
        term.index_letter = index_letter(term.name)
        term.index_key = index_key(term.name)
        batch.append(term)
        if len(batch) == BATCH_SIZE:
            Term.objects.using(db).bulk_update(batch, ["index_letter", "index_key"])
            batch = []
    Term.objects.using(db).bulk_update(batch, ["index_letter", "index_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0015_edit_count"),
    ]

    operations = [
        migrations.AddField(
            model_name="term",
            name="index_letter",
            field=models.CharField(
                choices=[(letter, letter) for letter in INDEX_LETTERS],
                default="#",
                editable=False,
                max_length=1,
            ),
        ),
        migrations.AddField(
            model_name="term",
            name="index_key",
            field=models.CharField(default="", editable=False, max_length=200),
            preserve_default=False,
        ),
        migrations.RunPython(file_terms, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="term",
            index=models.Index(
                fields=["index_letter", "index_key"],
                name="glossary_te_index_l_54a1e3_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="term",
            index=models.Index(
                fields=["kind", "index_letter", "index_key"],
                name="glossary_te_kind_eface8_idx",
            ),
        ),
    ]
