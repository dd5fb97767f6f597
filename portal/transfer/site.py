"""
Exporting the site's content to a folder of files and importing such a
folder, for `manage.py export_content` and `manage.py import_content`.

An import reads and checks every file before it writes anything, then
writes everything in one transaction; rendered HTML, mentions and the
search index are not in the files, and are made again by saving and then
relinking.
"""

import os
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import connection, transaction

from caching.dependencies import EVERYTHING
from caching.pages import changed
from glossary.relinking import relink_pending
from portal.transfer.articles import ArticleKind
from portal.transfer.files import FileProblem, compose, decode, dump_yaml
from portal.transfer.glossary import TermKind
from portal.transfer.images import ImageKind
from portal.transfer.kinds import ExportRefused, KnownKeys
from portal.transfer.pages import PageKind
from portal.transfer.references import ReferenceKind

# Every kind of content, in the order an import writes them: each may refer
# to the kinds before it (terms and articles cite references and embed
# images). A new kind is one class here.
KINDS = [ImageKind(), ReferenceKind(), TermKind(), ArticleKind(), PageKind()]

MANIFEST = "manifest.yaml"
FORMAT = "portal-content"
# Raised when a change to the files would be misread by an older import.
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


class ImportRefused(Exception):
    """The files' problems, each at its file and line; nothing was written."""

    def __init__(self, problems):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.message))
        files = len({problem.path for problem in self.problems})
        count = len(self.problems)
        super().__init__(
            f"Nothing was imported: {count} problem{'s' * (count != 1)} in "
            f"{files} file{'s' * (files != 1)}.\n"
            + "\n".join(str(problem) for problem in self.problems)
        )


def export_site(directory):
    """
    Write every row of every kind to `directory`, which must be empty or
    hold an earlier export (whose files are replaced); return the number of
    files of each kind.
    """
    directory = Path(directory)
    prepare_export_directory(directory)
    # One snapshot of the site, so that no file refers to a row that an
    # editor deleted while the export ran. SQLite's transaction is one
    # already; PostgreSQL's must be asked for, before its first query (a
    # caller's transaction is left as it is).
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        files = {
            kind: [file for row in kind.rows() for file in kind.files_of(row)]
            for kind in KINDS
        }
    for kind in KINDS:
        folder = directory / kind.folder
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.iterdir():
            if stale.is_file() and stale.suffix in kind.written_suffixes:
                stale.unlink()
    for kind_files in files.values():
        for path, content in kind_files:
            write_file(directory / path, content)
    manifest = {"format": FORMAT, "version": FORMAT_VERSION}
    (directory / MANIFEST).write_bytes(dump_yaml(manifest).encode("utf-8"))
    return {kind: len(kind_files) for kind, kind_files in files.items()}


