"""
How often glossary search answers what readers type:
`python -m bench.answers`.

Loads the realistic test glossary (tests/data/answers_glossary.json: terms,
aliases and a few articles that mention them) into a fresh SQLite database
in the temporary directory, sends every query of tests/data/
search_answers.json to /glossary/suggest/, and prints how often the expected
term comes first and among the first five, with the queries that missed.
tests/test_search_answers.py pins the same rates.
"""

import sys

from bench.harness import Floors, throwaway_site


def main():
    with throwaway_site("answers"):
        from django.test import Client

        from tests.search_answers import answer_rates, load_answers_glossary

        load_answers_glossary()
        rates = answer_rates(Client())
    print(f"{rates.total} queries")
    print(f"  expected term first:       {rates.first}/{rates.total}")
    print(f"  expected term in the five: {rates.top_five}/{rates.total}")
    for query, expected, got in rates.misses:
        print(f"  missed {query!r}: expected {expected}, got {got}")
    floors = Floors()
    for label, count in (("first", rates.first), ("in the five", rates.top_five)):
        share = count / rates.total
        floors.check(f"expected term {label} >= 95%", f"{share:.1%}", share >= 0.95)
    return floors.exit_status


if __name__ == "__main__":
    sys.exit(main())
