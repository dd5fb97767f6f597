import re

import pytest
from django.core.management import call_command

from articles.models import Article, ArticleReference
from glossary.models import SearchEntry, Term, TermRelation
from references.models import Reference

pytestmark = pytest.mark.django_db

MODELS = [Article, ArticleReference, Reference, Term, SearchEntry, TermRelation]


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_load_demo_twice_leaves_same_row_counts():
    call_command("load_demo", verbosity=0)
    first = row_counts()
    call_command("load_demo", verbosity=0)
    assert row_counts() == first
    assert first["Term"] >= 15
    assert first["Reference"] == 3


def test_load_demo_second_run_reports_nothing_changed(capsys):
    call_command("load_demo")
    capsys.readouterr()
    call_command("load_demo")
    summary = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in summary[:-1]] == [
        "References",
        "Terms",
        "Relations",
        "Articles",
    ]
    for line in summary[:-1]:
        assert re.fullmatch(r"\w+: 0 created, 0 updated, [1-9]\d* unchanged", line)
    assert summary[-1] == "Demo content loaded."


def test_load_demo_gives_drugs_brand_aliases_and_targets(demo):
    brands = {
        "anakinra": "Kineret",
        "etanercept": "Enbrel",
        "infliximab": "Remicade",
        "adalimumab": "Humira",
    }
    for slug, brand in brands.items():
        term = Term.objects.get(slug=slug)
        assert brand in term.alias_list
        assert term.relations.filter(kind="inhibits").exists()
    assert "TNF-α" in Term.objects.get(slug="tnf-alpha").alias_list
