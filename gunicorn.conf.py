"""
gunicorn's settings for the site, as `make serve` runs it:

    gunicorn -c gunicorn.conf.py portal.wsgi

Sized from the machine; GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_BIND
and PORT change it without editing this file. A value that is not a number
stops gunicorn before it starts, naming the variable.
"""

import logging
import os
import sys

from gunicorn.glogging import Logger

from portal.environment import env_int, env_str

# Where to listen. Only this machine by default: a public site puts a proxy
# (nginx, a load balancer) in front for TLS. GUNICORN_BIND takes anything
# gunicorn's --bind does, such as 0.0.0.0:8000 or unix:/run/portal.sock.
bind = env_str("GUNICORN_BIND") or f"127.0.0.1:{env_int('PORT', 8000, minimum=1)}"

# A process per core: rendering a page is Python work, which one process
# does on one core at a time, so more processes than cores only add memory.
workers = env_int("GUNICORN_WORKERS", os.cpu_count() or 1, minimum=1)

# Threads in each process (gthread) cover the time a request waits for the
# database or a slow client, when its core could serve another. Four per
# process keeps every core busy without many threads waiting on one
# process's GIL. Each thread holds one database connection
# (DJANGO_CONN_MAX_AGE): workers x threads must stay under the database's
# connection limit.
worker_class = "gthread"
threads = env_int("GUNICORN_THREADS", 4, minimum=1)

# Connections beyond the busy threads wait instead of being refused: each
# process holds up to worker_connections open ones (keep-alive included),
# and the kernel queues up to `backlog` more that no process has accepted
# yet (capped by net.core.somaxconn). Hundreds of readers at once are queued
# and served in turn.
worker_connections = 1000
backlog = 2048

# A worker whose main loop stops answering for this long is restarted. With
# gthread a slow request does not stall that loop; the database's statement
# timeout (DJANGO_DB_STATEMENT_TIMEOUT, 10 s) bounds slow queries.
timeout = 30
# On stop or restart, requests under way get this long to finish. It matches
# `manage.py with_worker`, which kills what is still running after 10 s.
graceful_timeout = 10
# Seconds an idle keep-alive connection stays open: long enough for a page's
# CSS, script and images to follow it, and a proxy in front (nginx keeps
# 60 s by default) reuses its connections.
keepalive = 5

# The site is loaded once, before the workers fork: a bad setting stops
# gunicorn with one clear error instead of each worker failing to boot, and
# the workers share the loaded code's memory. Nothing connects to the
# database on loading, so no connection is shared between processes.
preload_app = True

# Whether a request came over HTTPS is Django's to decide, from the header
# a proxy in front sets, and only when told to trust it
# (DJANGO_BEHIND_HTTPS_PROXY); gunicorn would otherwise believe any client's
# X-Forwarded-Proto from this machine.
secure_scheme_headers = {}
forwarded_allow_ips = ""

# gunicorn's control socket (gunicornc) is not used, and its one default
# path per user would be shared by every gunicorn on the machine.
control_socket_disable = True

# Logging. The site logs one JSON line per request itself
# (portal/request_log.py), so gunicorn's access log would only repeat it.
accesslog = None
loglevel = "info"


class StdoutLogger(Logger):
    """
    gunicorn's own messages (start, stop, a worker restarted) on stdout,
    beside the site's, so that one stream holds everything; errorlog "-"
    would be stderr.
    """

    def setup(self, cfg):
        super().setup(cfg)
        for handler in self.error_log.handlers:
            if type(handler) is logging.StreamHandler and handler.stream is sys.stderr:
                handler.setStream(sys.stdout)


logger_class = StdoutLogger
errorlog = "-"
