"""
A PostgreSQL database made for one benchmark run and dropped after it, on
the server that a URL names; the database the URL names is not touched.
"""

from urllib.parse import urlsplit, urlunsplit


class PostgresScratch:
    """
    The database `name` on the server that `url` points at; `self.url`
    points at the new database.
    """

    def __init__(self, url, name):
        parts = urlsplit(url)
        self.name = name
        self.url = urlunsplit(parts._replace(path=f"/{name}"))
        self.server = urlunsplit(parts._replace(path="/postgres"))

    def admin(self):
        import psycopg

        return psycopg.connect(self.server, autocommit=True, connect_timeout=5)

    def create(self):
        """A new, empty database; one left by an earlier run is dropped."""
        with self.admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{self.name}"')

    def remove(self):
        with self.admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
