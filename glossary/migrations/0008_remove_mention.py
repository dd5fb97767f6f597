"""The old Mention table goes once both apps have copied its rows."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0004_mentions_and_plain_labels"),
        ("glossary", "0007_mentions_and_one_alias_store"),
    ]

    operations = [
        migrations.DeleteModel(name="Mention"),
    ]
