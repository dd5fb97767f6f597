"""
One password check at a time on a machine.

Checking a password (Django's PBKDF2) costs a fifth of a second or more of
one core, and the sign-in form checks one even for an account that does
not exist, so that the time taken says nothing. Lock-outs stop a client
after a few failures, but until then every guess costs a check: six
clients guessing at once would hold every core, and readers' pages would
wait behind them. So a sign-in checks its password only while it holds
this machine's one slot; a sign-in that finds the slot taken is not
checked at all and is asked to try again a second later (the form says
so). Readers always keep the other cores.

The slot is a lock on a file that every process of the machine (each
gunicorn worker) opens: an open file each time, so threads of one process
exclude each other too. The lock goes with the file when the process
holding it dies.
"""

import fcntl
import os
from contextlib import contextmanager

from django.conf import settings


@contextmanager
def password_check_slot():
    """Yields True while this thread holds the slot, False if it is taken."""
    path = settings.PASSWORD_CHECK_LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        # Closing the file releases the lock.
        os.close(descriptor)
