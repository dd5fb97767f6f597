"""
What the glossary does when terms and references change: re-render the
bodies whose links the change affects (see glossary/relinking.py).

Receivers rather than `save()` overrides, so that bulk deletes in the admin
are covered too, and so that models never call the relinker themselves.
"""

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from glossary import relinking
from glossary.models import Term
from references.models import Reference
from references.signals import key_changed


@receiver(post_save, sender=Term)
def relink_after_term_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created or instance.has_new_link_fields():
        relinking.schedule(
            term_ids=[instance.pk], texts=[instance.name, *instance.alias_list]
        )


@receiver(pre_delete, sender=Term)
def relink_after_term_delete(sender, instance, **kwargs):
    relinking.schedule(term_ids=[instance.pk])


@receiver(post_save, sender=Reference)
def relink_after_reference_save(sender, instance, raw=False, **kwargs):
    # Bodies citing the new key showed it as unknown, and bodies citing the
    # old one link to an entry that has gone: render both.
    if raw or instance.key_as_loaded == instance.key:
        return
    keys = (instance.key_as_loaded, instance.key)
    relinking.schedule(texts=[f"@{key}" for key in keys if key])


@receiver(key_changed, sender=Reference)
def recite_after_reference_rekeyed(sender, reference, old_key, **kwargs):
    return relinking.recite_bodies(old_key, reference.key)


@receiver(pre_delete, sender=Reference)
def relink_after_reference_delete(sender, instance, **kwargs):
    # Citations of the key become "unknown" once it has gone.
    relinking.schedule(texts=[f"@{instance.key}"])
