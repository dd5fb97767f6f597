"""
Render article and term bodies again with the current glossary.

Saving a term queues the bodies it affects for the background worker, so
this is for after bulk imports, data migrations or a change to the linking
rules themselves. Each body is written in its own transaction, only over
the text it was rendered from, so editors can keep working meanwhile. With
--outdated only bodies rendered by older rules are rendered (see
glossary.markup.RENDERING_VERSION); `make run` does that after migrating.
With --resume nothing is rendered here: a background run is queued for the
bodies a stopped worker left waiting, for a worker started on its own
(`make worker`, or a supervisor's start command).
"""

from django.core.management.base import BaseCommand

from glossary.relinking import relink_everything
from glossary.tasks import resume_relinking


class Command(BaseCommand):
    help = "Re-render article and glossary bodies with current links."

    def add_arguments(self, parser):
        parser.add_argument(
            "--outdated",
            action="store_true",
            help="Only bodies rendered by older rules than the current ones.",
        )
        parser.add_argument(
            "--resume",
            action="store_true",
            help="Queue a background run for bodies left waiting; render nothing.",
        )

    def handle(self, *args, outdated=False, resume=False, **options):
        if resume:
            started = resume_relinking()
            self.stdout.write(
                "Queued a relinking run for the bodies waiting."
                if started
                else "No bodies are waiting to be relinked."
            )
            return
        count = relink_everything(outdated_only=outdated)
        self.stdout.write(self.style.SUCCESS(f"Re-rendered {count} bodies."))