def write_file(path, content):
    """
    Write text (as UTF-8 bytes, so that line endings in bodies are written
    as stored), bytes, or a stored file, copied in pieces rather than read
    into memory whole.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    if isinstance(content, bytes):
        path.write_bytes(content)
        return
    try:
        source = content.open("rb")
    except FileNotFoundError:
        raise ExportRefused(
            f"{content.name} was deleted while the export ran (its image was "
            "given a new picture or deleted); export again."
        ) from None
    with source, path.open("wb") as target:
        shutil.copyfileobj(source, target)


def prepare_export_directory(directory):
    if directory.exists() and not directory.is_dir():
        raise ExportRefused(f"{directory} is a file, not a directory.")
    if directory.is_dir() and any(directory.iterdir()):
        if not (directory / MANIFEST).is_file():
            raise ExportRefused(
                f"{directory} is not empty and holds no earlier export "
                f"({MANIFEST}); choose an empty or new directory."
            )
    directory.mkdir(parents=True, exist_ok=True)


def import_site(directory):
    """
    Import the export in `directory`: rows are matched by slug or key,
    created or updated, and left alone when their file matches them; rows
    with no file are kept. Returns ({kind: Counter of outcomes},
    (bodies relinked, left queued)). Raises ImportRefused, having written
    nothing, if any file has a problem.
    """
    directory = Path(directory)
    entries = read_export(directory)
    try:
        with transaction.atomic():
            outcomes = write_entries(directory, entries)
            # Rows are written in bulk too, without the signals that tell
            # kept pages which of them changed.
            changed(EVERYTHING)
    except BaseException:
        # The rows are rolled back; the files stored for them (an image's
        # original) would be left in MEDIA_ROOT with nothing using them.
        for kind_entries in entries.values():
            for entry in kind_entries:
                for name in entry.stored_files:
                    default_storage.delete(name)
        raise
    # Bodies saved before the terms they link to were there are linked now,
    # so that every page is right as soon as the command ends.
    return outcomes, relink_pending()


def write_entries(directory, entries):
    known = KnownKeys(entries)
    for kind, kind_entries in entries.items():
        kind.check(kind_entries, known)
    refuse_if_problems(directory, entries)
    outcomes = {
        kind: kind.import_entries(kind_entries)
        for kind, kind_entries in entries.items()
    }
    for kind, kind_entries in entries.items():
        for entry in kind_entries:
            if kind.save_links(entry) and entry.outcome == "unchanged":
                entry.outcome = "updated"
        outcomes[kind] = Counter(entry.outcome for entry in kind_entries)
    return outcomes


def read_export(directory):
    """Every file of the export read and checked by itself, as {kind: entries}."""
    problems = []
    read_manifest(directory, problems)
    entries = {}
    for kind in KINDS:
        entries[kind] = []
        folder = directory / kind.folder
        if not folder.is_dir():
            continue
        others = []
        unread = False
        for file in sorted(folder.iterdir()):
            if file.name.startswith(".") or file.is_dir():
                continue
            path = f"{kind.folder}/{file.name}"
            if file.suffix != kind.suffix:
                others.append(file)
                continue
            try:
                entries[kind].append(
                    kind.read(directory, path, decode(file.read_bytes()))
                )
            except FileProblem as problem:
                unread = True
                problems.append(
                    Problem(shown(directory, path), problem.line, problem.message)
                )
        # Other files are those the rows' files name (an image's picture),
        # known once every file has been read.
        named = {file for entry in entries[kind] for file in entry.companions}
        problems += [
            Problem(
                shown(directory, f"{kind.folder}/{file.name}"), 1, kind.stray_message()
            )
            for file in others
            if file not in named and not unread
        ]
    if problems:
        raise ImportRefused(problems + entry_problems(directory, entries))
    refuse_if_problems(directory, entries)
    return entries


def read_manifest(directory, problems):
    path = directory / MANIFEST
    if not path.is_file():
        raise ImportRefused(
            [
                Problem(
                    shown(directory, MANIFEST),
                    1,
                    "missing: this is not a content export.",
                )
            ]
        )
    try:
        manifest = compose(decode(path.read_bytes()), 1, MANIFEST)
    except FileProblem as problem:
        problems.append(
            Problem(shown(directory, MANIFEST), problem.line, problem.message)
        )
        return
    format_name = manifest.nodes.get("format")
    version = manifest.nodes.get("version")
    if getattr(format_name, "value", None) != FORMAT:
        problems.append(
            Problem(
                shown(directory, MANIFEST),
                manifest.line_of("format"),
                f"format must be {FORMAT}: this is not a content export.",
            )
        )
    elif getattr(version, "value", None) != str(FORMAT_VERSION):
        problems.append(
            Problem(
                shown(directory, MANIFEST),
                manifest.line_of("version"),
                f"version {getattr(version, 'value', '')} cannot be read; this site "
                f"reads version {FORMAT_VERSION}.",
            )
        )


def entry_problems(directory, entries):
    return [
        Problem(shown(directory, entry.path), problem.line, problem.message)
        for kind_entries in entries.values()
        for entry in kind_entries
        for problem in entry.problems
    ]


def refuse_if_problems(directory, entries):
    problems = entry_problems(directory, entries)
    if problems:
        raise ImportRefused(problems)


def shown(directory, path):
    """A file's path as the person who named the directory would type it."""
    return os.path.join(str(directory), path)
