"""Slugs that fill themselves from a name and never clash."""

from django.utils.text import slugify


def unique_slug(instance, value, field_name="slug", max_length=None):
    """
    Return a slug for `value` that no other row of `instance`'s model uses.

    Clashes get a numeric suffix (`tnf`, `tnf-2`, `tnf-3` ...), trimmed so the
    result fits the field. The database's unique constraint stays the final
    guard against two editors saving at the same moment.
    """
    model = type(instance)
    max_length = max_length or model._meta.get_field(field_name).max_length
    base = (slugify(value) or model._meta.model_name)[:max_length].strip("-")
    others = (
        model._default_manager.exclude(pk=instance.pk)
        if instance.pk
        else (model._default_manager.all())
    )
    candidate, number = base, 1
    while others.filter(**{field_name: candidate}).exists():
        number += 1
        suffix = f"-{number}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
    return candidate
