from django.core.management.base import BaseCommand

from caching.dependencies import EVERYTHING
from caching.pages import changed


class Command(BaseCommand):
    help = (
        "Drop every kept page (they are rendered again as readers ask), "
        "for example after changing templates without a migration."
    )

    def handle(self, *args, **options):
        changed(EVERYTHING)
        self.stdout.write("Every kept page will be rendered again.")
