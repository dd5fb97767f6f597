"""
Entry point for `python -m bench.search`.

Runs the benchmark on SQLite, then on PostgreSQL, each in its own process
(`bench.search.run`), since the database is fixed when Django is set up.
`--sqlite` or `--postgres` (or BENCH_SEARCH_DATABASE=sqlite|postgres) runs
one of them only. Other options (`--queries`, `--rounds`, `--terms`, ...)
are passed on; see `python -m bench.search.run --help`.

Exits with 0 when every run met every floor, 1 when a run missed a floor,
and the run's own status when one stopped with an error.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.harness import FLOOR_MISSED

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench.search",
        epilog="Other options (--queries, --terms, --aliases, --rounds, ...) are "
        "passed on to each run; see `python -m bench.search.run --help`. Exits "
        "with 1 when a floor is missed.",
    )
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--sqlite", action="store_true", help="SQLite only")
    only.add_argument("--postgres", action="store_true", help="PostgreSQL only")
    options, passed_on = parser.parse_known_args(argv)
    if options.sqlite:
        databases = ["sqlite"]
    elif options.postgres:
        databases = ["postgres"]
    elif os.environ.get("BENCH_SEARCH_DATABASE") in ("sqlite", "postgres"):
        databases = [os.environ["BENCH_SEARCH_DATABASE"]]
    else:
        databases = ["sqlite", "postgres"]

    started = time.perf_counter()
    status = 0
    for database in databases:
        command = [sys.executable, "-u", "-m", "bench.search.run"]
        code = subprocess.run(
            [*command, "--database", database, *passed_on], cwd=PROJECT_ROOT
        ).returncode
        if code == FLOOR_MISSED:
            print(f"\nThe {database} run missed a floor.")
        elif code:
            print(f"\nThe {database} run stopped with exit code {code}.")
        if code < 0:
            # Killed by signal -code; reported as a shell would report it.
            code = 128 - code
        # An error outweighs a missed floor.
        status = max(status, code)
    print(f"\nTotal {time.perf_counter() - started:.0f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
