"""
Keeping links true: when a term is added, renamed, given a new alias, given
a new definition or deleted, or a reference is added, re-keyed or deleted,
every body it affects is rendered again.

Changes are collected while a transaction runs (an admin save writes the term,
its aliases and its relations in one) and the affected bodies are rendered
once, in one pass, when it commits. Bodies are every model that inherits
`LinkedBody`, found through the app registry, so this module knows no app
above the glossary.
"""

from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Q

from glossary.citing import recite
from glossary.models import linked_body_models

# Past this many new names and aliases in one pass, matching each against
# every body costs more than rendering every body.
MAX_TEXT_FILTERS = 50

_pending = {}


def schedule(term_ids=(), texts=()):
    """
    Re-render, after commit, the bodies that link to `term_ids` now and
    those whose source contains any of `texts` (new names and aliases, or
    `@key` for a reference).

    The linking bodies are looked up at once, before a deletion removes the
    mentions that record them.
    """
    key = id(transaction.get_connection())
    pending = _pending.setdefault(key, {"ids": {}, "texts": set()})
    term_ids = list(term_ids)
    if term_ids:
        for model in linked_body_models():
            linking = model.objects.filter(mentioned_terms__in=term_ids)
            pending["ids"].setdefault(model, set()).update(
                linking.values_list("pk", flat=True)
            )
    pending["texts"].update(text for text in texts if text)
    # Every call registers a callback: a rolled-back transaction drops its
    # callbacks, and a later one must not rely on them. The first callback
    # to run takes everything pending; the others find nothing left. Outside
    # a transaction the callback runs at once, so it is registered last.
    transaction.on_commit(lambda: _run(key))


def _run(key):
    pending = _pending.pop(key, None)
    if pending:
        relink(pending["ids"], pending["texts"])


def relink(ids_by_model=None, texts=()):
    """
    Render again the bodies given as {model: ids}, and any body whose source
    contains one of `texts`; returns how many were rendered.
    """
    ids_by_model = ids_by_model or {}
    texts = sorted(texts)
    count = 0
    for model in linked_body_models():
        ids = list(ids_by_model.get(model, ()))
        if len(texts) > MAX_TEXT_FILTERS:
            condition = Q()
        else:
            condition = reduce(
                or_, (Q(body__icontains=text) for text in texts), Q(pk__in=ids)
            )
        for body in model.objects.filter(condition).exclude(body=""):
            body.relink()
            count += 1
    return count


def recite_bodies(old_key, new_key):
    """
    Make every body citing `old_key` cite `new_key` instead, and return how
    many bodies changed.

    Only the source is written here, without save(), so that timestamps stay
    as they are; the bodies citing the new key are rendered again when the
    transaction commits.
    """
    count = 0
    for model in linked_body_models():
        citing = model.objects.filter(body__icontains=f"@{old_key}")
        for pk, body in citing.values_list("pk", "body"):
            rewritten = recite(body, old_key, new_key)
            if rewritten != body:
                model.objects.filter(pk=pk).update(body=rewritten)
                count += 1
    schedule(texts=[f"@{new_key}"])
    return count


def relink_everything(outdated_only=False):
    """
    Render every linked body again, or with `outdated_only` those rendered
    by older rules than the current ones; returns how many.
    """
    count = 0
    for model in linked_body_models():
        bodies = model.objects.outdated() if outdated_only else model.objects.all()
        for body in bodies:
            body.relink()
            count += 1
    return count
