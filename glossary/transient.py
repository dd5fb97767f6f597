"""
Database errors that say "try again", not "this is wrong".

Several editors and the background relinker write at once. SQLite lets one
writer in at a time and answers the others "database is locked" once its
busy timeout has passed; PostgreSQL ends one of two transactions that wait
for each other (a deadlock) or refuses a mention of a term deleted a moment
before. Each of these succeeds when the whole transaction runs again.
"""

import logging
import time

from django.db import IntegrityError, OperationalError

logger = logging.getLogger(__name__)

ATTEMPTS = 4
# Seconds before the second attempt; doubled before each later one.
FIRST_PAUSE = 0.05

# PostgreSQL's codes: deadlock, serialization failure, foreign key
# violation (a row referred to was deleted by a transaction that committed
# while this one ran).
RETRIED_SQLSTATES = {"40P01", "40001", "23503"}


def is_transient(error):
    """Whether running the failed transaction again can succeed."""
    if not isinstance(error, OperationalError | IntegrityError):
        return False
    if "is locked" in str(error):
        return True
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) in RETRIED_SQLSTATES


def retry_transient(function, *args, attempts=ATTEMPTS, **kwargs):
    """
    Call `function` until it does not fail with a transient database
    error, at most `attempts` times; the last error is raised. `function`
    must run its writes in one transaction, so that a failed attempt has
    left nothing behind.
    """
    pause = FIRST_PAUSE
    for __ in range(attempts - 1):
        try:
            return function(*args, **kwargs)
        except (OperationalError, IntegrityError) as error:
            if not is_transient(error):
                raise
            logger.warning("Retrying after a transient database error: %s", error)
        time.sleep(pause)
        pause *= 2
    return function(*args, **kwargs)
