"""
PostgreSQL, with a limit on how long the site waits for an answer.

The server's statement timeout stops a slow query, and the connect timeout
a server that does not take connections; neither helps when a server stops
answering on a connection it already holds (stopped, hung, its disk or host
frozen): psycopg waits for the answer for ever, and a server thread with
it. Here every wait for an answer ends after `answer_timeout` seconds (an
option of the database settings; none when not given): the connection is
closed, and the request fails as when the database is down (a 503 for
readers, portal/outages.py). The next request connects afresh.
"""

import psycopg
from django.db.backends.postgresql import base


class AnswerBoundedConnection(psycopg.Connection):
    answer_timeout = None

    def wait(self, gen, *args, timeout=None, **kwargs):
        if timeout is None:
            timeout = self.answer_timeout
        try:
            return super().wait(gen, *args, timeout=timeout, **kwargs)
        except psycopg.OperationalError:
            if not self.closed and self.pgconn.transaction_status == ACTIVE:
                # Left waiting for an answer that may still come: not
                # reusable.
                self.close()
            raise


ACTIVE = psycopg.pq.TransactionStatus.ACTIVE


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        self.answer_timeout = params.pop("answer_timeout", None)
        return params

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        # psycopg makes the connection; the class only adds the limit.
        connection.__class__ = AnswerBoundedConnection
        connection.answer_timeout = self.answer_timeout
        return connection
