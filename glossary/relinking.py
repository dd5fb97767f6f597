"""
Keeping links true: when a term is added, renamed, given a new alias, given
a new definition or deleted, or a reference is added, re-keyed or deleted,
every body it affects is rendered again, in the background.

A change is recorded in the transaction that makes it (`request`): the
glossary version moves on, the bodies that link to a changed term are
queued as PendingRelink rows, and the new texts to look for as a
PendingRelinkSearch. The editor's request returns once that is written;
the background task (glossary/tasks.py) then works the queue down with
`relink_pending`. Nothing here runs after an editor's commit except the
check of `follow_up`, which cannot fail the save.

Bodies are every model that inherits `LinkedBody`, found through the app
registry, so this module knows no app above the glossary.
"""

import logging

from django.apps import apps
from django.db import transaction

from glossary.citing import recite
from glossary.figures import re_embed
from glossary.linking import Matcher, TermInfo, explicit_link_keys
from glossary.models import (
    GlossaryVersion,
    PendingRelink,
    PendingRelinkSearch,
    linked_body_models,
)
from glossary.transient import retry_transient
from images.embedding import EMBED_SCHEME

logger = logging.getLogger(__name__)

# Past this many new names and aliases in one search, matching each against
# every body costs more than rendering every body.
MAX_TEXT_FILTERS = 50

# Pending bodies read from the queue at a time.
BATCH_SIZE = 100

# Renders of one body whose text changes under each, before it is left
# queued for the next run.
ROUNDS_PER_BODY = 3


def request(term_ids=(), texts=(), image_ids=()):
    """
    In the caller's transaction: count a change to the glossary, and queue
    for relinking the bodies that link to `term_ids` or embed `image_ids`
    now and those whose source contains any of `texts` (new names and
    aliases, `@key` for a reference, `image:slug` for an image). Returns
    the new glossary version.

    The linking bodies are looked up at once, before a deletion removes the
    mentions that record them; looking for texts reads every body, so it is
    left to the background task.
    """
    version = GlossaryVersion.bump()
    PendingRelink.objects.request_linking(term_ids, version)
    PendingRelink.objects.request_linking(image_ids, version, "embedded_images")
    texts = sorted({text for text in texts if text})
    if texts:
        PendingRelinkSearch.objects.create(texts=texts, version=version)
    return version


def follow_up(body):
    """
    After an editor's save has committed: if the glossary changed between
    the body's render and now, queue the body, since a relink that ran in
    between read the older text. Returns whether it was queued.
    """
    version = GlossaryVersion.current()
    if version <= body.linked_version:
        return False
    PendingRelink.objects.request({type(body): [body.pk]}, version)
    return True


def has_pending():
    return PendingRelink.objects.exists() or PendingRelinkSearch.objects.exists()


def pending_counts():
    """
    For each kind of linked body with some waiting to be relinked: its
    model, how many wait and how many there are; and whether some changes
    still wait for their bodies to be found. Kinds with none waiting are
    not counted at all.
    """
    counts = []
    for model in linked_body_models():
        queued = PendingRelink.objects.of_model(model).count()
        if queued:
            counts.append((model, queued, model.objects.count()))
    return counts, PendingRelinkSearch.objects.exists()


def relink_pending():
    """
    Work the whole queue down: find the bodies each pending search names,
    then render every queued body again. Each body is stored in its own
    short transaction, retried on transient errors; a body that still
    fails, or whose text keeps changing under the render, stays queued for
    the next run. Returns (relinked, left queued).
    """
    while search := PendingRelinkSearch.objects.order_by("pk").first():
        retry_transient(queue_bodies_containing, search)
    relinked, left = 0, set()
    while batch := list(
        PendingRelink.objects.exclude(pk__in=left).order_by("pk")[:BATCH_SIZE]
    ):
        for waiting in batch:
            try:
                done = retry_transient(relink_waiting, waiting)
            except Exception:
                logger.exception("Could not relink %s; it stays queued.", waiting)
                done = False
            if done:
                relinked += 1
            else:
                left.add(waiting.pk)
    return relinked, len(left)


def queue_bodies_containing(search):
    """
    Queue every body whose source contains one of the search's texts, in
    any spelling that links it (see `mentions_any`).

    The bodies are read before the transaction begins: on SQLite a
    transaction holds the write lock from its start, and reading every
    body would hold up every editor's save. A body saved in the meantime
    is rendered by its own save against the glossary that has the change.
    """
    if len(search.texts) > MAX_TEXT_FILTERS:
        found = {
            model: model.objects.exclude(body="").values_list("pk", flat=True)
            for model in linked_body_models()
        }
    else:
        mentions = mentions_any(search.texts)
        found = {
            model: [
                pk
                for pk, source in model.objects.exclude(body="")
                .values_list("pk", "body")
                .iterator()
                if mentions(source)
            ]
            for model in linked_body_models()
        }
    with transaction.atomic():
        PendingRelink.objects.request(found, search.version)
        search.delete()


