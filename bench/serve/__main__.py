"""
Entry point for `python -m bench.serve`: SQLite, then PostgreSQL with
Redis, each on a site of its own (bench/serve/run.py). Exits with the
highest of their statuses: 0 when every floor is met, 1 when one is
missed, 2 when wrk is missing or a site could not be set up.
"""

import argparse
import sys

from bench.harness import Stopwatch, load_average
from bench.serve.run import SiteFailed, run
from bench.serve.wrk import wrk_path
from bench.site import gunicorn_command

DATABASES = {"sqlite": ("sqlite",), "postgres": ("postgres",)}
DATABASES["both"] = DATABASES["sqlite"] + DATABASES["postgres"]
# The exit status of a run that could not measure.
STOPPED = 2


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.serve")
    parser.add_argument("--database", choices=DATABASES, default="both")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--seconds", type=int, default=5, help="of each target in each round"
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--load-seconds", type=int, default=30)
    parser.add_argument("--load-connections", type=int, default=256)
    parser.add_argument(
        "--redis-db",
        type=int,
        default=13,
        help="the Redis database the PostgreSQL site caches in; it is emptied",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run: 1 round of 2 s, and 5 s of load",
    )
    options = parser.parse_args(argv)
    if options.quick:
        options.rounds, options.seconds, options.load_seconds = 1, 2, 5
    return options


def main(argv=None):
    options = parse(argv)
    if wrk_path() is None:
        print("wrk is missing; `make bench-serve` installs it (Debian's wrk).")
        return STOPPED
    command = " ".join(gunicorn_command("PORT")[1:])
    print(f"wrk on gunicorn ({command}), DEBUG off; load average {load_average()}")
    stopwatch = Stopwatch()
    status = 0
    for database in DATABASES[options.database]:
        print(f"\n== {database}")
        try:
            status = max(status, run(database, options))
        except SiteFailed as error:
            print(f"The {database} site could not be measured: {error}")
            status = max(status, STOPPED)
    print(f"\n{stopwatch.total():,.0f} s in all; load average {load_average()}")
    return status


if __name__ == "__main__":
    sys.exit(main())
