"""
Entry point for `python -m bench.search`.

Runs the benchmark on SQLite, then on PostgreSQL, each in its own process
(`bench.search.run`), since the database is fixed when Django is set up.
`--sqlite` or `--postgres` (or BENCH_SEARCH_DATABASE=sqlite|postgres) runs
one of them only. Other options (`--queries`, `--rounds`, `--terms`, ...)
are passed on; see `python -m bench.search.run --help`.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.search")
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
    for database in databases:
        command = [sys.executable, "-u", "-m", "bench.search.run"]
        completed = subprocess.run(
            [*command, "--database", database, *passed_on], cwd=PROJECT_ROOT
        )
        if completed.returncode:
            print(f"The {database} run stopped with exit code {completed.returncode}.")
    print(f"\nTotal {time.perf_counter() - started:.0f} s")
    # The figures are the result; a missed floor is not a failure to run.
    return 0


if __name__ == "__main__":
    sys.exit(main())
