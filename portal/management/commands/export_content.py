"""
Write every article, glossary term, reference and image to a directory as
Markdown and YAML files that people can read, review and keep in version
control (with each image's original picture), and that `import_content`
loads into this or another site.

The same content always gives the same bytes, so two exports can be
compared with diff. Rendered HTML, mentions, the search index and the
sizes of images are left out: they are made again on import.
"""

from django.core.management.base import BaseCommand, CommandError

from portal.transfer.site import ExportRefused, export_site


class Command(BaseCommand):
    help = (
        "Export articles, glossary terms, references and images to DIRECTORY "
        "as Markdown and YAML files and the original pictures. The directory "
        "must be empty, new, or hold an earlier export, whose files are replaced."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Where to write the files.")

    def handle(self, *args, directory, verbosity=1, **options):
        try:
            counts = export_site(directory)
        except ExportRefused as refusal:
            raise CommandError(str(refusal)) from None
        if verbosity < 1:
            return
        for kind, count in counts.items():
            files = "file" if count == 1 else "files"
            self.stdout.write(f"{kind.label}: {count} {files} in {kind.folder}/")
        self.stdout.write(self.style.SUCCESS(f"Exported to {directory}."))
