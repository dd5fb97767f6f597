from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from taggit.managers import TaggableManager
from taggit.utils import parse_tags


def validate_tag_names(typed):
    """
    Refuse tags with no letter or digit ("!!!", "<b></b>"): such a tag
    has nothing to show and no address to link to.
    """
    unreadable = [
        name
        for name in parse_tags(typed)
        if not any(ch.isalnum() for ch in strip_tags(name))
    ]
    if unreadable:
        raise ValidationError(
            "Each tag needs at least one letter or digit; remove or reword: "
            + ", ".join(f"“{name}”" for name in unreadable)
            + "."
        )


class LinkProblemsFilter(admin.SimpleListFilter):
    """Narrow a list to bodies with unresolved links or unknown citations."""

    title = "link problems"
    parameter_name = "link_problems"

    def lookups(self, request, model_admin):
        return [("yes", "Has unresolved links or citations")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.with_link_problems()
        return queryset


class LinkedBodyAdminMixin:
    """Admin behaviour shared by every model with a linked Markdown body."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, TaggableManager):
            field.validators.append(validate_tag_names)
        return field

    @admin.display(description="Link problems")
    def link_problems(self, obj):
        problems = [f"[[{name}]]" for name in obj.unresolved_links]
        problems += [f"[@{key}]" for key in obj.unknown_citations]
        return ", ".join(problems) or "—"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The reference inline is saved after the row itself; attach cited
        # references again in case the inline removed one still cited.
        form.instance.store_links()
