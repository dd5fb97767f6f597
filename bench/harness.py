"""
What the benchmarks share: timing, percentiles, tables, made-up names and
floor checks.

- `measure` times calls with `time.perf_counter`, after untimed warm-ups,
  and returns milliseconds; `median` and `p95` summarise them, and
  `median_p95` formats both.
- `Table` prints fixed-width tables.
- `FakeWords` makes up words, letter codes and Greek-lettered names from one
  seeded `random.Random`; `other_spellings` gives the ways such a name is
  also written.
- `Floors` prints a PASS or FAIL line for each floor and keeps the misses;
  its `exit_status` is what a benchmark exits with.

Nothing here touches a database or needs Django to be set up.
"""

import gc
import importlib
import math
import os
import statistics
import tempfile
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

from glossary.search import GREEK_NAMES

# Greek letters as names use them, with the spellings search folds them to.
GREEK = {letter: GREEK_NAMES[letter] for letter in "αβγδεκλω"}
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Returned by a timed call that could not run; it is left out of the samples.
SKIPPED = object()
# The exit status of a benchmark that missed a floor.
FLOOR_MISSED = 1


# A benchmark is one client asking for thousands of searches: the limits
# on what a client may ask for (README, "Limits on public pages") are off.
UNLIMITED = {"PORTAL_RATE_LIMITS": "0"}


# Timing ----------------------------------------------------------------------


def main_with_django(module_name):
    """
    Set up Django, then run `main()` of `module_name` and return its status.

    The project's markup and linking modules read Django settings, so the
    benchmark's own module is imported only once Django is set up. Nothing
    here touches the database.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.update(UNLIMITED)
    import django

    django.setup()
    return importlib.import_module(module_name).main()


@contextmanager
def throwaway_site(name):
    """
    Set up Django on a new SQLite file in the temporary directory, named
    for `name` and this process, and migrate it; the file is deleted when
    the block ends. For benchmarks that fill a site of their own and read
    it through Django's test client.
    """
    database = Path(tempfile.gettempdir()) / f"portal-{name}-{os.getpid()}.sqlite3"
    database.unlink(missing_ok=True)
    # Read by portal/settings.py, so set before Django is.
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ.update(UNLIMITED)
    import django

    django.setup()
    # WhiteNoise warns that there is no STATIC_ROOT; no static file is served.
    warnings.filterwarnings("ignore", message="No directory at")
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
        yield
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)


def measure(function, inputs=None, runs=1, warmups=0):
    """
    Wall-clock milliseconds of each timed call of `function`.

    Without `inputs`, `function()` is called once per run; with them,
    `function(item)` is called for each item in each run. `warmups` untimed
    rounds of the same calls come first. A call that returns SKIPPED is not
    counted.
    """
    calls = [()] if inputs is None else [(item,) for item in inputs]
    for _ in range(warmups):
        for arguments in calls:
            function(*arguments)
    gc.collect()
    samples = []
    for _ in range(runs):
        for arguments in calls:
            result, elapsed = timed(function, *arguments)
            if result is not SKIPPED:
                samples.append(elapsed)
    return samples


def timed(function, *arguments):
    """The result of one call and the milliseconds it took."""
    started = time.perf_counter()
    result = function(*arguments)
    return result, (time.perf_counter() - started) * 1000


class Stopwatch:
    """Seconds since the last lap, and since the start."""

    def __init__(self):
        self.started = self.lapped = time.perf_counter()

    def lap(self):
        now = time.perf_counter()
        elapsed, self.lapped = now - self.lapped, now
        return elapsed

    def total(self):
        return time.perf_counter() - self.started


def load_average():
    """The 1, 5 and 15-minute load averages, for a report's header."""
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


# Figures ---------------------------------------------------------------------


def median(samples):
    """The median; NaN when there are no samples."""
    return statistics.median(samples) if samples else math.nan


def p95(samples):
    """
    The 95th percentile by nearest rank, so it is a time that was measured:
    with fewer than 20 samples, the slowest. NaN when there are no samples.
    """
    if not samples:
        return math.nan
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def median_p95(samples):
    """The median and the p95 of `samples`, formatted by `ms`."""
    return ms(median(samples)), ms(p95(samples))


