"""The command line of `python -m bench.relink`; no Django needed."""

import argparse

SEED = 20250611
SIZES = (100, 1_000, 10_000)
REQUEST_FLOOR_MS = 200.0


def parse(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench.relink",
        description="What one glossary change costs the editor and the worker.",
        epilog="Exits with 1 when a floor is missed, 2 when the run stops.",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(size) for size in text.split(",")],
        default=list(SIZES),
        help="comma-separated article counts (default: 100,1000,10000)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="cProfile each change's request and print where its time goes",
    )
    parser.add_argument(
        "--keep-database",
        action="store_true",
        help="leave the scratch database in place afterwards",
    )
    return parser.parse_args(argv)
