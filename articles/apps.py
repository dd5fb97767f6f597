from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self):
        # Importing the module connects its receivers; it imports models,
        # which can only be loaded once the app registry is ready.
        from articles import signals  # noqa: F401
