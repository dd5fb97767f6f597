"""
The glossary's background tasks, on Django's Tasks framework (the
django-tasks backport): with the database backend a worker started by
`make run` or `make serve` (`manage.py db_worker`) runs them; tests run
them at once.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from glossary import relinking

logger = logging.getLogger(__name__)

# How long a run that left bodies queued waits before trying them again.
RETRY_AFTER = timedelta(seconds=30)


@task()
def relink_pending():
    """
    Relink every body waiting in the queue. Safe to run any number of
    times, at once or in any order: each body is written only over the text
    it was rendered from, and a run with nothing queued does nothing. A run
    that had to leave bodies queued schedules another.
    """
    relinked, left = relinking.relink_pending()
    if left:
        logger.warning("%d bodies are still waiting to be relinked.", left)
        retry_later()
    return {"relinked": relinked, "left": left}


def retry_later():
    if relink_pending.get_backend().supports_defer:
        relink_pending.using(run_after=timezone.now() + RETRY_AFTER).enqueue()


def resume_relinking():
    """
    Start a relinking run if bodies wait with none to take them: a worker
    stopped in the middle of a run (Ctrl-C, a restart, a crash) leaves its
    bodies queued, and until the next glossary change readers would see the
    old links. Returns whether a run was started.
    """
    if not relinking.has_pending():
        return False
    relink_pending.enqueue()
    return True


def relink_after_commit():
    """
    Start a relinking run once the current transaction commits. A run
    that cannot be enqueued is logged, never raised: the change it follows
    has committed, and its bodies stay queued for the next run.
    """
    transaction.on_commit(relink_pending.enqueue, robust=True)
