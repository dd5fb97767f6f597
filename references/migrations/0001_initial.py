"""
References move from the `articles` app to their own, keeping their table.

Only Django's record of the models moves; the table `articles_reference`
and every row in it stay where they are. The content type is renamed, not
replaced, so permissions and admin history that point at it carry over.
"""

import django.core.validators
from django.db import migrations, models


def rename_content_type(apps, schema_editor, old_label, new_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    moved = ContentType.objects.using(db).filter(app_label=old_label, model="reference")
    if moved.exists():
        # A row under the new label can only be an empty one created by a
        # partial run; the old row is the one permissions point at.
        ContentType.objects.using(db).filter(
            app_label=new_label, model="reference"
        ).delete()
        moved.update(app_label=new_label)


def forwards(apps, schema_editor):
    rename_content_type(apps, schema_editor, "articles", "references")


def backwards(apps, schema_editor):
    rename_content_type(apps, schema_editor, "references", "articles")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("articles", "0002_linked_body"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Reference',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('key', models.SlugField(help_text='Short unique citation key, such as mcinnes-2007.', max_length=80, unique=True, verbose_name='Key')),
                    ('kind', models.CharField(choices=[('journal', 'Journal article'), ('book', 'Book'), ('chapter', 'Book chapter'), ('web', 'Web page')], default='journal', max_length=10, verbose_name='Kind')),
                    ('authors', models.CharField(blank=True, help_text='As written in the source, Vancouver style: “McInnes IB, Schett G”.', max_length=500, verbose_name='Authors')),
                    ('title', models.CharField(max_length=500, verbose_name='Title')),
                    ('container', models.CharField(blank=True, help_text='Journal (abbreviated, e.g. “Nat Rev Immunol”), book or website.', max_length=300, verbose_name='Container')),
                    ('editors', models.CharField(blank=True, help_text="For a book chapter: the book's editors, “Klippel JH, Stone JH”.", max_length=500, verbose_name='Editors')),
                    ('publisher', models.CharField(blank=True, max_length=300, verbose_name='Publisher')),
                    ('year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='Year')),
                    ('month', models.PositiveSmallIntegerField(blank=True, choices=[(1, 'Jan'), (2, 'Feb'), (3, 'Mar'), (4, 'Apr'), (5, 'May'), (6, 'Jun'), (7, 'Jul'), (8, 'Aug'), (9, 'Sep'), (10, 'Oct'), (11, 'Nov'), (12, 'Dec')], null=True, verbose_name='Month')),
                    ('day', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='Day')),
                    ('edition', models.CharField(blank=True, help_text='A number (12) or text.', max_length=40, verbose_name='Edition')),
                    ('volume', models.CharField(blank=True, max_length=40, verbose_name='Volume')),
                    ('issue', models.CharField(blank=True, max_length=40, verbose_name='Issue')),
                    ('pages', models.CharField(blank=True, help_text='Such as 429-442.', max_length=40, verbose_name='Pages')),
                    ('doi', models.CharField(blank=True, help_text='Without the resolver: 10.1038/nri2094.', max_length=200, validators=[django.core.validators.RegexValidator('^10\\.\\d{4,9}/\\S+$', 'Enter a DOI such as 10.1038/nri2094 (it starts with “10.” and has a slash).', code='invalid_doi')], verbose_name='DOI')),
                    ('pmid', models.CharField(blank=True, max_length=9, validators=[django.core.validators.RegexValidator('^[1-9]\\d{0,8}$', 'Enter a PubMed ID: digits only, such as 17525752.', code='invalid_pmid')], verbose_name='PMID')),
                    ('url', models.URLField(blank=True, max_length=500, verbose_name='URL')),
                    ('accessed_on', models.DateField(blank=True, help_text='When a web page was read.', null=True, verbose_name='Accessed')),
                ],
                options={
                    'db_table': 'articles_reference',
                    'ordering': ['authors', 'year', 'title'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('month__isnull', True), models.Q(('month__gte', 1), ('month__lte', 12)), _connector='OR'), name='reference_month_in_range'), models.CheckConstraint(condition=models.Q(('day__isnull', True), models.Q(('day__gte', 1), ('day__lte', 31)), _connector='OR'), name='reference_day_in_range')],
                },
            ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
