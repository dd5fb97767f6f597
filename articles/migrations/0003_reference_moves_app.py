"""
Reference leaves this app for `references`; its table stays, so only
Django's record of the models changes here.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0002_linked_body"),
        ("glossary", "0006_reference_moves_app"),
        ("references", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="articlereference",
                    name="reference",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="article_links",
                        to="references.reference",
                        verbose_name="Reference",
                    ),
                ),
                migrations.AlterField(
                    model_name="article",
                    name="references",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="articles",
                        through="articles.ArticleReference",
                        to="references.reference",
                        verbose_name="References",
                    ),
                ),
                migrations.DeleteModel(name="Reference"),
            ],
        ),
    ]
