"""
Runs wrk against one address and reads its figures, which report.lua
prints as one JSON line after wrk's own summary.
"""

import json
import math
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPORT_SCRIPT = Path(__file__).with_name("report.lua")
# The start of report.lua's line.
MARKER = "wrk-json "
# One wrk thread drives hundreds of connections; on a 2-core machine the
# other core is better left to the server being measured.
THREADS = 1
# A response that takes longer counts as a timeout error (wrk's default,
# stated so that the README can say it).
TIMEOUT_SECONDS = 2


def wrk_path():
    """The wrk program on PATH, or None."""
    return shutil.which("wrk")


@dataclass(frozen=True)
class WrkResult:
    """
    One wrk run. `errors` holds the non-zero error counts by kind:
    `connect`, `read`, `write`, `timeout`, and `status` (responses of 400
    and over). `non_2xx` counts every response that was not 2xx, by
    status, when the run counted them, and is None otherwise.
    """

    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: dict
    non_2xx: dict | None = None

    @property
    def error_count(self):
        return sum(self.errors.values())

    @property
    def non_2xx_count(self):
        """Responses that were not 2xx; NaN when they were not counted."""
        return math.nan if self.non_2xx is None else sum(self.non_2xx.values())


def parse_report(output):
    """
    The WrkResult in wrk's output. wrk leaves a response slower than its
    timeout out of the latencies, so a run whose every response timed out
    has none: its p50 and p99 are NaN rather than wrk's 0.
    """
    for line in output.splitlines():
        if line.startswith(MARKER):
            figures = json.loads(line.removeprefix(MARKER))
            break
    else:
        raise ValueError("wrk printed no figures: was report.lua given?")
    measured = figures["requests"] > figures["errors"]["timeout"]
    return WrkResult(
        requests=figures["requests"],
        requests_per_second=figures["requests_per_second"],
        p50_ms=figures["p50_ms"] if measured else math.nan,
        p99_ms=figures["p99_ms"] if measured else math.nan,
        errors={kind: count for kind, count in figures["errors"].items() if count},
        non_2xx=figures["non_2xx"],
    )


def run_wrk(url, connections, seconds, count_statuses=False):
    """
    wrk's figures for `seconds` of requests to `url` over `connections`
    connections kept open. `count_statuses` counts the responses that are
    not 2xx, which costs wrk some speed.
    """
    command = [
        "wrk",
        "--latency",
        "--threads",
        str(THREADS),
        "--connections",
        str(connections),
        "--duration",
        f"{seconds}s",
        "--timeout",
        f"{TIMEOUT_SECONDS}s",
        "--script",
        str(REPORT_SCRIPT),
        url,
    ]
    if count_statuses:
        command += ["--", "count-statuses"]
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    return parse_report(finished.stdout)
