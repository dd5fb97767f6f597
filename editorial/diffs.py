"""
Word-level differences between two versions of a text, for editors to read.

Texts are compared line by line first, then word by word inside the lines
that changed: a 100,000-character body is compared in milliseconds, and an
edit shows as the words it touched, not as whole paragraphs swapped.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# Words, runs of whitespace and single punctuation marks: a changed comma
# is shown as a changed comma, not as a changed word.
TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
EXACT_WORD_LIMIT = 4000
# Unchanged lines shown on each side of a change; longer unchanged runs
# are folded, so that an edit at the end of a long body is seen at once.
CONTEXT_LINES = 3


def as_text(value):
    """
    A field value as comparable text: lists one item a line, line endings
    as LF, no outer whitespace (the admin's forms strip it, files keep a
    final newline: neither is a change an editor could see).
    """
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "\n".join(str(item) for item in value)
    return str(value).replace("\r\n", "\n").strip()


def _marked(tag, pieces):
    text = "".join(pieces)
    if not text:
        return ""
    return format_html("<{}>{}</{}>", tag, text, tag)


def _word_diff(old, new, out):
    before, after = TOKEN.findall(old), TOKEN.findall(new)
    # Exact matching is quadratic; a rewritten passage of thousands of
    # words is compared with difflib's heuristic instead, which treats
    # very common tokens (spaces) as noise.
    exact = len(before) + len(after) <= EXACT_WORD_LIMIT
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=not exact)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(format_html("{}", "".join(before[i1:i2])))
            continue
        out.append(_marked("del", before[i1:i2]))
        out.append(_marked("ins", after[j1:j2]))


def _unchanged(lines, before_a_change, after_a_change):
    """
    A run of unchanged lines: whole if short, else only the lines next to
    the changes around it, with a note of how many are folded away.
    """
    head = lines[:CONTEXT_LINES] if before_a_change else []
    tail = lines[-CONTEXT_LINES:] if after_a_change else []
    folded = len(lines) - len(head) - len(tail)
    if folded <= 1:
        return format_html("{}", "".join(lines))
    return format_html(
        '{}<span class="diff-folded">… {} unchanged lines …</span>\n{}',
        "".join(head),
        folded,
        "".join(tail),
    )


def word_diff(old, new):
    """
    `new` set against `old` as HTML: removed words in <del>, added ones in
    <ins>, the rest as it stands. Every piece of text is escaped.
    """
    old_lines = as_text(old).splitlines(keepends=True)
    new_lines = as_text(new).splitlines(keepends=True)
    # Blank lines are too common to anchor a match; difflib's heuristic
    # (autojunk) skips them, which keeps long bodies fast.
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines)
    out = []
    opcodes = matcher.get_opcodes()
    for number, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            out.append(
                _unchanged(
                    old_lines[i1:i2],
                    before_a_change=number > 0,
                    after_a_change=number < len(opcodes) - 1,
                )
            )
        else:
            _word_diff("".join(old_lines[i1:i2]), "".join(new_lines[j1:j2]), out)
    return mark_safe("".join(out))


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between two versions, with its word diff."""

    name: str
    label: str
    old: str
    new: str

    @property
    def diff(self) -> SafeString:
        return word_diff(self.old, self.new)


def changed_fields(old, new, labels):
    """
    The fields that differ between two versions, in the order of `labels`
    (a mapping of field name to the label editors know it by). `old` and
    `new` map field names to values; lists compare as one item a line.
    """
    changes = []
    for name, label in labels.items():
        before, after = as_text(old.get(name)), as_text(new.get(name))
        if before != after:
            changes.append(FieldChange(name, str(label), before, after))
    return changes
