"""
What articles do when something they show changes elsewhere: an image's
new slug, or a reference's new key, is written into the changes waiting
for approval (the live bodies are the glossary's concern,
glossary/signals.py).
"""

from django.dispatch import receiver

from articles.models import PendingRevision
from images.embedding import slug_changed
from images.models import Image
from references.models import Reference
from references.signals import key_changed


@receiver(slug_changed, sender=Image)
def re_embed_in_changes_waiting(sender, image, old_slug, **kwargs):
    return PendingRevision.objects.re_embed(old_slug, image.slug)


@receiver(key_changed, sender=Reference)
def recite_in_changes_waiting(sender, reference, old_key, **kwargs):
    PendingRevision.objects.recite(old_key, reference.key)
    # The editor is told how many pages readers see were rewritten; the
    # waiting changes are rewritten besides, uncounted.
    return 0
