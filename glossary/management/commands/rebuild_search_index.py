"""
Rebuild the glossary search index from the terms.

Saving or deleting a term keeps the index in step; this is for after a bulk
import that bypassed `Term.save()`, or a change to the normalisation rules.
"""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from caching.pages import changed_rows
from glossary.models import Term


class Command(BaseCommand):
    help = "Rewrite every glossary search entry and rebuild the full-text tables."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = 0
            for term in Term.objects.iterator(chunk_size=500):
                term.sync_search_entries()
                count += 1
            # What searches and suggestions find may differ now.
            changed_rows(Term, [], lists=True)
            if connection.vendor == "sqlite":
                # External-content FTS5 tables can be rebuilt from their
                # content table in one statement each.
                with connection.cursor() as cursor:
                    for table in ("glossary_search_trigrams", "glossary_search_words"):
                        cursor.execute(
                            f"INSERT INTO {table}({table}) VALUES ('rebuild')"
                        )
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} terms."))
