"""
What bench/serve makes of wrk's runs: the median of each target's rounds,
its ratio to the static file, the tables, and the floors. Nothing here runs
wrk or a server.
"""

import math
from collections import Counter
from dataclasses import dataclass

from bench.harness import Table, median, ms

# The reference every page is compared with: the article's HTML as a file.
STATIC = "static"
# Pages that the page cache should bring close to a static file, and the
# share of the static file's requests per second each must reach.
COMPARED = ("article", "term")
RATIO_FLOORS = {"cached": 0.8, "uncached": 0.3}
# Slowest 1% of requests at the interleaved run's connections, every target.
P99_FLOOR_MS = 100


@dataclass(frozen=True)
class Summary:
    """A target's rounds: the median of each figure, errors added up."""

    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: Counter


def summarise(results):
    """
    The Summary of one target's WrkResults. A round that completed no
    request has no latencies and is left out of their medians.
    """
    errors = Counter()
    for result in results:
        errors.update(result.errors)

    def figure(name):
        values = [getattr(result, name) for result in results]
        return median([value for value in values if not math.isnan(value)])

    return Summary(
        requests_per_second=figure("requests_per_second"),
        p50_ms=figure("p50_ms"),
        p99_ms=figure("p99_ms"),
        errors=errors,
    )


def static_ratio(summaries, target):
    """`target`'s requests per second over the static file's; NaN if none."""
    static = summaries[STATIC].requests_per_second
    if math.isnan(static) or static == 0:
        return math.nan
    return summaries[target].requests_per_second / static


def describe_counts(counts):
    """ "0", or the non-zero counts by kind: "status 3, timeout 12"."""
    shown = [f"{kind} {count:,}" for kind, count in sorted(counts.items()) if count]
    return ", ".join(shown) or "0"


def figure(value, places=1):
    return "n/a" if math.isnan(value) else f"{value:,.{places}f}"


def print_interleaved(title, summaries):
    """One server mode's table: a row per target, the static file first."""
    table = Table(title, ["target", "req/s", "p50 ms", "p99 ms", "to static", "errors"])
    for target, summary in summaries.items():
        ratio = static_ratio(summaries, target)
        table.add(
            target,
            figure(summary.requests_per_second),
            ms(summary.p50_ms),
            ms(summary.p99_ms),
            "n/a" if math.isnan(ratio) else f"{ratio:.2f}x",
            describe_counts(summary.errors),
        )
    table.print()


def print_load(title, results):
    """The load run's table: a row per target, from its WrkResult."""
    table = Table(title, ["target", "req/s", "p50 ms", "p99 ms", "errors", "non-2xx"])
    for target, result in results.items():
        table.add(
            target,
            figure(result.requests_per_second),
            ms(result.p50_ms),
            ms(result.p99_ms),
            describe_counts(result.errors),
            "n/a" if result.non_2xx is None else describe_counts(result.non_2xx),
        )
    table.print()


@dataclass(frozen=True)
class Check:
    """One floor: what it says, the figure as shown, and whether it is met."""

    label: str
    shown: str
    passed: bool


def floor_checks(modes, load, connections, load_connections):
    """
    The Checks of one database's run. `modes` maps each server mode
    ("cached", "uncached") to its Summaries by target, `load` the load
    run's targets to their WrkResults. A figure that could not be measured
    (NaN) misses its floor.
    """
    checks = []
    for mode, summaries in modes.items():
        floor = RATIO_FLOORS[mode]
        for target in COMPARED:
            ratio = static_ratio(summaries, target)
            checks.append(
                Check(
                    f"{mode} {target} >= {floor}x static",
                    f"{figure(ratio, 2)}x",
                    ratio >= floor,
                )
            )
    for mode, summaries in modes.items():
        for target, summary in summaries.items():
            checks.append(
                Check(
                    f"{mode} {target}: p99 < {P99_FLOOR_MS} ms at {connections}",
                    f"{ms(summary.p99_ms)} ms",
                    summary.p99_ms < P99_FLOOR_MS,
                )
            )
    for target, result in load.items():
        at = f"{target} at {load_connections}"
        checks.append(
            Check(f"{at}: errors", f"{result.error_count:,}", result.error_count == 0)
        )
        non_2xx = result.non_2xx_count
        checks.append(
            Check(f"{at}: non-2xx", figure(non_2xx, 0), non_2xx == 0),
        )
    return checks
