"""
What a page of the glossary's A–Z index costs: `python -m bench.glossary_index`.

Builds a glossary of made-up terms (10,000 by default, `--terms` for
another size) in a fresh SQLite file in the temporary directory, written
with bulk_create, and times GET requests through Django's test client:

- the index home, `/glossary/` (letter bar, kind filter, the first letter's
  first page);
- a page of the letter with the most terms, and its last page;
- the same letter narrowed to one kind;
- the reference: the whole glossary on one page, as the index was before it
  had a page per letter (every term under its letter's heading, rendered
  by the same term item).

It prints each page's median and p95 in milliseconds, its size in bytes,
and its database queries, then checks the floors: the index home and a
letter page each at most 150 KB and 100 ms (median).
"""

import argparse
import random
import sys

from bench.harness import throwaway_site

SIZE_FLOOR_KB = 150
TIME_FLOOR_MS = 100

# Made-up names are built from these; a few start with a digit, a Greek
# letter, an accent or a quote, as real glossaries' names do.
ONSETS = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "tr"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ou"]
CODAS = ["", "n", "r", "l", "x", "m", "st"]
ODD_STARTS = ["α-", "β-", "É", "5-", "“", "(", "12-"]
SUFFIXES = ["", "", " receptor", "mab", "kine", " inhibitor", " syndrome"]


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--terms", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def main():
    arguments = parse_arguments()
    with throwaway_site("bench-index"):
        from django.test.utils import override_settings

        # Plain static storage: the manifest of collectstatic is not needed
        # to render a page.
        with override_settings(
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {
                    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
                },
            }
        ):
            return run(arguments)


def build_glossary(count, seed):
    """`count` terms with made-up, unique names of every kind, in bulk."""
    from bench.harness import FakeWords
    from glossary.models import Term

    rng = random.Random(seed)
    words = FakeWords(rng, ONSETS, VOWELS, CODAS)
    kinds = [kind for kind, _ in Term.Kind.choices]
    names = set()
    while len(names) < count:
        name = words.stem().capitalize() + rng.choice(SUFFIXES)
        if rng.random() < 0.05:
            name = rng.choice(ODD_STARTS) + name
        names.add(name)
    terms = []
    for number, name in enumerate(sorted(names)):
        term = Term(
            name=name,
            slug=f"term-{number}",
            kind=rng.choice(kinds),
            definition=(
                f"A made-up {words.stem()} that {words.stem()} cells release "
                f"when the {words.stem()} is inflamed."
            ),
        )
        term.file_in_index()
        terms.append(term)
    Term.objects.bulk_create(terms, batch_size=1000)


def one_page_listing():
    """
    The whole glossary on one page, every term under its letter: the index
    as it was before it had a page per letter, for reference.
    """
    import itertools

    from django.http import HttpResponse
    from django.template import engines

    from glossary.models import Term

    template = engines["django"].from_string(
        """{% extends "base.html" %}
{% block content %}
<h1>Glossary</h1>
{% for letter, terms in sections %}
<section aria-labelledby="letter-{{ forloop.counter }}">
  <h2 id="letter-{{ forloop.counter }}">{{ letter }}</h2>
  <ul class="term-list">
    {% for term in terms %}{% include "glossary/includes/term_item.html" %}{% endfor %}
  </ul>
</section>
{% endfor %}
{% endblock content %}"""
    )

    def view(request):
        terms = Term.objects.in_index_order().only(
            "name", "slug", "kind", "definition", "index_letter"
        )
        sections = [
            (letter, list(group))
            for letter, group in itertools.groupby(terms, lambda t: t.index_letter)
        ]
        return HttpResponse(template.render({"sections": sections}, request))

    return view


class QueryCounter:
    """
    Counts the queries run inside `connection.execute_wrapper(counter)`;
    unlike connection.queries, it is not emptied when a request starts.
    """

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def run(arguments):
    from django.db import connection
    from django.db.models import Count
    from django.test import Client, RequestFactory

    from bench.harness import (
        Floors,
        Stopwatch,
        Table,
        load_average,
        measure,
        median,
        median_p95,
        ratio,
    )
    from glossary.index import SEGMENT_BY_LETTER, TERMS_PER_INDEX_PAGE
    from glossary.models import Term

    print(f"Glossary A–Z index, {arguments.terms:,} terms (load {load_average()})")
    stopwatch = Stopwatch()
    build_glossary(arguments.terms, arguments.seed)
    print(f"Built the glossary in {stopwatch.lap():.1f} s")

    busiest = (
        Term.objects.values("index_letter")
        .annotate(count=Count("pk"))
        .order_by("-count")
        .first()
    )
    letter = SEGMENT_BY_LETTER[busiest["index_letter"]]
    last_page = -(-busiest["count"] // TERMS_PER_INDEX_PAGE)
    kind = Term.objects.filter(index_letter=busiest["index_letter"]).first().kind
    client = Client()
    listing = one_page_listing()
    factory = RequestFactory()
    pages = {
        "index home /glossary/": lambda: client.get("/glossary/"),
        f"letter page /glossary/letter/{letter}/": lambda: client.get(
            f"/glossary/letter/{letter}/"
        ),
        f"its last page (?page={last_page})": lambda: client.get(
            f"/glossary/letter/{letter}/", {"page": last_page}
        ),
        f"letter and kind (?kind={kind})": lambda: client.get(
            f"/glossary/letter/{letter}/", {"kind": kind}
        ),
        "reference: one-page listing": lambda: listing(factory.get("/glossary/")),
    }
    table = Table(
        f"GET, {arguments.runs} runs after 2 warm-ups (the reference 3)",
        ["page", "median ms", "p95 ms", "KB", "queries", "of one page"],
    )
    figures = {}
    for label, fetch in pages.items():
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            response = fetch()
        assert response.status_code == 200, (label, response.status_code)
        # The one-page listing takes seconds at 10,000 terms: fewer runs.
        runs = arguments.runs if "reference" not in label else 3
        samples = measure(fetch, runs=runs, warmups=2)
        figures[label] = (samples, len(response.content) / 1024, counter.count)
    reference_ms = median(figures["reference: one-page listing"][0])
    for label, (samples, kb, queries) in figures.items():
        table.add(
            label,
            *median_p95(samples),
            f"{kb:,.1f}",
            queries,
            ratio(median(samples), reference_ms, places=2),
        )
    table.print()
    print(f"\nThe whole run took {stopwatch.total():.1f} s")

    floors = Floors()
    for label in list(pages)[:2]:
        samples, kb, _ = figures[label]
        floors.check(
            f"{label.split(' /')[0]} <= {SIZE_FLOOR_KB} KB",
            f"{kb:,.1f} KB",
            kb <= SIZE_FLOOR_KB,
        )
        floors.at_most(
            f"{label.split(' /')[0]} median <= {TIME_FLOOR_MS} ms",
            median(samples),
            TIME_FLOOR_MS,
        )
    return floors.exit_status


if __name__ == "__main__":
    sys.exit(main())
