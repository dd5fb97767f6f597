"""
What happens around an image's save and deletion: a new file gets its sizes
made in the background, and files no image uses any more are deleted once
the change has committed (never before: a rolled-back deletion keeps them).
What bodies show is the glossary's concern (glossary/signals.py).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from images.models import Image
from images.renditions import delete_files
from images.tasks import make_renditions_after_commit


@receiver(post_save, sender=Image)
def make_sizes_of_new_file(sender, instance, created, raw=False, **kwargs):
    if raw or "file" not in instance.changed_shown_fields():
        return
    make_renditions_after_commit(instance)
    replaced = instance.loaded_value("file")
    if replaced:
        # Its renditions stay in use until the new ones are stored.
        transaction.on_commit(lambda: delete_files([replaced]), robust=True)


@receiver(post_delete, sender=Image)
def delete_files_of_deleted_image(sender, instance, **kwargs):
    names = instance.stored_file_names()
    transaction.on_commit(lambda: delete_files(names), robust=True)
