"""
Previews of what an admin form holds, before it is saved.

The Preview button of an add or change form posts the whole form, inline
rows included, to the model admin's `preview/` address. There the admin's
own form and inline formsets are built from the post and validated exactly
as a save would validate them, and the object they describe is shown in
the site's own reader template without being saved: no row, no version,
no background task, no entry in the admin's history.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.forms.formsets import all_valid
from django.http import Http404, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.cache import add_never_cache_headers
from django.utils.text import capfirst

# What a preview's template is given, besides what `preview_context` gives,
# so that it shows the "Preview — not saved" banner.
UNSAVED_PREVIEW = "unsaved_preview"


class PreviewAdminMixin:
    """
    For a ModelAdmin whose objects have a page on the site: a Preview of
    the add and change forms' unsaved content in `preview_template`.
    Subclasses give `preview_template` and `preview_context(request, form,
    formsets)`, the template's context for the valid, unsaved `form.instance`.
    """

    preview_template = None

    def get_urls(self):
        opts = self.opts
        name = f"{opts.app_label}_{opts.model_name}_preview"
        preview = self.admin_site.admin_view(self.preview_view)
        # Before the admin's own: its `<path:object_id>/` takes anything else.
        return [
            path("add/preview/", preview, name=name),
            path("<path:object_id>/preview/", preview, name=name),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id=None):
        """
        The page the posted form would make, unsaved; or, if the form would
        be refused, a page listing what is wrong. Whoever may add (for a new
        object) or change the object may preview it.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = None
        if object_id is not None:
            obj = self.get_object(request, unquote(object_id))
            if obj is None:
                raise Http404(f"No {self.opts.verbose_name} with this id.")
        allowed = (
            self.has_add_permission(request)
            if obj is None
            else self.has_change_permission(request, obj)
        )
        if not allowed:
            raise PermissionDenied
        change = obj is not None
        form_class = self.get_form(request, obj, change=change)
        form = form_class(request.POST, request.FILES, instance=obj)
        # Nothing is saved, so a form opened before another editor's save
        # previews as typed; the row is not locked outside a transaction.
        form.refuses_stale_edits = False
        # The admin's own formset builder, so that inline rows are read and
        # checked as the save would read and check them.
        formsets, __ = self._create_formsets(request, form.instance, change=change)
        # Both are checked, so that the page lists every problem at once.
        form_valid = form.is_valid()
        if all_valid(formsets) and form_valid:
            response = TemplateResponse(
                request,
                self.preview_template,
                {
                    **self.preview_context(request, form, formsets),
                    UNSAVED_PREVIEW: True,
                },
            )
        else:
            response = self.preview_refused(request, form, formsets)
        # Unsaved text is nobody's to index or to keep.
        response["X-Robots-Tag"] = "noindex"
        add_never_cache_headers(response)
        return response

    def preview_context(self, request, form, formsets):
        raise NotImplementedError

    def preview_refused(self, request, form, formsets):
        """The page for a form that would be refused, naming each problem."""
        context = {
            **self.admin_site.each_context(request),
            "title": f"No preview: the {self.opts.verbose_name} form has errors",
            "opts": self.opts,
            "problems": form_problems(form, formsets),
        }
        return TemplateResponse(request, "editorial/preview_refused.html", context)


def form_problems(form, formsets):
    """
    Every error of `form` and its inline `formsets`, as (where, messages)
    pairs: a field's label, "Form" for the whole form, or an inline row.
    """
    problems = []

    def add(errors, place, of_form):
        for name, messages in errors.items():
            if name not in of_form.fields:
                where = place or "Form"
            else:
                label = capfirst(str(of_form[name].label))
                where = f"{place}: {label}" if place else label
            problems.append((where, list(messages)))

    add(form.errors, "", form)
    for formset in formsets:
        verbose_name = capfirst(formset.model._meta.verbose_name)
        if formset.non_form_errors():
            problems.append((verbose_name, list(formset.non_form_errors())))
        for number, row in enumerate(formset.forms, start=1):
            add(row.errors, f"{verbose_name} {number}", row)
    return problems
