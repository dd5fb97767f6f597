"""
What every kind of content shares in an export: one file per row, named
by the row's slug or key, whose fields the kind lists; and on import,
reading and checking each file, then writing its row.

A kind is one small class (see references.py, glossary.py, articles.py,
images.py): its model, its folder, its fields in the order files list
them, and, when the row has a Markdown body, the body's field. Values
stored in model fields of the same name need nothing more; tags, lists of
references and other related rows are added by overriding `related_values`
(export) and `save_related` or `save_links` (import), with `check` for
what must exist; files a row comes with (an image's picture) by `files_of`
(export), `read` and `changes` (import).
"""

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    ValidationError,
)
from taggit.models import Tag
from taggit.utils import edit_string_for_tags

from glossary.admin_filters import validate_tag_names
from portal.transfer.fields import Text, TextList
from portal.transfer.files import (
    FileProblem,
    compose,
    dump_yaml,
    split_front_matter,
    with_front_matter,
)


@dataclass
class Entry:
    """One file read for import: its values, and the line each came from."""

    kind: "ContentKind"
    path: str
    values: dict
    lines: dict
    item_lines: dict
    # The line a missing field is reported at: where the fields begin.
    first_line: int
    row: object = None
    outcome: str = "unchanged"
    problems: list = field(default_factory=list)
    # Files of the export read with this one (an image's picture), and the
    # names of files the import stored for it, which are deleted if the
    # import is rolled back.
    companions: list = field(default_factory=list)
    stored_files: list = field(default_factory=list)

    @property
    def key(self):
        return self.values[self.kind.key]

    def line(self, name, index=None, part=None):
        """
        The line of field `name`, of its item `index`, or of that item's
        field `part`; where the fields begin if the file lacks it.
        """
        items = self.item_lines.get(name, ())
        if index is not None and index < len(items):
            return items[index].get(part, items[index][None])
        return self.lines.get(name, self.first_line)

    def refuse(self, name, message, index=None, part=None):
        self.problems.append(FileProblem(self.line(name, index, part), message))


class ExportRefused(Exception):
    """Why nothing more of an export could be written."""


class KnownKeys:
    """
    The slugs and keys each kind has once the import is done: those of the
    site's rows and those of the files. A key of a kind that ignores case is
    found in any case and given as it will be stored.
    """

    def __init__(self, entries_by_kind):
        self.keys = {}
        for kind, entries in entries_by_kind.items():
            stored = kind.model._default_manager.values_list(kind.key, flat=True)
            known = {kind.fold(key): key for key in stored}
            known.update({kind.fold(entry.key): entry.key for entry in entries})
            self.keys[type(kind)] = (kind, known)

    def find(self, kind_class, key):
        """The key as it will be stored, or None if no row will have it."""
        kind, known = self.keys[kind_class]
        return known.get(kind.fold(key))


