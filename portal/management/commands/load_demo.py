"""
Load the demo content: the cytokine article, its glossary and references.

The content lives as plain data in portal/demo/ so that it can be read and
reviewed like any other text. Each row the command creates is recorded
(DemoRow) under its entry in the data ("term:etanercept"), and the record,
not the row's slug or key, says which row is the demo's: a row an editor
made is never taken for a demo row, even when it has the demo's slug or
key. `make run` runs the command on every start, so by default it only
creates the entries that have no record and match nothing, and never
touches a row that is there: editors' changes to the demo content survive,
and a demo row an editor deleted stays deleted. `--reset` puts the recorded
rows back as the data files give them, recreating deleted ones; a slug or
key that another row has taken meanwhile stays with that row, and the demo
row keeps (or gets) another one.

A database loaded before rows were recorded has demo rows without records.
Such an entry is matched on every identity its row can have, so that one an
editor re-keyed, moved or renamed is still found: references by DOI, PubMed
ID, key (in any case) or title and year; terms by slug, old slug, name or a
name or alias that reads the same; articles by slug or old slug. The match
is then recorded.
"""

import json
from collections import Counter, defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.db.models import Q
from django.utils.dateparse import parse_date, parse_datetime

from articles.models import Article, Reviewer
from glossary.citing import recite
from glossary.models import SearchEntry, Term, TermRelation
from portal.models import DemoRow
from references.models import Reference

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


def read_json(name):
    return json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))


