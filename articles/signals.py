"""
What articles do when something they show changes elsewhere: an image's
new slug is written into the changes waiting for approval (the live
bodies are the glossary's concern, glossary/signals.py).
"""

from django.dispatch import receiver

from articles.models import PendingRevision
from images.embedding import slug_changed
from images.models import Image


@receiver(slug_changed, sender=Image)
def re_embed_in_changes_waiting(sender, image, old_slug, **kwargs):
    return PendingRevision.objects.re_embed(old_slug, image.slug)
