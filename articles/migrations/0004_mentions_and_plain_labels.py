"""
Mentions become a many-to-many field on every linked body; the article
rows of the old Mention table are copied over. Labels that only repeated
a field's name go.
"""

import django.db.models.deletion
from django.db import migrations, models


def copy_article_mentions(apps, schema_editor):
    Mention = apps.get_model("glossary", "Mention")
    Through = apps.get_model("articles", "Article").mentioned_terms.through
    db = schema_editor.connection.alias
    Through.objects.using(db).bulk_create(
        Through(article_id=article_id, term_id=term_id)
        for article_id, term_id in Mention.objects.using(db)
        .filter(article__isnull=False)
        .values_list("article_id", "term_id")
    )


def copy_article_mentions_back(apps, schema_editor):
    Mention = apps.get_model("glossary", "Mention")
    Through = apps.get_model("articles", "Article").mentioned_terms.through
    db = schema_editor.connection.alias
    Mention.objects.using(db).bulk_create(
        Mention(article_id=article_id, term_id=term_id)
        for article_id, term_id in Through.objects.using(db).values_list(
            "article_id", "term_id"
        )
    )


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0003_reference_moves_app'),
        ('glossary', '0007_mentions_and_one_alias_store'),
        ('references', '0002_plain_labels'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='mentioned_terms',
            field=models.ManyToManyField(blank=True, editable=False, related_name='mentioned_in_%(class)ss', to='glossary.term'),
        ),
        migrations.RunPython(copy_article_mentions, copy_article_mentions_back),
        migrations.AlterField(
            model_name='article',
            name='author',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name='article',
            name='body',
            field=models.TextField(blank=True, help_text='Markdown (CommonMark). Glossary terms link themselves on first mention; [[Name]] or [[Name|shown text]] links a term anywhere; [@key] or [@key1; @key2] cites references.'),
        ),
        migrations.AlterField(
            model_name='article',
            name='medical_reviewer',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name='article',
            name='references',
            field=models.ManyToManyField(blank=True, related_name='articles', through='articles.ArticleReference', to='references.reference'),
        ),
        migrations.AlterField(
            model_name='article',
            name='slug',
            field=models.SlugField(blank=True, help_text="The article's address; filled from the title when left blank.", max_length=200, unique=True),
        ),
        migrations.AlterField(
            model_name='article',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', max_length=10),
        ),
        migrations.AlterField(
            model_name='article',
            name='summary',
            field=models.TextField(blank=True, help_text='One or two sentences shown in lists and search results.', max_length=600),
        ),
        migrations.AlterField(
            model_name='article',
            name='title',
            field=models.CharField(max_length=200),
        ),
        migrations.AlterField(
            model_name='articlereference',
            name='position',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name='articlereference',
            name='reference',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='article_links', to='references.reference'),
        ),
    ]
