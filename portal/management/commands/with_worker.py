"""
Run a command, usually the web server, with a background task worker
beside it (`manage.py db_worker`, or RQ's `rqworker` when tasks go to
Redis), and stop both together:

    manage.py with_worker -- manage.py runserver 127.0.0.1:8000
    manage.py with_worker -- gunicorn portal.wsgi

`make run` and `make serve` start the site this way, so bodies are relinked
after a glossary change without anyone starting a worker by hand. A worker
that dies is started again, after a pause that doubles (up to a minute)
while it keeps dying soon after starting, as it does while the database is
down; when the server stops, the worker is stopped.
Pages still queued when a worker starts (its last run was stopped halfway)
are relinked by it.
"""

import argparse
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from glossary.tasks import resume_relinking

# Seconds between checks that both processes still run.
POLL_INTERVAL = 1
# Seconds a stopping process gets before it is killed.
STOP_TIMEOUT = 10
# Seconds before a worker that stopped is started again: the first pause,
# doubled each time it stops again within STEADY_SECONDS of starting, up to
# the longest.
FIRST_PAUSE = 1
LONGEST_PAUSE = 60
STEADY_SECONDS = 60


class Command(BaseCommand):
    help = "Run a command (the web server) with a background task worker beside it."

    def add_arguments(self, parser):
        parser.add_argument(
            "server",
            nargs=argparse.REMAINDER,
            help="The command to run, after --; `manage.py` runs with this Python.",
        )

    def handle(self, *args, server, **options):
        if server[:1] == ["--"]:
            server = server[1:]
        if not server:
            raise CommandError("Name the command to run, e.g. -- manage.py runserver")
        if server[0] == "manage.py":
            server = [sys.executable, manage_py(), *server[1:]]
        # A stop request (SIGTERM from a supervisor, or Ctrl-C) ends the
        # wait below, so that both process groups are stopped on the way out.
        signal.signal(signal.SIGTERM, raise_interrupt)
        worker, started_at = self.start_worker(), time.monotonic()
        process = start(server)
        pause, restart_at = FIRST_PAUSE, None
        try:
            while process.poll() is None:
                now = time.monotonic()
                if restart_at is None and worker.poll() is not None:
                    if now - started_at >= STEADY_SECONDS:
                        pause = FIRST_PAUSE
                    self.stderr.write(
                        f"The task worker stopped (exit {worker.returncode}); "
                        f"starting it again in {pause} s."
                    )
                    restart_at, pause = now + pause, min(pause * 2, LONGEST_PAUSE)
                if restart_at is not None and now >= restart_at:
                    worker, started_at = self.start_worker(), now
                    restart_at = None
                time.sleep(POLL_INTERVAL)
        except KeyboardInterrupt:
            pass
        finally:
            for child in (process, worker):
                stop(child)
        if process.returncode not in (0, None, -2, -15):
            sys.exit(process.returncode)

    def start_worker(self):
        self.resume_relinking()
        return start([sys.executable, manage_py(), *worker_command()])

    def resume_relinking(self):
        try:
            resume_relinking()
        except DatabaseError as error:
            self.stderr.write(
                f"Could not look for pages waiting to be relinked: {error}"
            )


def worker_command():
    """The manage.py command that runs the configured task backend's worker."""
    if settings.TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
        return ["rqworker", "--job-class", "django_tasks_rq.Job"]
    return ["db_worker", "--queue-name", "*"]


def manage_py():
    return str(settings.BASE_DIR / "manage.py")


def start(command):
    # Each in a process group of its own, so that stopping it reaches the
    # processes it starts too (the autoreloader's child, gunicorn's workers).
    return subprocess.Popen(command, start_new_session=True)


def stop(process):
    if process.poll() is None:
        signal_group(process, signal.SIGTERM)
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        signal_group(process, signal.SIGKILL)
        process.wait()


def signal_group(process, number):
    try:
        os.killpg(process.pid, number)
    except ProcessLookupError:
        pass


def raise_interrupt(number, frame):
    raise KeyboardInterrupt
