"""
A database that stops answering, inside the test process: once cut, every
query raises OperationalError as a lost connection does, except the
statements that close the test's own transaction and savepoints. What a
page still draws after the cut, it draws without the database.
"""

from contextlib import contextmanager

from django.db import OperationalError, connection

# What the admin's atomic views and the test's transaction still run.
TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


class DatabaseSwitch:
    def __init__(self, is_cut):
        self.is_cut = is_cut

    def cut(self):
        self.is_cut = True

    def __call__(self, execute, sql, params, many, context):
        if self.is_cut and not sql.lstrip().startswith(TRANSACTION_CONTROL):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


@contextmanager
def unreachable_database(is_cut=True):
    """
    A block in which the database is cut at once, or, with `is_cut`
    False, from when the switch it yields is cut.
    """
    switch = DatabaseSwitch(is_cut)
    with connection.execute_wrapper(switch):
        yield switch
