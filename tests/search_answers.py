"""
A realistic glossary and the queries readers type into it, with the answer
each should get first: tests/data/answers_glossary.json (terms, aliases and
a few published articles that mention them) and
tests/data/search_answers.json (query, expected first term's slug or null
when no term should be offered, and why the query is hard).

Shared by tests/test_search_answers.py, which pins the rates, and
`python -m bench.answers`, which prints them.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from glossary.models import Term

DATA = Path(__file__).resolve().parent / "data"


def load_answers_glossary():
    """Save the terms, then the articles, as editors would."""
    data = json.loads((DATA / "answers_glossary.json").read_text())
    for item in data["terms"]:
        Term.objects.create(
            name=item["name"],
            slug=item["slug"],
            kind=item["kind"],
            aliases="\n".join(item.get("aliases", [])),
            definition=item["definition"],
        )
    yesterday = timezone.now() - timezone.timedelta(days=1)
    for item in data["articles"]:
        Article.objects.create(
            title=item["title"],
            body=item["body"],
            status=Article.Status.PUBLISHED,
            published_at=yesterday,
        )


def answer_queries():
    return json.loads((DATA / "search_answers.json").read_text())


def suggested_slugs(client, query):
    """Slugs of the suggestions for `query`, best first."""
    response = client.get(reverse("glossary:suggest"), {"q": query})
    assert response.status_code == 200, (query, response.status_code)
    return [
        result["url"].strip("/").split("/")[-1] for result in response.json()["results"]
    ]


@dataclass
class Rates:
    total: int = 0
    first: int = 0
    top_five: int = 0
    misses: list = field(default_factory=list)  # (query, expected, got)


def answer_rates(client):
    """
    How often the expected term is the first suggestion, and among the
    first five. A query expecting no term counts when nothing is suggested.
    """
    rates = Rates()
    for item in answer_queries():
        slugs = suggested_slugs(client, item["query"])
        expected = item["first"]
        rates.total += 1
        if expected is None:
            is_first = is_in_five = not slugs
        else:
            is_first = slugs[:1] == [expected]
            is_in_five = expected in slugs[:5]
        rates.first += is_first
        rates.top_five += is_in_five
        if not is_first:
            rates.misses.append((item["query"], expected, slugs[:3]))
    return rates