def find_existing(model, identities, claimed):
    """
    The row that one of `identities` (Q objects, most telling first) finds
    and that is not already another demo entry's row, or None.
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


def free_value(model, name, value):
    """
    `value` with the lowest number appended ("-2" to a slug or key, " 2" to
    a name) that no row of `model` has in field `name`, in any case.
    """
    separator = (
        "-" if isinstance(model._meta.get_field(name), models.SlugField) else " "
    )
    rows = model._default_manager.all()
    number = 2
    while rows.filter(**{f"{name}__iexact": f"{value}{separator}{number}"}).exists():
        number += 1
    return f"{value}{separator}{number}"


def reference_identities(values):
    """
    How a demo reference is recognised, however an editor re-keyed it: by
    DOI, PubMed ID, key in any case, or title and year. The DOI and PubMed
    ID name the work itself and come first: an editor's own reference may
    have been given the demo's key after the demo one was re-keyed.
    """
    identities = []
    if values.get("doi"):
        identities.append(Q(doi__iexact=values["doi"]))
    if values.get("pmid"):
        identities.append(Q(pmid=values["pmid"]))
    identities.append(Q(key__iexact=values["key"]))
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
        "portal/demo/. Only demo entries never loaded before are created, so "
        "editors' changes are kept; --reset restores the rows the command "
        "created as the data gives them and never touches editors' own rows."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help=(
                "Overwrite demo rows that editors changed with the demo data "
                "and recreate those they deleted."
            ),
        )

    def handle(self, *args, **options):
        self.reset = options["reset"]
        self.counts = Counter()
        self.notes = []
        with transaction.atomic():
            self.read_records()
            references = self.load_references()
            # Bodies in the data cite the demo keys; a demo reference that
            # had to keep another key is cited by the key it has.
            self.cited_as = {
                key: reference.key
                for key, reference in references.items()
                if reference is not None and reference.key != key
            }
            terms = self.load_terms(references)
            self.load_relations(terms)
            self.load_articles(references)
        if self.verbosity < 1:
            return
        for note in self.notes:
            self.stdout.write(self.style.WARNING(note))
        outcomes = (
            ("created", "updated", "unchanged") if self.reset else ("created", "kept")
        )
        for model_name in ("reference", "term", "relation", "article"):
            line = ", ".join(
                f"{self.counts[model_name, outcome]} {outcome}" for outcome in outcomes
            )
            self.stdout.write(f"{model_name.capitalize()}s: {line}")
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))

    def read_records(self):
        """The recorded row of each demo entry, and those rows per model."""
        self.demo_rows = {}
        self.claimed = defaultdict(set)
        for record in DemoRow.objects.select_related("content_type"):
            self.demo_rows[record.entry] = record
            self.claimed[record.content_type.model_class()].add(record.object_id)

    def record(self, model_name, label, outcome):
        self.counts[model_name, outcome] += 1
        if self.verbosity >= 2:
            self.stdout.write(f"  {outcome} {model_name} {label}")

    def execute(self, *args, **options):
        self.verbosity = options.get("verbosity", 1)
        return super().execute(*args, **options)

    def load(self, model, label, identities, values, unique_fields):
        """
        The row of the demo entry `label` ("term:etanercept") and what
        happened to it: "created", "kept" (left as it is), or with `reset`
        "updated" or "unchanged". The row is None when an editor deleted it
        and this is no reset.

        An entry with a record is never looked for by its values: its row is
        the recorded one, whatever an editor renamed, and a plain run does
        not recreate it when it has gone. An entry without one is matched by
        `identities` among the rows no other entry has, and the match or the
        new row is recorded.
        """
        record = self.demo_rows.get(label)
        if record is not None:
            row = model._default_manager.filter(pk=record.object_id).first()
            if not self.reset:
                if row is None and self.verbosity >= 2:
                    self.stdout.write(f"  {label} was deleted and stays so")
                return row, "kept"
            if row is not None:
                return row, self.restore(row, label, values, unique_fields)
            row = self.create(model, label, values, unique_fields)
            record.object_id = row.pk
            record.save(update_fields=["object_id"])
            self.claimed[model].add(row.pk)
            return row, "created"
        row = find_existing(model, identities, self.claimed[model])
        if row is None:
            row, outcome = self.create(model, label, values, unique_fields), "created"
        elif self.reset:
            outcome = self.restore(row, label, values, unique_fields)
        else:
            outcome = "kept"
        self.demo_rows[label] = DemoRow.objects.create(entry=label, row=row)
        self.claimed[model].add(row.pk)
        return row, outcome

    def create(self, model, label, values, unique_fields):
        """
        A new row with `values`, a unique value that another row already has
        replaced by a free one.
        """
        values = resolved(values)
        for name in unique_fields:
            if holder_of_unique_value(model, values, [name]) is not None:
                taken = values[name]
                values[name] = free_value(model, name, taken)
                self.note_taken(model, label, name, taken, "gets", values[name])
        return model._default_manager.create(**values)

    def restore(self, row, label, values, unique_fields):
        """
        Put the demo `values` back on `row`, except a unique value (slug,
        key, name) that another row has taken meanwhile. Unlike
        `update_or_create`, a row whose values already match is not saved
        again, so a reset leaves timestamps untouched.
        """
        model = type(row)
        values = resolved(values)
        taken = set()
        for name in unique_fields:
            if holder_of_unique_value(model, values, [name], exclude_pk=row.pk):
                taken.add(name)
                self.note_taken(
                    model, label, name, values[name], "keeps", getattr(row, name)
                )
        changed = [
            name
            for name, value in values.items()
            if name not in taken and getattr(row, name) != value
        ]
        if not changed:
            return "unchanged"
        for name in changed:
            setattr(row, name, values[name])
        row.save()
        return "updated"

    def note_taken(self, model, label, name, taken, verb, instead):
        field = model._meta.get_field(name).verbose_name
        self.notes.append(
            f"Demo {label} {verb} the {field} “{instead}”: another "
            f"{model._meta.verbose_name} has “{taken}”, and it is left as it is."
        )

    def cite_demo_references(self, source):
        """`source` citing each demo reference by the key it now has."""
        for key, actual_key in self.cited_as.items():
            source = recite(source, key, actual_key)
        return source

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
                Reference,
                f"reference:{key}",
                reference_identities(values),
                values,
                ["key"],
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
                "definition": self.cite_demo_references(data["definition"]),
                "body": self.cite_demo_references(data.get("body", "")),
                "slug": slug,
            }
            term, outcome = self.load(
                Term, f"term:{slug}", term_identities(values), values, ["slug", "name"]
            )
            if outcome != "kept":
                term.tags.set(data.get("tags", []))
                term.references.set(
                    present(references[key] for key in data.get("references", []))
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
            # editors' to keep or remove, and one with a term an editor
            # deleted has gone with it.
            already_there = "created" not in (source_outcome, target_outcome)
            deleted = None in (source_term, target_term)
            if deleted or (already_there and not self.reset):
                self.record("relation", label, "kept")
                continue
            _, created = TermRelation.objects.get_or_create(
                source=source_term, kind=kind, target=target_term
            )
            self.record("relation", label, "created" if created else "unchanged")

    def load_articles(self, references):
        for data in read_json("articles.json"):
            slug = data["slug"]
            body = (DEMO_DIR / data["body_file"]).read_text(encoding="utf-8")
            values = {
                "title": data["title"],
                "summary": data["summary"],
                "body": self.cite_demo_references(body),
                "status": data["status"],
                "published_at": parse_datetime(data["published_at"]),
                "updated_at": parse_datetime(data["updated_at"]),
                "last_reviewed_on": parse_date(data["last_reviewed_on"]),
                "author": data["author"],
                "medical_reviewer": lambda data=data: demo_reviewer(
                    data["medical_reviewer"]
                ),
                "slug": slug,
            }
            article, outcome = self.load(
                Article, f"article:{slug}", article_identities(slug), values, ["slug"]
            )
            if outcome != "kept":
                article.tags.set(data.get("tags", []))
                article.set_reference_list(
                    (reference.pk, position)
                    for position, reference in enumerate(
                        present(references[k] for k in data["references"]), start=1
                    )
                )
            self.record("article", slug, outcome)


def resolved(values):
    """
    `values` with each callable replaced by what it returns: a related row
    (an article's reviewer) is looked up or made only when a row is written,
    so a plain run that keeps every row makes none.
    """
    return {
        name: value() if callable(value) else value for name, value in values.items()
    }


def demo_reviewer(data):
    """The reviewer record of that name, made with the data's credentials."""
    reviewer = Reviewer.objects.filter(name__iexact=data["name"]).first()
    if reviewer is None:
        reviewer = Reviewer.objects.create(**data)
    return reviewer


def present(rows):
    """`rows` without those an editor deleted (None), in order."""
    return [row for row in rows if row is not None]
