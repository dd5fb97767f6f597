from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "glossary"

    def ready(self):
        # Importing the module connects its receivers; it imports models,
        # which can only be loaded once the app registry is ready.
        from glossary import signals  # noqa: F401
