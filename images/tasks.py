"""
The images' background task, on Django's Tasks framework like the
glossary's relinking (glossary/tasks.py): the worker started by `make run`
or `make serve` runs it; tests run it at once.
"""

import logging

from django.db import transaction
from django_tasks import task

from images import renditions
from images.models import Image

logger = logging.getLogger(__name__)


@task()
def make_renditions(image_id):
    """
    Make the sizes readers are served of image `image_id` and record them;
    the bodies embedding it are then rendered again with them (see
    glossary/signals.py). Safe to run twice or late: an image whose current
    file has its renditions, or that has gone, is left alone, and sizes made
    from a file replaced meanwhile are thrown away.
    """
    image = Image.objects.filter(pk=image_id).first()
    if image is None or image.has_current_renditions():
        return {"sizes": 0}
    source_name = image.file.name
    made = renditions.make_renditions(source_name)
    unused = image.store_renditions(source_name, made)
    transaction.on_commit(lambda: renditions.delete_files(unused), robust=True)
    return {"sizes": len(made)}


def make_renditions_after_commit(image):
    """
    Start making `image`'s sizes once the current transaction commits. A
    task that cannot be enqueued is logged, never raised: the upload has
    been saved, and the admin shows the image as still being prepared.
    """
    transaction.on_commit(lambda: make_renditions.enqueue(image.pk), robust=True)