class ContentKind:
    # The export's folder for this kind, and the model it holds.
    folder = ""
    model = None
    # The field that names a file's row; import matches rows by it.
    key = "slug"
    key_ignores_case = False
    # Fields of the file, in the order they are written.
    fields = []
    # The model field written as Markdown below the fields, if any; the
    # files are then .md, else .yaml.
    body = None
    # Other fields no two rows may share (checked before anything is written).
    unique = []

    @property
    def suffix(self):
        return ".md" if self.body else ".yaml"

    @property
    def written_suffixes(self):
        """The suffixes of the files an export writes to the kind's folder."""
        return {self.suffix}

    def stray_message(self):
        """Why a file of the kind's folder that no row's file reads is refused."""
        return (
            f"not a {self.suffix} file; {self.folder}/ holds one {self.suffix} "
            f"file per {self.model._meta.verbose_name}."
        )

    @property
    def label(self):
        return self.model._meta.verbose_name_plural.capitalize()

    def fold(self, key):
        return key.casefold() if self.key_ignores_case else key

    def stored_fields(self):
        """The fields kept in the model's own columns, the body included."""
        stored = [f for f in self.fields if self.is_column(f.name)]
        return stored + ([Text(self.body)] if self.body else [])

    def is_column(self, name):
        try:
            model_field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        return model_field.concrete and not model_field.many_to_many

    # Export

    def rows(self):
        """The rows to export, in key order."""
        return self.model._default_manager.order_by(self.key)

    def values_of(self, row):
        """The row's values as its file gives them, the body included."""
        values = {
            f.name: self.loaded(f.name, getattr(row, f.name))
            for f in self.fields
            if self.is_column(f.name)
        }
        values.update(self.related_values(row))
        if self.body:
            values[self.body] = getattr(row, self.body)
        return values

    def loaded(self, name, value):
        """A model value as the file gives it; see `stored`."""
        return value

    def stored(self, name, value):
        """A file's value as the model field holds it; see `loaded`."""
        return value

    def related_values(self, row):
        """The values of the fields that are not the model's own columns."""
        return {}

    def files_of(self, row):
        """
        The row's files as [(path inside the export, content)]: its own
        file as text, and any files it comes with (an image's picture, say)
        as bytes, in subfolders of the kind's folder.
        """
        values = self.values_of(row)
        fields = {f.name: f.dump(values[f.name]) for f in self.fields}
        path = f"{self.folder}/{values[self.key]}{self.suffix}"
        if self.body:
            return [(path, with_front_matter(fields, values[self.body]))]
        return [(path, dump_yaml(fields))]

    # Import: reading and checking

    def read(self, directory, path, text):
        """
        The Entry of the file at `path` in the export `directory`, whose
        text is `text`: its values checked one by one and against the
        model's fields. Raises FileProblem when the file cannot be read.
        """
        if self.body:
            parts = split_front_matter(text)
            mapping = compose(parts.front_matter, parts.front_matter_line)
        else:
            mapping = compose(text, 1)
        entry = Entry(
            kind=self,
            path=path,
            values={},
            lines=dict(mapping.lines),
            item_lines={},
            first_line=mapping.line,
        )
        names = [f.name for f in self.fields]
        for name in mapping.nodes:
            if name not in names:
                entry.refuse(
                    name, f"unknown field {name}; the fields are {', '.join(names)}."
                )
        for f in self.fields:
            node = mapping.nodes.get(f.name)
            entry.values[f.name] = f.blank()
            if node is not None:
                # Each field is read even after one is wrong, so that every
                # problem of the file is reported at once.
                try:
                    entry.values[f.name] = f.read(node, mapping.first_line, self.model)
                except FileProblem as problem:
                    entry.problems.append(problem)
                    continue
                entry.item_lines[f.name] = TextList.item_lines(node, mapping.first_line)
            if f.required and f.is_blank(entry.values[f.name]):
                what = "is blank" if node is not None else "is missing"
                entry.refuse(f.name, f"{f.name} {what}; every file needs one.")
        if self.body:
            entry.values[self.body] = parts.body
            entry.lines[self.body] = parts.body_line
        if not entry.problems:
            self.normalise(entry)
            self.validate_model_fields(entry)
        return entry

    def normalise(self, entry):
        """Bring the values to the form saving would give them."""
        if "tags" in entry.values:
            for index, name in enumerate(entry.values["tags"]):
                try:
                    # The admin's check, given the one name as it would be
                    # typed there.
                    validate_tag_names(edit_string_for_tags([Tag(name=name)]))
                except ValidationError as error:
                    entry.refuse("tags", f"tags: {' '.join(error.messages)}", index)
            entry.values["tags"] = sorted_tags(entry.values["tags"])

    def validate_model_fields(self, entry):
        """
        The model's own checks of each field (lengths, choices, slugs,
        identifiers, body limits); cleaned values replace the typed ones,
        as the admin's form would store them.
        """
        stored = {
            f.name: self.stored(f.name, entry.values[f.name])
            for f in self.stored_fields()
        }
        instance = self.model(**stored)
        exclude = [f.name for f in self.model._meta.fields if f.name not in stored]
        try:
            instance.clean_fields(exclude=exclude)
            self.clean_row(instance)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    shown = (
                        message if name == NON_FIELD_ERRORS else f"{name}: {message}"
                    )
                    entry.refuse(name, shown)
            return
        for name in stored:
            entry.values[name] = self.loaded(name, getattr(instance, name))

    def clean_row(self, instance):
        """Checks across fields that a row must pass wherever it came from."""

    def check(self, entries, known):
        """
        Checks across files and against the site, before anything is
        written: keys and unique values claimed twice, and (in subclasses)
        references to rows that will not exist.
        """
        for name in [self.key, *self.unique]:
            claimed = {}
            for entry in entries:
                value = entry.values[name]
                folded = self.fold(value) if name == self.key else value
                if folded in claimed:
                    entry.refuse(
                        name,
                        f"{name} “{value}” is also claimed by {claimed[folded].path}.",
                    )
                else:
                    claimed[folded] = entry
        self.check_unique_in_site(entries)

    def check_unique_in_site(self, entries):
        """A unique value a file gives that a row the import leaves has."""
        keys = [entry.key for entry in entries]
        for name in self.unique:
            by_value = {entry.values[name]: entry for entry in entries}
            taken = (
                self.model._default_manager.filter(**{f"{name}__in": list(by_value)})
                .exclude(**{f"{self.key}__in": keys})
                .values_list(name, self.key)
            )
            for value, holder in taken:
                by_value[value].refuse(
                    name,
                    f"{name} “{value}” is already the {name} of the "
                    f"{self.model._meta.verbose_name} with the {self.key} "
                    f"“{holder}” on the site.",
                )

    def check_known(self, entry, known, name, kind_class, key, index=None, part=None):
        """The stored spelling of `key`, refusing the entry if it is unknown."""
        found = known.find(kind_class, key)
        if found is None:
            entry.refuse(
                name,
                f"{name}: no {kind_class.model._meta.verbose_name} has the "
                f"{kind_class.key} “{key}”, on the site or in the export.",
                index,
                part,
            )
        return found

    # Import: writing

    def find(self, key):
        lookup = f"{self.key}__iexact" if self.key_ignores_case else self.key
        return self.model._default_manager.filter(**{lookup: key}).first()

    def save_row(self, entry):
        """
        Create or update the entry's row; a row whose values already match
        is not saved, so a second import changes nothing.
        """
        row = self.find(entry.key)
        created = row is None
        if created:
            row = self.model()
        changed = self.changes(row, entry)
        if changed:
            for name, value in changed.items():
                setattr(row, name, value)
            self.save(row, entry)
        related_changed = self.save_related(row, entry)
        entry.row = row
        if created:
            entry.outcome = "created"
        elif changed or related_changed:
            entry.outcome = "updated"

    def changes(self, row, entry):
        """The values of the entry that the row lacks, by model field name."""
        stored = {
            f.name: self.stored(f.name, entry.values[f.name])
            for f in self.stored_fields()
        }
        return {
            name: value for name, value in stored.items() if getattr(row, name) != value
        }

    def save(self, row, entry):
        """Save the entry's row, its changed values set."""
        row.save()

    def save_related(self, row, entry):
        """
        Write related rows that need only rows of earlier kinds; return
        whether any changed.
        """
        return False

    def save_links(self, entry):
        """
        Write related rows that need every row of the import (relations
        between terms); return whether any changed.
        """
        return False

    def import_entries(self, entries):
        """Write every entry's row; return the count of each outcome."""
        for entry in entries:
            self.save_row(entry)
        return Counter(entry.outcome for entry in entries)


def sorted_tags(names):
    """Tag names once each, ignoring case as the site's tags do, sorted."""
    unique = {}
    for name in names:
        unique.setdefault(name.casefold(), name)
    return sorted(unique.values(), key=lambda name: (name.casefold(), name))


class TaggedKind(ContentKind):
    """A kind whose rows have tags (django-taggit)."""

    def related_values(self, row):
        return {
            **super().related_values(row),
            "tags": sorted_tags(tag.name for tag in row.tags.all()),
        }

    def save_related(self, row, entry):
        changed = super().save_related(row, entry)
        current = sorted_tags(tag.name for tag in row.tags.all())
        wanted = entry.values["tags"]
        if [name.casefold() for name in current] != [
            name.casefold() for name in wanted
        ]:
            row.tags.set(wanted)
            changed = True
        return changed
