"""
The admin's editing safeguards, shared by every kind of content:

- `VersionHistory`: every admin save keeps a version (django-reversion);
  the history lists them, any two can be compared word by word, and any
  one restored, deleted rows included, through the object's normal save.
- `StaleEditRefusal`: a save from a form opened before another editor's
  save is refused, with who saved, when, what they changed, and the
  refused text kept in the form.

`EditorialAdmin` combines both; the model needs an `edit_count` field.
"""

from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from reversion import is_registered, register, set_comment
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version
from taggit.managers import TaggableManager
from taggit.utils import edit_string_for_tags, parse_tags

from editorial.diffs import changed_fields
from editorial.versions import (
    field_labels,
    keep_baseline,
    keep_before_delete,
    restore_revision,
    saved_by,
    tag_names_saved_with,
    unversioned_fields,
    version_instance,
    version_texts,
    versions_of,
)

EDIT_TOKEN_FIELD = "edit_token"


def saved_at_text(moment):
    """ "at 14:02" today, "on 3 May 2025 at 14:02" another day, local time."""
    moment = timezone.localtime(moment)
    clock = date_format(moment, "H:i")
    if moment.date() == timezone.localdate():
        return f"at {clock}"
    return f"on {date_format(moment, 'j F Y')} at {clock}"


class VersionChoiceForm(forms.Form):
    """The two versions of one object that the compare page sets side by side."""

    old = forms.ModelChoiceField(
        queryset=Version.objects.none(),
        error_messages={"invalid_choice": "That is not a version of this page."},
    )
    new = forms.ModelChoiceField(
        queryset=Version.objects.none(),
        error_messages={"invalid_choice": "That is not a version of this page."},
    )

    def __init__(self, data, versions):
        super().__init__(data)
        self.fields["old"].queryset = versions
        self.fields["new"].queryset = versions


