"""Term references point at the `references` app's Reference (same table)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("glossary", "0005_trigram_vocabulary"),
        ("references", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="term",
                    name="references",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="terms",
                        to="references.reference",
                        verbose_name="References",
                    ),
                ),
            ],
        ),
    ]
