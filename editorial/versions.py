"""
Saved versions of content (django-reversion), read and put back for editors.

A version is one row as it was saved; its revision holds the rows saved
with it: an article's reference list and tags, a term's relations and tags.
Editors compare versions as plain texts, one per field (`version_texts`),
and restore one (`restore_revision`) with the rows it was saved with.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.utils.text import capfirst
from reversion import create_revision, set_comment, set_user
from reversion.models import Version
from reversion.revisions import _follow_relations_recursive, add_to_revision

# What the history says of the version kept of a row as it stood before its
# first save in the admin (loaded with the demo content, imported).
BASELINE_COMMENT = "As it was before its first change in the admin."


def versions_of(obj):
    """The object's versions, newest first, with who saved each."""
    return Version.objects.get_for_object(obj).select_related(
        "revision", "revision__user"
    )


def display_name(user):
    """A user as colleagues know them: full name, else the username."""
    return user.get_full_name() or user.get_username()


def saved_by(revision):
    """The name of who saved a revision, for editors to read."""
    user = revision.user
    if user is None:
        return "Nobody in the admin"
    return display_name(user)


def version_instance(version):
    """The row of `version` as an unsaved instance, many-to-many left out."""
    return version._object_version.object


def keep_baseline(model, pk, counter_field):
    """
    Before the first admin save of a row whose stored state no version
    holds (saved by `load_demo` or an import), keep that state as a version
    of its own, so that the first edit can be compared and undone. The row
    is locked while it is read again, so two first saves keep it once.
    """
    if has_version_of_stored_state(model._base_manager.filter(pk=pk), counter_field):
        return
    with create_revision():
        rows = model._base_manager.select_for_update().filter(pk=pk)
        if has_version_of_stored_state(rows, counter_field):
            return
        add_to_revision(rows.get())
        set_comment(BASELINE_COMMENT)


def has_version_of_stored_state(rows, counter_field):
    """Whether a version holds the row (of `rows`) at its stored count; a
    row that does not exist needs none."""
    row = rows.first()
    return row is None or any(
        getattr(version_instance(version), counter_field) == getattr(row, counter_field)
        for version in versions_of(row)
    )


def keep_before_delete(obj, user):
    """
    Keep `obj` as it is, with the rows saved with it, as a version of its
    own just before it is deleted: the deleted list offers that version,
    so a row comes back with what it had when it went (relations other
    terms made to it since its last save included).
    """
    with create_revision():
        set_user(user)
        set_comment("Deleted.")
        add_to_revision(obj)


def describe(obj):
    """A row as editors know it, or a note that what it names has gone."""
    try:
        return str(obj)
    except ObjectDoesNotExist:
        return f"(a deleted {obj._meta.verbose_name})"


def plain_value(obj, field):
    """A field's value in a version, as the text an editor would recognise."""
    value = getattr(obj, field.attname)
    if value is None:
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    if field.many_to_one:
        return describe_related(field.related_model, [value])
    # Browsers send a textarea's lines ending in CR LF, code and imports in
    # LF: the same text to an editor, so no change to show.
    return "\n".join(str(value).splitlines())


def describe_related(model, pks):
    """The rows of `model` with `pks`, one a line in order; gone ones noted."""
    found = model._base_manager.in_bulk(pks)
    gone = f"(a deleted {model._meta.verbose_name})"
    return "\n".join(describe(found[pk]) if pk in found else gone for pk in pks)


def rows_saved_with(version, relation):
    """
    The rows of a one-to-many `relation` of the version's object that its
    revision holds (an article's reference list), in the related model's
    order where its fields give one.
    """
    related = relation.related_model
    back = relation.field.attname
    rows = [
        version_instance(other)
        for other in version.revision.version_set.all()
        if other._model is related
    ]
    rows = [row for row in rows if str(getattr(row, back)) == version.object_id]
    ordering = [
        related._meta.pk.attname
        if name.lstrip("-") == "pk"
        else related._meta.get_field(name.lstrip("-")).attname
        for name in related._meta.ordering
        if isinstance(name, str)
    ]
    return sorted(rows, key=lambda row: [getattr(row, name) for name in ordering])


