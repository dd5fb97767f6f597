"""
Render article and term bodies again with the current glossary.

Saving a term queues the bodies it affects for the background worker, so
this is for after bulk imports, data migrations or a change to the linking
rules themselves. Each body is written in its own transaction, only over
the text it was rendered from, so editors can keep working meanwhile. With
--outdated only bodies rendered by older rules are rendered (see
glossary.markup.RENDERING_VERSION); `make run` does that after migrating.
"""

from django.core.management.base import BaseCommand

from glossary.relinking import relink_everything


class Command(BaseCommand):
    help = "Re-render article and glossary bodies with current links."

    def add_arguments(self, parser):
        parser.add_argument(
            "--outdated",
            action="store_true",
            help="Only bodies rendered by older rules than the current ones.",
        )

    def handle(self, *args, outdated=False, **options):
        count = relink_everything(outdated_only=outdated)
        self.stdout.write(self.style.SUCCESS(f"Re-rendered {count} bodies."))
