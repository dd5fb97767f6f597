"""
What the glossary does when terms, references and linked bodies change
(see glossary/relinking.py and glossary/tasks.py):

- a change to what links show (a term's names, aliases, slug or
  definition; a reference's key; an image's slug, alt text, caption,
  credit or sizes, or its deletion) is recorded in its own transaction and
  the affected bodies are relinked in the background once it commits;
- a reference's new key or an image's new slug is written into the bodies
  citing or embedding the old one, in the same transaction;
- after an editor saves a body, the body is queued again if the glossary
  changed while it was being rendered.

Receivers rather than `save()` overrides, so that bulk deletes in the admin
are covered too, and so that models never call the relinker themselves.
"""

from django.db import transaction
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from glossary import relinking
from glossary.models import LinkedBody, Term
from glossary.tasks import relink_after_commit, relink_pending
from glossary.transient import retry_transient
from images.embedding import EMBED_SCHEME, slug_changed
from images.models import Image
from references.models import Reference
from references.signals import key_changed


def relink_in_background(term_ids=(), texts=(), image_ids=()):
    relinking.request(term_ids=term_ids, texts=texts, image_ids=image_ids)
    relink_after_commit()


@receiver(post_save, sender=Term)
def relink_after_term_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created or instance.has_new_link_fields():
        # Bodies that link to the term show its new slug or definition;
        # bodies that contain a new name or alias may now link to it.
        relink_in_background(
            term_ids=[instance.pk], texts=instance.names_added_since_loaded()
        )


@receiver(pre_delete, sender=Term)
def relink_after_term_delete(sender, instance, **kwargs):
    relink_in_background(term_ids=[instance.pk])


@receiver(post_save, sender=Reference)
def relink_after_reference_save(sender, instance, raw=False, **kwargs):
    # Bodies citing the new key showed it as unknown, and bodies citing the
    # old one link to an entry that has gone: render both.
    if raw or instance.key_as_loaded == instance.key:
        return
    keys = (instance.key_as_loaded, instance.key)
    relink_in_background(texts=[f"@{key}" for key in keys if key])


@receiver(key_changed, sender=Reference)
def recite_after_reference_rekeyed(sender, reference, old_key, **kwargs):
    return relinking.recite_bodies(old_key, reference.key)


@receiver(pre_delete, sender=Reference)
def relink_after_reference_delete(sender, instance, **kwargs):
    # Citations of the key become "unknown" once it has gone.
    relink_in_background(texts=[f"@{instance.key}"])


@receiver(post_save, sender=Image)
def relink_after_image_save(sender, instance, created, raw=False, **kwargs):
    # A new file changes nothing shown until its sizes are made, which is
    # a save of its own.
    changed = instance.changed_shown_fields() - {"file"}
    if raw or not changed:
        return
    # Bodies embedding the image show its new texts or sizes, or, with a
    # new slug, that it is missing; bodies naming a new slug may show it.
    new_slug = created or "slug" in changed
    relink_in_background(
        image_ids=[] if created else [instance.pk],
        texts=[f"{EMBED_SCHEME}{instance.slug}"] if new_slug else [],
    )


@receiver(slug_changed, sender=Image)
def re_embed_after_image_renamed(sender, image, old_slug, **kwargs):
    return relinking.re_embed_bodies(old_slug, image.slug)


@receiver(pre_delete, sender=Image)
def relink_after_image_delete(sender, instance, **kwargs):
    # Its figures become link problems once it has gone.
    relink_in_background(image_ids=[instance.pk])


@receiver(post_save)
def follow_up_body_save(sender, instance, raw=False, **kwargs):
    if raw or not isinstance(instance, LinkedBody):
        return
    transaction.on_commit(lambda: follow_up(instance), robust=True)


def follow_up(body):
    if retry_transient(relinking.follow_up, body):
        relink_pending.enqueue()
