from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "glossary"

    def ready(self):
        from django.db.models.signals import pre_delete

        from glossary import relinking
        from glossary.models import Term

        def relink_after_delete(sender, instance, **kwargs):
            # A signal, not Term.delete(), so that bulk deletes in the admin
            # are covered too.
            relinking.schedule(term_ids=[instance.pk])

        pre_delete.connect(relink_after_delete, sender=Term, weak=False)

        def relink_after_reference_delete(sender, instance, **kwargs):
            # Citations of the key become "unknown" once it has gone.
            relinking.schedule(texts=[f"@{instance.key}"])

        pre_delete.connect(
            relink_after_reference_delete, sender="articles.Reference", weak=False
        )