def mentions_any(texts):
    """
    A test of whether a body's source may mention one of `texts` (names
    and aliases, `@key` for a reference or `image:slug`): as typed, in any case, or
    written as linking reads it ("antibodies" for "Antibody", "Behçet’s"
    for "Behçet's", "interleukin 23" for "Interleukin-23", a line break
    between words, "IFN-λ" for "IFN-lambda"), or in a `[[Name]]` link. A
    body it takes in by mistake is only rendered once more than needed.
    """
    typed = [text.lower() for text in texts]
    names = [(text, 0) for text in texts if not text.startswith(("@", EMBED_SCHEME))]
    matcher = Matcher([TermInfo(0, "", "", "", "")], names)

    def mentions(source):
        lowered = source.lower()
        return (
            any(text in lowered for text in typed)
            or bool(matcher.find(source))
            or any(matcher.resolve(key) for key in explicit_link_keys(source))
        )

    return mentions


def relink_waiting(waiting):
    """
    Render one queued body again and take it off the queue, in the same
    transaction as the write, so that an editor's save that lands after it
    and queues the body again is never taken off with it.
    """
    model = apps.get_model(waiting.body_model)
    for __ in range(ROUNDS_PER_BODY):
        body = model._default_manager.filter(pk=waiting.body_id).first()
        if body is None:
            waiting.delete()
            return True
        source = body.body
        # Rendered before the transaction begins: on SQLite a transaction
        # holds the database's write lock from its start, so every editor's
        # save would wait for the render (and for a new matcher to be built).
        body.render_links()
        with transaction.atomic():
            stored_version = body.store_render(source)
            if stored_version is not None:
                PendingRelink.objects.filter(
                    pk=waiting.pk, version__lte=stored_version
                ).delete()
                return True
        # The text changed between the read and the write: the editor's
        # newer text is read and rendered on the next round.
    return False


def relink_everything(outdated_only=False):
    """
    Render every linked body again, or with `outdated_only` those rendered
    by older rules than the current ones; returns how many were stored.
    Each body is written in its own transaction, so editors are never held
    up for the whole run.
    """
    count = 0
    for model in linked_body_models():
        bodies = model.objects.outdated() if outdated_only else model.objects.all()
        for pk in bodies.values_list("pk", flat=True).order_by("pk"):
            if retry_transient(relink_by_id, model, pk) is not None:
                count += 1
    return count


def relink_by_id(model, pk):
    body = model._default_manager.filter(pk=pk).first()
    return body.relink() if body is not None else None


def recite_bodies(old_key, new_key):
    """
    Make every body citing `old_key` cite `new_key` instead, and return how
    many bodies changed.

    Only the source is written here, without save(), so that timestamps stay
    as they are; the bodies citing the new key are queued by the reference's
    change and rendered again in the background.
    """
    rewritten = rewrite_bodies(
        f"@{old_key}", lambda body: recite(body, old_key, new_key)
    )
    return len(rewritten)


def re_embed_bodies(old_slug, new_slug):
    """
    Make every body embedding the image `old_slug` embed `new_slug`
    instead, and return the (model label, primary key) of each changed.

    As with `recite_bodies`, only the source is written; the image's change
    queues the bodies that show it or name its new slug.
    """
    rewritten = rewrite_bodies(
        f"{EMBED_SCHEME}{old_slug}",
        lambda body: re_embed(body, old_slug, new_slug),
    )
    return [(model._meta.label, pk) for model, pk in rewritten]


def rewrite_bodies(text, rewrite):
    """
    In the caller's transaction: store `rewrite(source)` as the source of
    every body containing `text` (in any case) that it changes, and return
    the (model, primary key) of each.

    Each body is locked as it is read, so that an editor's save committing
    meanwhile is read and rewritten (or, no longer containing `text`, left
    alone) rather than written over with the older text.
    """
    rewritten = []
    for model in linked_body_models():
        containing = model.objects.select_for_update().filter(body__icontains=text)
        for pk, body in containing.values_list("pk", "body"):
            new_body = rewrite(body)
            if new_body != body:
                model.objects.filter(pk=pk).update(body=new_body)
                rewritten.append((model, pk))
    return rewritten
