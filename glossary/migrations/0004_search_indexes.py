"""
Full-text and trigram indexes for glossary search, per database.

SQLite: two external-content FTS5 tables over glossary_searchentry (trigram
tokenizer on `compact` for typos and substrings, unicode61 on `words` for
word search), kept in step by triggers so that every insert, update and
delete of an entry, cascades included, reaches them.

PostgreSQL: pg_trgm's GIN index on `compact`, a pattern index for prefix
LIKE, and a GIN tsvector index on `words`.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE glossary_search_trigrams USING fts5(
        compact, content='glossary_searchentry', content_rowid='id',
        tokenize='trigram')""",
    """CREATE VIRTUAL TABLE glossary_search_words USING fts5(
        words, content='glossary_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER glossary_searchentry_ai AFTER INSERT ON glossary_searchentry
    BEGIN
        INSERT INTO glossary_search_trigrams(rowid, compact)
            VALUES (new.id, new.compact);
        INSERT INTO glossary_search_words(rowid, words) VALUES (new.id, new.words);
    END""",
    """CREATE TRIGGER glossary_searchentry_ad AFTER DELETE ON glossary_searchentry
    BEGIN
        INSERT INTO glossary_search_trigrams(glossary_search_trigrams, rowid, compact)
            VALUES ('delete', old.id, old.compact);
        INSERT INTO glossary_search_words(glossary_search_words, rowid, words)
            VALUES ('delete', old.id, old.words);
    END""",
    """CREATE TRIGGER glossary_searchentry_au AFTER UPDATE ON glossary_searchentry
    BEGIN
        INSERT INTO glossary_search_trigrams(glossary_search_trigrams, rowid, compact)
            VALUES ('delete', old.id, old.compact);
        INSERT INTO glossary_search_words(glossary_search_words, rowid, words)
            VALUES ('delete', old.id, old.words);
        INSERT INTO glossary_search_trigrams(rowid, compact)
            VALUES (new.id, new.compact);
        INSERT INTO glossary_search_words(rowid, words) VALUES (new.id, new.words);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS glossary_searchentry_au",
    "DROP TRIGGER IF EXISTS glossary_searchentry_ad",
    "DROP TRIGGER IF EXISTS glossary_searchentry_ai",
    "DROP TABLE IF EXISTS glossary_search_words",
    "DROP TABLE IF EXISTS glossary_search_trigrams",
]
POSTGRESQL_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE INDEX glossary_searchentry_compact_trgm
        ON glossary_searchentry USING gin (compact gin_trgm_ops)""",
    """CREATE INDEX glossary_searchentry_compact_pattern
        ON glossary_searchentry (compact varchar_pattern_ops)""",
    """CREATE INDEX glossary_searchentry_words_tsv
        ON glossary_searchentry USING gin (to_tsvector('simple', words))""",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS glossary_searchentry_words_tsv",
    "DROP INDEX IF EXISTS glossary_searchentry_compact_pattern",
    "DROP INDEX IF EXISTS glossary_searchentry_compact_trgm",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


def fill_index(apps, schema_editor):
    """Index the terms that exist already (an upgraded site)."""
    from glossary.search import compact, normalise_words

    Term = apps.get_model("glossary", "Term")
    SearchEntry = apps.get_model("glossary", "SearchEntry")
    for term in Term.objects.prefetch_related("alias_rows"):
        texts = [("name", term.name)]
        texts += [("alias", alias.name) for alias in term.alias_rows.all()]
        texts.append(("definition", term.definition))
        SearchEntry.objects.bulk_create(
            SearchEntry(
                term=term,
                source=source,
                text=text,
                compact="" if source == "definition" else compact(text)[:255],
                words=" ".join(normalise_words(text)),
            )
            for source, text in texts
        )


class Migration(migrations.Migration):
    dependencies = [("glossary", "0003_search_entry")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        ),
        migrations.RunPython(fill_index, migrations.RunPython.noop),
    ]
