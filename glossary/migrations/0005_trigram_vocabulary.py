"""
Document counts of the trigram index, so that a typo lookup can read the
rarer, more telling trigrams first. SQLite only: PostgreSQL's pg_trgm index
needs no help.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE glossary_search_trigram_vocab "
            "USING fts5vocab('glossary_search_trigrams', 'row')"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS glossary_search_trigram_vocab")


class Migration(migrations.Migration):
    dependencies = [("glossary", "0004_search_indexes")]

    operations = [migrations.RunPython(create, drop)]
