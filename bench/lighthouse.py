"""
Lighthouse scores of the site as production serves it:
`python -m bench.lighthouse`.

Builds a throw-away SQLite database in a temporary directory with the demo
content, collects the static files there (hashed and compressed, as DEBUG
is off), starts gunicorn on a free local port (bench/site.py), and runs
Lighthouse (node_modules, `make install-dev` installs it) in Debian's
Chromium on the article, a term page and the glossary index, as a phone
(Lighthouse's default, with its simulated slow network and CPU) and as a
desktop. Prints the four category scores per page and form factor, the
audits that cost points in any category below its floor, and exits with
status 1 if a floor is missed (2 if the site could not be started or
measured at all).
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.harness import Floors, Table, load_average
from bench.site import (
    BASE_DIR,
    DEMO_PAGES,
    free_port,
    prepare_site,
    server_environment,
    start_server,
    stop_server,
)
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS

LIGHTHOUSE = BASE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = " ".join(["--headless=new", *CHROMIUM_ARGS])
FORM_FACTORS = {"mobile": [], "desktop": ["--preset=desktop"]}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
FLOORS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
# Each full report is kept here (git-ignored) for a closer look.
REPORTS = BASE_DIR / "bench" / "results" / "lighthouse"
# Audits that score nothing: shown for information, or not applicable.
UNSCORED = {"informative", "notApplicable", "manual", "error"}
# The exit status of a run that could not start the site or measure it.
STOPPED = 2


def run_lighthouse(url, extra_arguments, attempts=2):
    """
    Lighthouse's JSON report of `url`, or None if it could not run. A run
    that fails is tried again: on a busy machine Chromium's trace now and
    then misses the start of the page load (NO_NAVSTART).
    """
    for attempt in range(1, attempts + 1):
        report = run_lighthouse_once(url, extra_arguments)
        if report is not None:
            return report
        if attempt < attempts:
            print("  trying again")
    return None


def run_lighthouse_once(url, extra_arguments):
    command = [
        str(LIGHTHOUSE),
        url,
        f"--chrome-path={CHROMIUM}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--output=json",
        "--quiet",
        *extra_arguments,
    ]
    try:
        finished = subprocess.run(
            command, capture_output=True, text=True, timeout=240, cwd=BASE_DIR
        )
    except subprocess.TimeoutExpired:
        print(f"  Lighthouse timed out on {url}")
        return None
    if finished.returncode != 0 or not finished.stdout.strip():
        print(f"  Lighthouse failed on {url}:\n{finished.stderr.strip()[-2000:]}")
        return None
    report = json.loads(finished.stdout)
    if report.get("runtimeError"):
        print(f"  Lighthouse could not load {url}: {report['runtimeError']}")
        return None
    return report


def scores(report):
    """Each category's score out of 100, or None where Lighthouse gave none."""
    result = {}
    for category in CATEGORIES:
        score = report["categories"].get(category, {}).get("score")
        result[category] = None if score is None else round(score * 100)
    return result


def lost_points(report, category):
    """The audits of `category` that did not pass, heaviest first."""
    audits = report["audits"]
    lost = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if audit["scoreDisplayMode"] in UNSCORED or audit["score"] is None:
            continue
        if audit["score"] < 1:
            lost.append((ref["weight"], audit))
    return [audit for _, audit in sorted(lost, key=lambda pair: -pair[0])]


def describe_item(item):
    """One row of an audit's details: a URL, a source, or an element."""
    for key in ("source", "url", "description"):
        value = item.get(key)
        if isinstance(value, dict):
            value = value.get("url") or value.get("value")
        if isinstance(value, str) and value:
            return value
    node = item.get("node")
    if isinstance(node, dict):
        return f"{node.get('selector', '')} {node.get('snippet', '')}".strip()
    return json.dumps(item)[:160]


def print_lost_points(label, report, category):
    print(f"\n{label}, {category}: audits that did not pass")
    for audit in lost_points(report, category):
        shown = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
        print(f"  {audit['id']}: {audit['title']}{shown}, score {audit['score']}")
        items = (audit.get("details") or {}).get("items") or []
        for item in items[:5]:
            print(f"      {describe_item(item)[:200]}")


def measure(base_url):
    """
    Lighthouse's report per (page, form factor), each also written to
    REPORTS as `<page>-<form factor>.json`.
    """
    REPORTS.mkdir(parents=True, exist_ok=True)
    results = {}
    for page, path in DEMO_PAGES.items():
        for form_factor, arguments in FORM_FACTORS.items():
            print(f"  {page}, {form_factor}...", flush=True)
            report = run_lighthouse(base_url + path, arguments)
            results[page, form_factor] = report
            if report is not None:
                name = f"{page.replace(' ', '-')}-{form_factor}.json"
                (REPORTS / name).write_text(json.dumps(report, indent=1))
    if any(results.values()):
        print(f"  full reports in {REPORTS.relative_to(BASE_DIR)}/")
    return results


def report_results(results):
    table = Table(
        "Lighthouse scores (out of 100)",
        ["page", "form factor", *CATEGORIES],
        left=(0, 1),
    )
    for (page, form_factor), report in results.items():
        shown = scores(report) if report else dict.fromkeys(CATEGORIES)
        table.add(
            page,
            form_factor,
            *("n/a" if shown[c] is None else shown[c] for c in CATEGORIES),
        )
    table.print()

    misses = []
    for (page, form_factor), report in results.items():
        if report is None:
            continue
        for category, score in scores(report).items():
            if score is None or score < FLOORS[category]:
                misses.append((f"{page}, {form_factor}", report, category))
    for label, report, category in misses:
        print_lost_points(label, report, category)

    floors = Floors()
    for (page, form_factor), report in results.items():
        shown = scores(report) if report else dict.fromkeys(CATEGORIES)
        for category in CATEGORIES:
            score = shown[category]
            floors.check(
                f"{page}, {form_factor}: {category} >= {FLOORS[category]}",
                "n/a" if score is None else str(score),
                score is not None and score >= FLOORS[category],
            )
    return floors.exit_status


def main():
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE} is missing; `make install-dev` installs it.")
        return STOPPED
    print(f"Lighthouse on gunicorn, DEBUG off; load average {load_average()}")
    with tempfile.TemporaryDirectory(prefix="portal-lighthouse-") as folder:
        folder = Path(folder)
        environment = server_environment(
            f"sqlite:///{folder / 'lighthouse.sqlite3'}", folder / "static"
        )
        port = free_port()
        with open(folder / "gunicorn.log", "w+") as log:
            try:
                prepare_site(environment)
                server = start_server(environment, port, log)
            except (subprocess.CalledProcessError, RuntimeError) as error:
                log.seek(0)
                print(f"The site did not start: {error}\n{log.read()[-2000:]}")
                return STOPPED
            try:
                results = measure(f"http://127.0.0.1:{port}")
            finally:
                stop_server(server)
    return report_results(results)


if __name__ == "__main__":
    sys.exit(main())
