"""
Load the demo content: the cytokine article, its glossary and references.

The content lives as plain data in portal/demo/ so that it can be read and
reviewed like any other text. Rows are matched on their natural keys
(reference key, term slug, article slug), so running the command again
updates what changed and leaves everything else alone.
"""

import json
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime

from articles.models import Article, ArticleReference
from glossary.models import Term, TermRelation
from references.models import Reference

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


def read_json(name):
    return json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))


def upsert(model, lookup, values):
    """
    Create or update one row and say which happened.

    Unlike `update_or_create`, a row whose values already match is not saved
    again, so a second run leaves timestamps untouched.
    """
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model.objects.create(**lookup, **values), "created"
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if not changed:
        return row, "unchanged"
    for name in changed:
        setattr(row, name, values[name])
    row.save()
    return row, "updated"


class Command(BaseCommand):
    help = (
        "Load the demo article, glossary terms and references from "
        "portal/demo/. Safe to run again: unchanged rows are left alone."
    )

    def handle(self, *args, **options):
        self.counts = Counter()
        with transaction.atomic():
            references = self.load_references()
            terms = self.load_terms(references)
            self.load_relations(terms)
            self.load_articles(references)
        if self.verbosity < 1:
            return
        for model_name in ("reference", "term", "relation", "article"):
            line = ", ".join(
                f"{self.counts[model_name, outcome]} {outcome}"
                for outcome in ("created", "updated", "unchanged")
            )
            self.stdout.write(f"{model_name.capitalize()}s: {line}")
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))

    def record(self, model_name, label, outcome):
        self.counts[model_name, outcome] += 1
        if self.verbosity >= 2:
            self.stdout.write(f"  {outcome} {model_name} {label}")

    def execute(self, *args, **options):
        self.verbosity = options.get("verbosity", 1)
        return super().execute(*args, **options)

    def load_references(self):
        references = {}
        for data in read_json("references.json"):
            key = data.pop("key")
            reference, outcome = upsert(Reference, {"key": key}, data)
            references[key] = reference
            self.record("reference", key, outcome)
        return references

    def load_terms(self, references):
        terms = {}
        for data in read_json("terms.json"):
            slug = data["slug"]
            values = {
                "name": data["name"],
                "kind": data["kind"],
                "aliases": "\n".join(data.get("aliases", [])),
                "definition": data["definition"],
                "body": data.get("body", ""),
            }
            term, outcome = upsert(Term, {"slug": slug}, values)
            term.tags.set(data.get("tags", []))
            term.references.set([references[key] for key in data.get("references", [])])
            terms[slug] = term
            self.record("term", slug, outcome)
        return terms

    def load_relations(self, terms):
        for source, kind, target in read_json("relations.json"):
            _, created = TermRelation.objects.get_or_create(
                source=terms[source], kind=kind, target=terms[target]
            )
            outcome = "created" if created else "unchanged"
            self.record("relation", f"{source} {kind} {target}", outcome)

    def load_articles(self, references):
        for data in read_json("articles.json"):
            slug = data["slug"]
            values = {
                "title": data["title"],
                "summary": data["summary"],
                "body": (DEMO_DIR / data["body_file"]).read_text(encoding="utf-8"),
                "status": data["status"],
                "published_at": parse_datetime(data["published_at"]),
                "updated_at": parse_datetime(data["updated_at"]),
                "last_reviewed_on": parse_date(data["last_reviewed_on"]),
                "author": data["author"],
                "medical_reviewer": data["medical_reviewer"],
            }
            article, outcome = upsert(Article, {"slug": slug}, values)
            article.tags.set(data.get("tags", []))
            self.set_reference_list(
                article, [references[k] for k in data["references"]]
            )
            self.record("article", slug, outcome)

    def set_reference_list(self, article, ordered_references):
        """Make the article's reference list exactly `ordered_references`."""
        wanted = {
            ref.pk: position for position, ref in enumerate(ordered_references, 1)
        }
        article.reference_links.exclude(reference_id__in=wanted).delete()
        for reference_id, position in wanted.items():
            ArticleReference.objects.update_or_create(
                article=article,
                reference_id=reference_id,
                defaults={"position": position},
            )
