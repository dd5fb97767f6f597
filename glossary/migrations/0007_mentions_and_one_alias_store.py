"""
Mentions become a many-to-many field on every linked body (this step copies
the terms' own; articles copy theirs in articles 0004, and the old table
goes in 0008). Aliases are kept only as search entries: the Alias table,
written from the same text, goes.
"""

from django.db import migrations, models


def copy_term_mentions(apps, schema_editor):
    Mention = apps.get_model("glossary", "Mention")
    Through = apps.get_model("glossary", "Term").mentioned_terms.through
    db = schema_editor.connection.alias
    Through.objects.using(db).bulk_create(
        Through(from_term_id=in_term_id, to_term_id=term_id)
        for in_term_id, term_id in Mention.objects.using(db)
        .filter(in_term__isnull=False)
        .values_list("in_term_id", "term_id")
    )


def copy_term_mentions_back(apps, schema_editor):
    Mention = apps.get_model("glossary", "Mention")
    Through = apps.get_model("glossary", "Term").mentioned_terms.through
    db = schema_editor.connection.alias
    Mention.objects.using(db).bulk_create(
        Mention(in_term_id=from_term_id, term_id=to_term_id)
        for from_term_id, to_term_id in Through.objects.using(db).values_list(
            "from_term_id", "to_term_id"
        )
    )


class Migration(migrations.Migration):

    dependencies = [
        ('glossary', '0006_reference_moves_app'),
        ('references', '0002_plain_labels'),
    ]

    operations = [
        migrations.AddField(
            model_name='term',
            name='mentioned_terms',
            field=models.ManyToManyField(blank=True, editable=False, related_name='mentioned_in_%(class)ss', to='glossary.term'),
        ),
        migrations.AlterField(
            model_name='term',
            name='aliases',
            field=models.TextField(blank=True, help_text='One per line: brand names, abbreviations and other spellings (Humira; TNF-α; TNF-alpha).'),
        ),
        migrations.AlterField(
            model_name='term',
            name='body',
            field=models.TextField(blank=True, help_text='Markdown (CommonMark). Glossary terms link themselves on first mention; [[Name]] or [[Name|shown text]] links a term anywhere; [@key] or [@key1; @key2] cites references.'),
        ),
        migrations.AlterField(
            model_name='term',
            name='definition',
            field=models.TextField(help_text='One or two plain sentences, shown in previews and results.', max_length=500),
        ),
        migrations.AlterField(
            model_name='term',
            name='kind',
            field=models.CharField(choices=[('cytokine', 'Cytokine'), ('cytokine-family', 'Cytokine family'), ('drug', 'Drug'), ('drug-class', 'Drug class'), ('disease', 'Disease'), ('cell', 'Cell'), ('concept', 'Concept')], default='concept', max_length=20),
        ),
        migrations.AlterField(
            model_name='term',
            name='name',
            field=models.CharField(max_length=200, unique=True),
        ),
        migrations.AlterField(
            model_name='term',
            name='references',
            field=models.ManyToManyField(blank=True, related_name='terms', to='references.reference'),
        ),
        migrations.AlterField(
            model_name='term',
            name='slug',
            field=models.SlugField(blank=True, help_text="The term's address; filled from the name when left blank.", max_length=200, unique=True),
        ),
        migrations.RunPython(copy_term_mentions, copy_term_mentions_back),
        migrations.DeleteModel(
            name='Alias',
        ),
    ]
