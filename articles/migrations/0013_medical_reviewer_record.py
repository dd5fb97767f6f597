import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """
    The typed medical reviewer becomes a link to a reviewer record. The
    typed names are kept aside until 0012 has made a record of each, and
    dropped in 0013: on PostgreSQL, rows written in a migration cannot be
    followed by a change to their table in the same transaction.
    """

    dependencies = [
        ("articles", "0012_publishing_workflow"),
    ]

    operations = [
        migrations.RenameField(
            model_name="article",
            old_name="medical_reviewer",
            new_name="medical_reviewer_name",
        ),
        migrations.AddField(
            model_name="article",
            name="medical_reviewer",
            field=models.ForeignKey(
                blank=True,
                help_text="Who last reviewed the article medically.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="articles",
                to="articles.reviewer",
            ),
        ),
    ]
