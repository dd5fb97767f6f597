"""
Search forms now drop apostrophes and compare words by their stem
("Crohn’s" is "crohn", "cytokines" is "cytokin"), as glossary linking does:
rewrite the stored forms of every search entry. The full-text tables follow
through their update triggers.
"""

from django.db import migrations


def rewrite_search_forms(apps, schema_editor):
    from glossary.normalise import compact, normalise_words

    SearchEntry = apps.get_model("glossary", "SearchEntry")
    db = schema_editor.connection.alias
    changed = []
    for entry in SearchEntry.objects.using(db).iterator(chunk_size=1000):
        words = " ".join(normalise_words(entry.text))
        form = "" if entry.source == "definition" else compact(entry.text)[:255]
        if (entry.compact, entry.words) != (form, words):
            entry.compact, entry.words = form, words
            changed.append(entry)
    SearchEntry.objects.using(db).bulk_update(
        changed, ["compact", "words"], batch_size=500
    )


class Migration(migrations.Migration):
    dependencies = [("glossary", "0009_old_term_slugs_redirect")]

    operations = [
        migrations.RunPython(rewrite_search_forms, migrations.RunPython.noop),
    ]
