from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CachingConfig(AppConfig):
    """
    Rendered pages kept for anonymous readers, each dropped exactly when
    something it shows changes (caching/pages.py).
    """

    name = "caching"

    def ready(self):
        from caching import signals

        signals.connect()
        # A deployment migrates: pages kept by the code before it may show
        # what the new templates no longer do.
        post_migrate.connect(drop_every_page, sender=self)


def drop_every_page(**kwargs):
    from caching.dependencies import EVERYTHING
    from caching.pages import changed

    changed(EVERYTHING)
