"""
Render every article and term body again with the current glossary.

Saving a term re-renders the bodies it affects, so this is for after bulk
imports, data migrations or a change to the linking rules themselves.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from glossary.relinking import relink_everything


class Command(BaseCommand):
    help = "Re-render all article and glossary bodies with current links."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = relink_everything()
        self.stdout.write(self.style.SUCCESS(f"Re-rendered {count} bodies."))
