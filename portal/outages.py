"""
Telling a database that cannot be reached from a mistake in the code.

A refused or lost connection, a server shutting down, SQLite unable to open
its file: each reaches a view as Django's OperationalError or InterfaceError,
raised from the driver's own error, and each passes by itself. Readers get
"briefly unavailable" (503, with Retry-After) and editors their typed text
back; any other error is a bug and gets the 500 page.
"""

import sqlite3

import psycopg
from django.db import InterfaceError, OperationalError

# Seconds a client is asked to wait before trying again (Retry-After).
RETRY_AFTER_SECONDS = 30

CONNECTIVITY_ERRORS = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    sqlite3.OperationalError,
    sqlite3.InterfaceError,
)


def raised_from(error):
    """`error` and each error it was raised from (`raise ... from`), in turn."""
    while error is not None:
        yield error
        error = error.__cause__


def is_database_outage(error):
    """
    Whether `error` says that the database could not be reached or used
    just now. SQLite reports a mistake in the SQL itself ("no such table",
    a syntax error) as an OperationalError too, under its generic code
    SQLITE_ERROR: that is a bug, not an outage.
    """
    errors = list(raised_from(error))
    for link in errors:
        if isinstance(link, sqlite3.Error):
            return (
                isinstance(link, CONNECTIVITY_ERRORS)
                and link.sqlite_errorname != "SQLITE_ERROR"
            )
    return any(isinstance(link, CONNECTIVITY_ERRORS) for link in errors)