class VersionHistory(VersionAdmin):
    """
    An admin whose saves keep versions. Subclasses name the fields editors
    compare (`history_fields`, in the order shown, with labels where the
    field's own name is not what editors call it) and rows to keep with
    the object besides its inlines' (`history_follow`, such as tags).
    """

    object_history_template = "editorial/admin/object_history.html"
    revision_form_template = "editorial/admin/restore_form.html"
    recover_form_template = "editorial/admin/recover_form.html"
    history_latest_first = True
    history_fields = {}
    history_follow = ()

    class Media:
        css = {"all": ["editorial/diff.css"]}

    def reversion_register(self, model, **options):
        if model is self.model:
            options["follow"] = (*options.get("follow", ()), *self.history_follow)
            for name in self.history_follow:
                related = model._meta.get_field(name).related_model
                if not is_registered(related):
                    register(related)
        super().reversion_register(model, exclude=unversioned_fields(model), **options)

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{opts.app_label}_{opts.model_name}_compare",
            ),
            *super().get_urls(),
        ]

    def history_labels(self):
        names = list(self.history_fields)
        return field_labels(self.model, names, self.history_fields)

    def version_texts(self, version):
        """The compared fields of a version, as texts (see history_fields)."""
        return version_texts(version, list(self.history_fields))

    def changes_between(self, old, new):
        """The fields that differ from version `old` to `new`, as word diffs."""
        return changed_fields(
            self.version_texts(old), self.version_texts(new), self.history_labels()
        )

    def history_view(self, request, object_id, extra_context=None):
        """
        Every version of the object, newest first: when, who, the comment,
        a link to restore it, and a choice of two to compare.

        Template: editorial/admin/object_history.html; context adds
        `versions` (Version list), `compare_url` and `restore_refused`
        (see restore_refusal).
        """
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(
                request, self.model._meta, object_id
            )
        opts = self.model._meta
        versions = list(versions_of(obj))
        for version in versions:
            version.restore_url = reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                args=[quote(obj.pk), version.pk],
            )
            version.saved_by = saved_by(version.revision)
        context = {
            "versions": versions,
            "compare_url": self.compare_url(obj),
            "restore_refused": self.restore_refusal(request, obj),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def restore_refusal(self, request, obj):
        """Why `obj`'s versions may not be restored now, or None if they may."""
        return None

    def compare_url(self, obj):
        opts = self.model._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_compare",
            args=[quote(obj.pk)],
        )

    def compare_view(self, request, object_id):
        """
        Two versions of the object (`old` and `new`, version ids in the
        query), each changed field as a word diff, with links to restore
        either. A version of another object gives 400 with a message.

        Template: editorial/admin/compare.html; context: the admin's, plus
        `old` and `new` (Version), `changes` (FieldChange list).
        """
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(
                request, self.model._meta, object_id
            )
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        choice = VersionChoiceForm(request.GET, versions_of(obj))
        if not choice.is_valid():
            problems = " ".join(
                message for errors in choice.errors.values() for message in errors
            )
            # The history again, where two versions can be chosen.
            self.message_user(
                request, f"Choose two versions to compare. {problems}", messages.ERROR
            )
            response = self.history_view(request, object_id)
            response.status_code = 400
            return response
        old, new = choice.cleaned_data["old"], choice.cleaned_data["new"]
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        opts = self.model._meta
        for version in (old, new):
            version.saved_by = saved_by(version.revision)
            version.restore_url = reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                args=[quote(obj.pk), version.pk],
            )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Changes to “{obj}”",
            "subtitle": None,
            "opts": opts,
            "object": obj,
            "old": old,
            "new": new,
            "changes": self.changes_between(old, new),
            "history_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history",
                args=[quote(obj.pk)],
            ),
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "editorial/admin/compare.html", context)

    def _reversion_revisionform_view(
        self, request, version, template_name, extra_context=None
    ):
        """
        The restore and recover forms (reversion's one view for both): the
        version's rows are put back in a transaction, the change form is
        shown filled from them, and the transaction is rolled back unless
        the form was saved.

        Unlike reversion's own, the rows are restored with
        `restore_revision` (rows since deleted are left out rather than
        failing the restore), no signals are muted (muting is process-wide
        and would hide other editors' saves from their receivers), and the
        object saved is the row as it stood before the restore with the
        version's values set on it: its save then sees the changes an
        editor would have made by typing them (a new slug, other aliases)
        and does what such an edit does.
        """
        model = version._model
        if model is not self.model:
            raise Http404("No such version of this kind of row.")
        counter = self.edit_counter_field
        try:
            with transaction.atomic(using=version.db):
                before = model._base_manager.filter(pk=version.object_id).first()
                restore_revision(version.revision)
                if before is not None and counter:
                    # The count of admin saves goes on from the stored one:
                    # a restore is one more save, not a step back in time.
                    model._base_manager.filter(pk=before.pk).update(
                        **{counter: getattr(before, counter)}
                    )
                request.editorial_restoring = RestoreState(before)
                with self.create_revision(request):
                    response = self.changeform_view(
                        request, quote(version.object_id), request.path, extra_context
                    )
                    saved = request.method == "POST" and response.status_code == 302
                    if saved:
                        set_comment(
                            f"Restored the version saved by "
                            f"{saved_by(version.revision)} "
                            f"{saved_at_text(version.revision.date_created)}."
                        )
                if not saved:
                    if isinstance(response, TemplateResponse):
                        version.saved_by = saved_by(version.revision)
                        response.template_name = template_name
                        response.context_data["restored_version"] = version
                        # Rendered now, while the restored rows are there
                        # to be read; then they are rolled back.
                        response.render()
                    transaction.set_rollback(True)
                return response
        except (IntegrityError, RevertError):
            # A unique name or address the version had is another row's
            # now, or the version cannot be read by the current models.
            self.message_user(
                request,
                "This version could not be restored: another row now has "
                "one of its unique values (a name, address or key), or it "
                "was saved in a form the site no longer reads.",
                level="error",
            )
            opts = self.model._meta
            return redirect(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist"
            )

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # A restore changes the object; the history may be open to viewers.
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and not self.has_change_permission(request, obj):
            raise PermissionDenied
        extra_context = {
            # The link says Restore; reversion's own title says Revert.
            "title": f"Restore an earlier version of “{obj}”",
            **(extra_context or {}),
        }
        return super().revision_view(request, object_id, version_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        # Not inside one revision, as reversion's is: "Delete selected"
        # keeps a version of each row just before deleting it, and one
        # revision around the page would drop those with the deleted rows.
        context = {
            "has_change_permission": self.has_change_permission(request),
            **(extra_context or {}),
        }
        return super(VersionAdmin, self).changelist_view(request, context)

    def delete_model(self, request, obj):
        keep_before_delete(obj, request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            keep_before_delete(obj, request.user)
        super().delete_queryset(request, queryset)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST" and self.edit_counter_field:
            keep_baseline(self.model, unquote(object_id), self.edit_counter_field)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        restoring = getattr(request, "editorial_restoring", None)
        if obj is not None and restoring is not None:
            obj = restoring.edit_of(obj, self.edit_counter_field)
        return obj

    # The field counting admin saves; see StaleEditRefusal.
    edit_counter_field = None


@dataclass
class RestoreState:
    """The row as it stood before a restore put a version's values in it."""

    before: object

    def edit_of(self, restored, counter_field):
        """
        `restored`'s values on the row as it was loaded before the restore
        (or on a new instance, for a recovered row), so that its save
        compares them with what was stored: an edit like any other. The
        edit counter is the stored one, which the restore leaves alone.
        """
        if self.before is None:
            edited = type(restored)()
            edited._state.db = restored._state.db
        else:
            edited = self.before
        edited._state.adding = False
        for model_field in restored._meta.concrete_fields:
            if self.before is not None and model_field.attname == counter_field:
                continue
            setattr(edited, model_field.attname, getattr(restored, model_field.attname))
        return edited


@dataclass
class StaleEdit:
    """A save refused because the row changed after its form was opened."""

    message: str
    changes: list = field(default_factory=list)


class StaleEditFormMixin:
    """
    An admin change form that carries the edit token the object had when it
    was opened, and refuses to save over a newer one.
    """

    # A form read only to be previewed saves nothing, so it cannot
    # overwrite anyone's change; the preview turns this off.
    refuses_stale_edits = True

    def clean(self):
        cleaned_data = super().clean()
        if self.refuses_stale_edits:
            self.model_admin.refuse_stale_edit(self)
        return cleaned_data


class StaleEditRefusal:
    """
    Mixin for a VersionHistory admin: no editor saves over a change made
    after they opened the form.

    The change form carries `edit_token(obj)` as it was when opened, in a
    hidden field. The save compares it with the stored row's, read with
    the row locked inside the save's transaction (select_for_update on
    PostgreSQL; SQLite's IMMEDIATE transactions let one writer in at a
    time), so of two saves from forms opened alike exactly one passes.
    The refused form comes back as typed, with `stale_edit()` (who saved,
    when, and what changed since) above it and the current token in it,
    so that saving it again, after reading, is a deliberate choice.

    Every admin save adds one to the model's `edit_count` (see
    `edit_counter_field`), and each version stores it, which is how the
    version the form was opened on is found.
    """

    edit_counter_field = "edit_count"

    def edit_token(self, obj):
        """What must be unchanged since the form was opened for a save to pass."""
        return str(getattr(obj, self.edit_counter_field))

    def opened_version(self, obj, token):
        """The version the form was opened on, or None if none is kept."""
        for version in versions_of(obj):
            if self.edit_token(version_instance(version)) == token:
                return version
        return None

    def stale_edit(self, obj, opened_token):
        """
        What the editor of a refused save is told: who saved the stored
        row last and when, and what changed between the version the form
        was opened on and the latest one.
        """
        verbose_name = obj._meta.verbose_name
        latest = versions_of(obj).first()
        if latest is None:
            who, when = "Another editor", ""
        else:
            who = saved_by(latest.revision)
            when = f" {saved_at_text(latest.revision.date_created)}"
        message = (
            f"{who} saved this {verbose_name}{when}, after you opened it. Your "
            "text is kept below; compare and save again."
        )
        opened = self.opened_version(obj, opened_token)
        changes = (
            self.changes_between(opened, latest)
            if opened is not None and latest is not None
            else []
        )
        return StaleEdit(message, changes)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        (title, options), *others = fieldsets
        fields = [*options["fields"], EDIT_TOKEN_FIELD]
        return [(title, {**options, "fields": fields}), *others]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            base = kwargs.get("form", self.form)
            kwargs["form"] = type(
                base.__name__,
                (StaleEditFormMixin, base),
                {
                    EDIT_TOKEN_FIELD: forms.CharField(
                        widget=forms.HiddenInput,
                        required=False,
                        initial=self.edit_token(obj),
                    ),
                    "model_admin": self,
                },
            )
        return super().get_form(request, obj, change, **kwargs)

    def refuse_stale_edit(self, form):
        """
        In the save's transaction: lock the stored row and refuse the form
        if the row's token is not the one it was opened with. The refused
        form is given the current token.
        """
        model = type(form.instance)
        stored = model._base_manager.select_for_update().filter(pk=form.instance.pk)
        stored = stored.first()
        if stored is None:
            form.add_error(
                None,
                f"This {model._meta.verbose_name} was deleted after you opened it; "
                "it can be brought back from the deleted list.",
            )
            return
        form.stored_edit_count = getattr(stored, self.edit_counter_field)
        opened = form.cleaned_data.get(EDIT_TOKEN_FIELD, "")
        current = self.edit_token(stored)
        if opened == current:
            return
        stale = self.stale_edit(stored, opened)
        form.add_error(
            None,
            render_to_string("editorial/includes/stale_edit.html", {"stale": stale}),
        )
        form.data = form.data.copy()
        form.data[form.add_prefix(EDIT_TOKEN_FIELD)] = current
        opened_version = self.opened_version(stored, opened)
        if opened_version is not None:
            self.carry_over_untouched(form, opened_version, stored)

    def carry_over_untouched(self, form, opened, stored):
        """
        In a refused form, give each text field and the tags that the
        editor left as they were in the version the form was opened on
        (`opened`) the value the other editor saved (`stored`): saving the
        form again then keeps both editors' changes. A field both changed
        keeps what this editor typed.
        """
        opened_row = version_instance(opened)
        for name, form_field in form.fields.items():
            model_field = carried_field(stored, name)
            if model_field is None:
                continue
            key = form.add_prefix(name)
            typed = form.data.get(key, "")
            if isinstance(model_field, TaggableManager):
                before = tag_names(tag_names_saved_with(opened, model_field))
                if tag_names(parse_tags(typed)) == before:
                    form.data[key] = edit_string_for_tags(getattr(stored, name).all())
            elif isinstance(form_field, forms.CharField) and not isinstance(
                form_field.widget, forms.MultiWidget
            ):
                if as_typed(typed) == as_typed(getattr(opened_row, name)):
                    form.data[key] = getattr(stored, name) or ""

    def count_edit(self, obj, form):
        """Add this save to `obj`'s counter, from the value locked at check."""
        count = getattr(form, "stored_edit_count", None)
        if count is None:
            count = getattr(obj, self.edit_counter_field)
        setattr(obj, self.edit_counter_field, count + 1)

    def save_model(self, request, obj, form, change):
        self.count_edit(obj, form)
        super().save_model(request, obj, form, change)


def carried_field(obj, name):
    """The model field a form field edits, if a refused form may carry it over."""
    try:
        model_field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if isinstance(model_field, TaggableManager):
        return model_field
    if model_field.concrete and not model_field.is_relation:
        return model_field
    return None


def as_typed(value):
    """A text as a form compares it: line endings and outer spaces aside."""
    return "\n".join(str(value or "").splitlines()).strip()


def tag_names(names):
    return sorted(name.casefold() for name in names)


class EditorialAdmin(StaleEditRefusal, VersionHistory):
    """An admin with versions, compare, restore, recover and no lost updates."""


class RemovableWithItsOwner:
    """
    For an inline whose rows belong to the object edited (an article's
    reference list, a term's relations): taking a row off edits that object
    and deletes nothing else, so whoever may change the rows may remove
    them, editors without delete rights included.
    """

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)
