"""
Load a directory written by `export_content` into this site, empty or not.

Rows are matched by slug (articles, terms, images) or key (references, in
any case): missing ones are created, changed ones updated, and rows the files
do not mention are left as they are. Every file is read and checked first;
if any has a problem, each problem is printed with its file and line and
nothing is written. Otherwise everything is written in one transaction,
and the pages are then relinked, so that they are right when the command
ends; the worker makes the sizes of images whose picture was stored.
Running it twice changes nothing the second time.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from portal.transfer.site import ImportRefused, import_site

OUTCOMES = ("created", "updated", "unchanged")


class Command(BaseCommand):
    help = (
        "Import articles, glossary terms, references and images from a directory "
        "written by export_content, creating and updating rows by slug or key. "
        "Nothing is written if any file has a problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="A directory written by export_content.")

    def handle(self, *args, directory, verbosity=1, **options):
        try:
            outcomes, (relinked, left) = import_site(directory)
        except ImportRefused as refusal:
            raise CommandError(str(refusal)) from None
        except DatabaseError as error:
            # A clash with an editor's save made meanwhile, or a busy
            # database: the transaction was rolled back as a whole.
            raise CommandError(
                f"Nothing was imported: the database refused a write ({error}). "
                "Run the import again."
            ) from None
        if verbosity < 1:
            return
        for kind, counts in outcomes.items():
            line = ", ".join(f"{counts[outcome]} {outcome}" for outcome in OUTCOMES)
            self.stdout.write(f"{kind.label}: {line}")
        self.stdout.write(f"Relinked {relinked} pages.")
        if left:
            self.stdout.write(
                self.style.WARNING(
                    f"{left} pages could not be relinked yet; the worker retries them."
                )
            )
        self.stdout.write(self.style.SUCCESS(f"Imported {directory}."))
