from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from taggit.managers import TaggableManager
from taggit.models import Tag
from taggit.utils import parse_tags

from editorial.previews import PreviewAdminMixin
from editorial.widgets import MarkdownBodyAdminMixin
from glossary.citing import problem_label
from references.admin_fields import LengthCheckedOnSave

TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length


def validate_tag_names(typed):
    """
    Refuse tags with no letter or digit ("!!!", "<b></b>"): such a tag
    has nothing to show and no address to link to. Refuse tags longer than
    a tag's name or address can hold, rather than fail when saving.
    """
    names = parse_tags(typed)
    problems = []
    unreadable = [
        name for name in names if not any(ch.isalnum() for ch in strip_tags(name))
    ]
    if unreadable:
        problems.append(
            "Each tag needs at least one letter or digit; remove or reword: "
            + quoted_list(unreadable)
            + "."
        )
    too_long = [name for name in names if is_too_long_for_a_tag(name)]
    if too_long:
        problems.append(
            f"Each tag must be at most {TAG_MAX_LENGTH} characters; shorten: "
            + quoted_list(too_long)
            + "."
        )
    if problems:
        raise ValidationError(problems)


def is_too_long_for_a_tag(name):
    # The address is made from the name and can come out longer than it
    # ("ﬁ" becomes "fi"), so both must fit.
    return len(name) > TAG_MAX_LENGTH or len(Tag().slugify(name)) > TAG_MAX_LENGTH


def quoted_list(names):
    return ", ".join(f"“{name}”" for name in names)


def make_way_for_changed_rows(formset):
    """
    Before an inline formset is saved, remove the rows that would collide
    with a row being written under one of the model's unique constraints:
    rows marked for deletion, rows whose constrained values change (written
    again afterwards, so two rows may swap targets), and rows saved outside
    the formset, such as references attached for a citation, that a new or
    changed row repeats. Only for models no other row points to, since a
    changed row is deleted and inserted again with its id.
    """
    model = formset.model
    if model._meta.related_objects:
        return
    fk_name = formset.fk.name
    unique_sets = [
        names
        for constraint in model._meta.total_unique_constraints
        if (names := [name for name in constraint.fields if name != fk_name])
    ]
    leaving, written = set(), []
    for form in formset.forms:
        row = form.instance
        if formset._should_delete_form(form):
            if row.pk:
                leaving.add(row.pk)
            continue
        changed = set(form.changed_data)
        if row.pk is None and changed:
            written.append(row)
        elif any(changed.intersection(names) for names in unique_sets):
            leaving.add(row.pk)
            written.append(row)
    siblings = model._default_manager.filter(**{fk_name: formset.instance})
    siblings.filter(pk__in=leaving).delete()
    outside_form = siblings.exclude(
        pk__in=[form.instance.pk for form in formset.initial_forms]
    )
    for row in written:
        for names in unique_sets:
            outside_form.filter(**{name: getattr(row, name) for name in names}).delete()


class LinkProblemsFilter(admin.SimpleListFilter):
    """
    Narrow a list to bodies with unresolved links, unknown citations or
    images not shown.
    """

    title = "link problems"
    parameter_name = "link_problems"

    def lookups(self, request, model_admin):
        return [("yes", "Has unresolved links, citations or images")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.with_link_problems()
        return queryset


def link_problem_labels(obj):
    """
    Each unresolved [[link]], unknown or unreadable citation and image not
    shown of `obj`.
    """
    return (
        [f"[[{name}]]" for name in obj.unresolved_links]
        + [problem_label(entry) for entry in obj.unknown_citations]
        + obj.image_problem_labels
    )


def kept_rows(formsets, model):
    """
    The valid rows of the inline formsets of `model` that a save would
    keep: neither blank nor ticked for deletion, in the order posted.
    """
    return [
        row
        for formset in formsets
        if formset.model is model
        for row in formset.forms
        if row.cleaned_data and not row.cleaned_data.get("DELETE")
    ]


class LinkedBodyAdminMixin(
    MarkdownBodyAdminMixin, PreviewAdminMixin, LengthCheckedOnSave
):
    """
    Admin behaviour shared by every model with a linked Markdown body,
    Preview included: subclasses give `preview_template` and
    `listed_references(form, formsets)`.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, TaggableManager):
            field.validators.append(validate_tag_names)
            # As wide as the other text fields: tag lists run long.
            field.widget.attrs.setdefault("class", "vTextField")
        return field

    @admin.display(description="Link problems")
    def link_problems(self, obj):
        return ", ".join(link_problem_labels(obj)) or "—"

    def save_formset(self, request, form, formset, change):
        make_way_for_changed_rows(formset)
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The reference inline is saved after the row itself; attach cited
        # references again in case the inline removed one still cited.
        form.instance.store_links()

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        self.warn_of_link_problems(request, obj)
        return response

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        self.warn_of_link_problems(request, obj)
        return response

    def warn_of_link_problems(self, request, obj):
        """
        After saving a body that visitors can read, name what in it could
        not be linked: visitors see those links and citations as plain text.
        A body without `is_published` (a term) is always readable.
        """
        # A problem repeated in the body is named once.
        problems = list(dict.fromkeys(link_problem_labels(obj)))
        if problems and getattr(obj, "is_published", True):
            self.message_user(
                request,
                f"“{obj}” has link problems that visitors see as plain text: "
                f"{', '.join(problems)}. Fix the name, key or slug, or add "
                "the missing term, reference or image (upload images under "
                "Images; other sites' images are never shown).",
                messages.WARNING,
            )

    def preview_context(self, request, form, formsets):
        """
        The reader template's context for the form's unsaved body: linked
        against the glossary and references as they are now, with its tags
        as typed and the reference list the save would make.
        """
        body = form.instance
        body.render_links()
        return {
            "object": body,
            body._meta.model_name: body,
            # Unsaved tags have no page yet; the list shows their names.
            "tags": [Tag(name=name) for name in form.cleaned_data.get("tags", ())],
            "references": body.reference_list_with(
                self.listed_references(form, formsets)
            ),
        }

    def listed_references(self, form, formsets):
        """The references the form lists for the body, in their order."""
        raise NotImplementedError