def ms(value):
    """Milliseconds to one decimal place, or "n/a" for NaN."""
    return "n/a" if math.isnan(value) else f"{value:,.1f}"


def ratio(numerator, denominator, places=1):
    """ "12.3x", or "n/a" when either side is NaN or the divisor is 0."""
    if math.isnan(numerator) or math.isnan(denominator) or denominator == 0:
        return "n/a"
    return f"{numerator / denominator:,.{places}f}x"


class Table:
    """
    A fixed-width table under a title: the columns in `left` are aligned
    left, the others right, and a rule is drawn under the header.
    """

    def __init__(self, title, columns, left=(0,)):
        self.title, self.columns, self.left = title, columns, left
        self.rows = []

    def add(self, *cells):
        self.rows.append([str(cell) for cell in cells])

    def print(self):
        cells = [self.columns, *self.rows]
        widths = [max(len(row[i]) for row in cells) for i in range(len(self.columns))]
        print(f"\n{self.title}")
        for number, row in enumerate(cells):
            line = "  ".join(
                cell.ljust(width) if i in self.left else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
            print(line.rstrip())
            if number == 0:
                print("-" * len(line))


# Made-up names ---------------------------------------------------------------


class FakeWords:
    """
    Made-up words from the given syllable parts, letter codes and Greek
    letters, all drawn from one `random.Random`, so a seed always gives the
    same words. The benchmarks subclass it with their own vocabularies.
    """

    def __init__(self, rng, onsets, vowels, codas):
        self.rng = rng
        self.onsets, self.vowels, self.codas = onsets, vowels, codas

    def syllable(self):
        choice = self.rng.choice
        return choice(self.onsets) + choice(self.vowels) + choice(self.codas)

    def stem(self, low=2, high=3):
        """A word of `low` to `high` syllables."""
        return "".join(self.syllable() for _ in range(self.rng.randint(low, high)))

    def letters(self, low, high):
        """`low` to `high` capital letters, as in "TGF" or "KRX"."""
        return "".join(
            self.rng.choice(UPPER) for _ in range(self.rng.randint(low, high))
        )

    def greek(self):
        """One of the Greek letters in GREEK."""
        return self.rng.choice(list(GREEK))

    def pick(self, choices):
        """One of `choices`; a callable one is called for the value."""
        choice = self.rng.choice(choices)
        return choice() if callable(choice) else choice


def other_spellings(name):
    """
    Other ways of writing `name`: its Greek letter spelt out ("TNF-alpha")
    and joined on ("TNFα"), and the initials of a name of several words
    ("VR" for "velostrin receptor"). Uses no random numbers.
    """
    spellings = []
    greek = next((letter for letter in GREEK if letter in name), None)
    if greek:
        spellings.append(name.replace(greek, GREEK[greek]))
        spellings.append(name.replace(f"-{greek}", greek))
    words = name.split()
    if len(words) > 1:
        spellings.append("".join(word[0] for word in words).upper())
    return spellings


# Floors ----------------------------------------------------------------------


class Floors:
    """
    Prints a PASS or FAIL line for each floor checked, under the title
    printed when it is made, and keeps the misses. A figure that could not
    be measured (NaN) fails.
    """

    def __init__(self, title="Floors"):
        print(f"\n{title}")
        self.failures = []

    def check(self, label, shown, passed, key=None):
        """Record one check; `key` (the label by default) names a miss."""
        print(f"  {label:<46} {shown:>10}  {'PASS' if passed else 'FAIL'}")
        if not passed:
            self.failures.append(label if key is None else key)
        return passed

    def at_most(self, label, value, floor, key=None):
        """`value` milliseconds must not exceed `floor`."""
        return self.check(label, f"{ms(value)} ms", value <= floor, key)

    def at_least(self, label, value, floor, key=None):
        """The factor `value` must be at least `floor`."""
        return self.check(label, f"{value:,.1f}x", value >= floor, key)

    @property
    def exit_status(self):
        """0 when every floor was met, FLOOR_MISSED otherwise."""
        return FLOOR_MISSED if self.failures else 0
