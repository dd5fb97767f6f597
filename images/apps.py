from django.apps import AppConfig


class ImagesConfig(AppConfig):
    """Uploaded images that article and term bodies embed by slug."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "images"

    def ready(self):
        # Importing the module connects its receivers; it imports models,
        # which can only be loaded once the app registry is ready.
        from images import signals  # noqa: F401
