from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """Editing safeguards shared by every kind of content: versions, diffs."""

    name = "editorial"
    verbose_name = "Editorial"
