"""
Load the demo content: the cytokine article, its glossary and references.

The content lives as plain data in portal/demo/ so that it can be read and
reviewed like any other text. Rows are matched on their natural keys
(reference key, term slug, article slug). `make run` runs the command on
every start, so by default it only creates what is missing and never
touches a row that is already there: editors' changes to the demo content
survive. `--reset` puts the demo rows back as the data files give them.
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


def upsert(model, lookup, values, reset):
    """
    Create one row if it is missing and say what happened: "created",
    "kept" (there already, left as it is), or with `reset` "updated" or
    "unchanged".

    Unlike `update_or_create`, a row whose values already match is not saved
    again, so a reset leaves timestamps untouched.
    """
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model.objects.create(**lookup, **values), "created"
    if not reset:
        return row, "kept"
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
        "portal/demo/. Only what is missing is created, so editors' changes "
        "are kept; --reset restores the demo rows as the data gives them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Overwrite demo rows that editors changed with the demo data.",
        )

    def handle(self, *args, **options):
        self.reset = options["reset"]
        self.counts = Counter()
        with transaction.atomic():
            references = self.load_references()
            terms = self.load_terms(references)
            self.load_relations(terms)
            self.load_articles(references)
        if self.verbosity < 1:
            return
        outcomes = (
            ("created", "updated", "unchanged") if self.reset else ("created", "kept")
        )
        for model_name in ("reference", "term", "relation", "article"):
            line = ", ".join(
                f"{self.counts[model_name, outcome]} {outcome}" for outcome in outcomes
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
        # A detail the data leaves out is blank, so that a reset also clears
        # what an older copy of the data or an editor had filled in.
        blank = {
            field.name: field.get_default()
            for field in Reference._meta.concrete_fields
            if field.editable and not field.primary_key
        }
        for data in read_json("references.json"):
            key = data.pop("key")
            values = {**blank, **data}
            del values["key"]
            reference, outcome = upsert(Reference, {"key": key}, values, self.reset)
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
            term, outcome = upsert(Term, {"slug": slug}, values, self.reset)
            if outcome != "kept":
                term.tags.set(data.get("tags", []))
                term.references.set(
                    [references[key] for key in data.get("references", [])]
                )
            terms[slug] = (term, outcome)
            self.record("term", slug, outcome)
        return terms

    def load_relations(self, terms):
        for source, kind, target in read_json("relations.json"):
            (source_term, source_outcome), (target_term, target_outcome) = (
                terms[source],
                terms[target],
            )
            label = f"{source} {kind} {target}"
            # A relation between two terms that were already there is the
            # editors' to keep or remove.
            if not self.reset and "created" not in (source_outcome, target_outcome):
                self.record("relation", label, "kept")
                continue
            _, created = TermRelation.objects.get_or_create(
                source=source_term, kind=kind, target=target_term
            )
            self.record("relation", label, "created" if created else "unchanged")

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
            article, outcome = upsert(Article, {"slug": slug}, values, self.reset)
            if outcome != "kept":
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
