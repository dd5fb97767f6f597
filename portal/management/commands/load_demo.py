"""
Load the demo content: the cytokine article, its glossary and references.

The content lives as plain data in portal/demo/ so that it can be read and
reviewed like any other text. Rows are matched on every identity they
can have, so that one an editor re-keyed, moved or renamed is still found:
references by key (in any case), DOI, PubMed ID or title and year; terms by
slug, old slug, name or a name or alias that reads the same; articles by
slug or old slug. `make run` runs the command on every start, so by
default it only creates what matches nothing and never touches a row that
is already there: editors' changes to the demo content survive. `--reset`
puts the matched rows back as the data files give them (their keys and
slugs too, unless another row has taken them) and creates the rest.
"""

import json
from collections import Counter, defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils.dateparse import parse_date, parse_datetime

from articles.models import Article, ArticleReference
from glossary.models import SearchEntry, Term, TermRelation
from references.models import Reference

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


def read_json(name):
    return json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))


def find_existing(model, identities, claimed):
    """
    The row that one of `identities` (Q objects, most telling first) finds
    and that no other demo row has already been matched to, or None.
    """
    rows = model._default_manager.exclude(pk__in=claimed).order_by("pk")
    for identity in identities:
        row = rows.filter(identity).first()
        if row is not None:
            return row
    return None


def holder_of_unique_value(model, values, unique_fields, exclude_pk=None):
    """A row other than `exclude_pk` that already has one of the values."""
    others = model._default_manager.exclude(pk=exclude_pk)
    for name in unique_fields:
        holder = others.filter(**{f"{name}__iexact": values[name]}).first()
        if holder is not None:
            return holder
    return None


def load_row(model, identities, values, unique_fields, reset, claimed):
    """
    Match one demo row to the database and say what happened: "created",
    "kept" (there already, left as it is), or with `reset` "updated" or
    "unchanged".

    A row is there already when any of its identities finds it, so a row an
    editor renamed or moved is never created a second time. A reset puts
    the demo values back, except a unique value (slug, key, name) that
    another row has taken meanwhile. Unlike `update_or_create`, a row whose
    values already match is not saved again, so a reset leaves timestamps
    untouched.
    """
    row = find_existing(model, identities, claimed)
    if row is None:
        # Only a row already matched to another demo row can hold one of
        # the unique values here; creating a second would fail.
        holder = holder_of_unique_value(model, values, unique_fields)
        if holder is not None:
            return holder, "kept"
        row = model._default_manager.create(**values)
        claimed.add(row.pk)
        return row, "created"
    claimed.add(row.pk)
    if not reset:
        return row, "kept"
    taken = {
        name
        for name in unique_fields
        if holder_of_unique_value(model, values, [name], exclude_pk=row.pk)
    }
    changed = [
        name
        for name, value in values.items()
        if name not in taken and getattr(row, name) != value
    ]
    if not changed:
        return row, "unchanged"
    for name in changed:
        setattr(row, name, values[name])
    row.save()
    return row, "updated"


def reference_identities(values):
    """
    How a demo reference is recognised, however an editor re-keyed it: by
    key in any case, DOI, PubMed ID, or title and year.
    """
    identities = [Q(key__iexact=values["key"])]
    if values.get("doi"):
        identities.append(Q(doi__iexact=values["doi"]))
    if values.get("pmid"):
        identities.append(Q(pmid=values["pmid"]))
    identities.append(Q(title__iexact=values["title"], year=values.get("year")))
    return identities


def term_identities(values):
    """
    How a demo term is recognised after an editor moved or renamed it: by
    slug, an old slug, its name, or a name or alias that reads the same as
    the demo name (as search compares them).
    """
    same_reading = SearchEntry.objects.names().filter(
        compact=SearchEntry.compact_form(values["name"])
    )
    return [
        Q(slug=values["slug"]),
        Q(slug_redirects__old_slug=values["slug"]),
        Q(name__iexact=values["name"]),
        Q(pk__in=same_reading.values("term_id")),
    ]


def article_identities(slug):
    """A demo article is recognised by its slug or an old slug."""
    return [Q(slug=slug), Q(slug_redirects__old_slug=slug)]


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
        self.claimed = defaultdict(set)
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

    def load(self, model, identities, values, unique_fields):
        return load_row(
            model,
            identities,
            values,
            unique_fields,
            self.reset,
            self.claimed[model],
        )

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
            key = data["key"]
            values = {**blank, **data}
            reference, outcome = self.load(
                Reference, reference_identities(values), values, ["key"]
            )
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
                "slug": slug,
            }
            term, outcome = self.load(
                Term, term_identities(values), values, ["slug", "name"]
            )
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
                "slug": slug,
            }
            article, outcome = self.load(
                Article, article_identities(slug), values, ["slug"]
            )
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
