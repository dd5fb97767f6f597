"""
Telling kept pages that what they show changed, from Django's signals.

A page read a row: the row's key joins the page's (post_init). A row saved
or deleted: its key changes, and the keys of the rows it belongs to, and
its model's list when it joined, left or moved in a list. A many-to-many
change (tags, mentioned terms, references): the rows on both sides change,
and the list of the owning side, since an article's terms and tags decide
where it is listed (related articles, "Mentioned in", tag pages).
"""

from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

from caching.dependencies import (
    EVERYTHING,
    belongs,
    has_lists,
    list_key,
    recording,
    register,
    row_key,
    tracked,
)
from caching.pages import changed


class _NotLoaded:
    """A list field that was not loaded: compared, it always differs."""

    def __eq__(self, other):
        return False

    __hash__ = object.__hash__


def list_values(instance):
    # Only what was loaded: reading a deferred field here would query.
    loaded = instance.__dict__
    meta = instance._meta
    return tuple(
        loaded.get(meta.get_field(name).attname, _NotLoaded)
        for name in tracked[type(instance)].list_fields
    )


def owner_keys(instance):
    keys = []
    for name in tracked[type(instance)].belongs_to:
        field = instance._meta.get_field(name)
        owner_id = getattr(instance, field.attname)
        if owner_id is not None:
            keys.append(row_key(field.related_model, owner_id))
            if has_lists(field.related_model):
                keys.append(list_key(field.related_model))
    return keys


def track(model, list_fields=(), belongs_to=(), next_due=None):
    """
    Make pages that read rows of `model` depend on them.

    `list_fields`: a change to any of them (or a new or deleted row)
    changes the model's list key. `belongs_to`: foreign keys to rows that
    a change of this row changes too (an article's reference rows belong to
    the article). `next_due`: a function returning the datetime when the
    model's lists next change with no write (a scheduled article comes
    due), or None.

    Receivers are connected for `model` only: a model with delete
    receivers is deleted row by row, so rows that merely cascade from a
    tracked one (search entries, mentions) keep their one-statement delete.
    """
    register(model, list_fields, belongs_to, next_due)
    uid = model._meta.label_lower
    post_init.connect(read, sender=model, dispatch_uid=f"page-cache-read-{uid}")
    post_save.connect(saved, sender=model, dispatch_uid=f"page-cache-saved-{uid}")
    post_delete.connect(deleted, sender=model, dispatch_uid=f"page-cache-deleted-{uid}")


def read(sender, instance, **kwargs):
    recorder = recording()
    # A row that belongs to others (an article's reference row) changes
    # them when it changes: reading them is the page's key.
    if recorder is not None and instance.pk is not None and not belongs(sender):
        recorder.keys.add(row_key(sender, instance.pk))
    if has_lists(sender):
        instance._listed_as = list_values(instance)


def saved(sender, instance, created, **kwargs):
    keys = [row_key(sender, instance.pk), *owner_keys(instance)]
    if has_lists(sender):
        listed_as = list_values(instance)
        if created or listed_as != getattr(instance, "_listed_as", None):
            keys.append(list_key(sender))
        instance._listed_as = listed_as
    changed(*keys)


def deleted(sender, instance, **kwargs):
    keys = [row_key(sender, instance.pk), *owner_keys(instance)]
    if has_lists(sender):
        keys.append(list_key(sender))
    changed(*keys)


def relations_changed(sender, instance, action, model, pk_set, reverse, **kwargs):
    if not action.startswith("post_"):
        return
    if action == "post_clear":
        # Which rows were on the other side is no longer known.
        changed(EVERYTHING)
        return
    sides = [(type(instance), [instance.pk]), (model, pk_set or ())]
    owner = model if reverse else type(instance)
    keys = [list_key(owner)] if has_lists(owner) else []
    for side, pks in sides:
        if side in tracked:
            keys += [row_key(side, pk) for pk in pks]
    if keys:
        changed(*keys)


def connect():
    m2m_changed.connect(relations_changed, dispatch_uid="page-cache-relations")