def tag_names_saved_with(version, manager):
    """The names of the tags a version was saved with."""
    through = manager.remote_field.through
    tag_field = through._meta.get_field("tag")
    ids = [
        getattr(version_instance(other), tag_field.attname)
        for other in version.revision.version_set.all()
        if other._model is through
        and str(version_instance(other).object_id) == version.object_id
    ]
    names = tag_field.related_model._base_manager.filter(pk__in=ids)
    return list(names.values_list("name", flat=True))


def version_texts(version, names):
    """
    The fields `names` of a version as texts: a field's value as editors
    typed or chose it, a many-to-many as the rows' names one a line, a
    one-to-many (reference list, relations) as its rows one a line, and
    tags as their names. Rows deleted since are noted as deleted.
    """
    obj = version_instance(version)
    m2m_data = version._object_version.m2m_data or {}
    texts = {}
    for name in names:
        field = obj._meta.get_field(name)
        if field.one_to_many:
            texts[name] = "\n".join(
                describe(row) for row in rows_saved_with(version, field)
            )
        elif field.many_to_many and not isinstance(field, models.ManyToManyField):
            names_saved = tag_names_saved_with(version, field)
            texts[name] = ", ".join(sorted(names_saved, key=str.casefold))
        elif field.many_to_many:
            related = field.related_model
            pks = [related._meta.pk.to_python(pk) for pk in m2m_data.get(name, [])]
            texts[name] = describe_related(related, pks)
        else:
            texts[name] = plain_value(obj, field)
    return texts


def field_labels(model, names, overrides):
    """Each field's label: `overrides`, else its verbose name."""
    labels = {}
    for name in names:
        field = model._meta.get_field(name)
        default = (
            field.related_model._meta.verbose_name_plural
            if field.one_to_many
            else field.verbose_name
        )
        labels[name] = overrides.get(name) or capfirst(default)
    return labels


def unversioned_fields(model):
    """
    Many-to-many fields a version leaves out: those worked out at save
    (mentions) and taggit's tags, which are versioned as their own rows.
    """
    return [
        field.name
        for field in model._meta.local_many_to_many
        if not field.editable or not isinstance(field, models.ManyToManyField)
    ]


def restore_revision(revision):
    """
    Put every row of `revision` back as it was saved, and delete the rows
    its objects have gained since (an inline row added later), as
    reversion's own revert does; but leave out a row that refers to one
    deleted since (a relation to a term that has gone, a reference no
    longer there): it could not be stored, and the rest can.

    The rows are written raw, without their models' save(); the admin's
    restore form then saves the object as an editor's save does.
    """
    versions = list(revision.version_set.all())
    kept = {(version._model, version.object_id) for version in versions}
    with transaction.atomic():
        stored = [
            row
            for version in versions
            for row in version._model._base_manager.filter(pk=version.object_id)
        ]
        followed_now = {
            related for row in stored for related in _follow_relations_recursive(row)
        }
        for related in followed_now:
            if (type(related), str(related.pk)) not in kept:
                related.delete()
        for version in versions:
            if refers_only_to_stored_rows(version, kept):
                version.revert()


def refers_only_to_stored_rows(version, kept):
    """
    Whether every row the version's foreign keys point to is stored or
    restored with it; many-to-many links to rows deleted since are
    dropped from the version on the way.
    """
    obj = version_instance(version)
    for field in obj._meta.concrete_fields:
        target = getattr(obj, field.attname) if field.many_to_one else None
        if target is None or (field.related_model, str(target)) in kept:
            continue
        if not field.related_model._base_manager.filter(pk=target).exists():
            return False
    m2m_data = version._object_version.m2m_data or {}
    for name, pks in m2m_data.items():
        model = obj._meta.get_field(name).related_model
        present = set(
            model._base_manager.filter(pk__in=pks).values_list("pk", flat=True)
        )
        m2m_data[name] = [pk for pk in pks if model._meta.pk.to_python(pk) in present]
    return True
