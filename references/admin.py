from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects, quote
from django.db import models, router
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import ngettext

from editorial.admin import EditorialAdmin
from references.admin_fields import LengthCheckedOnSave
from references.entries import FILLED_FIELDS
from references.forms import ReferenceAdminForm
from references.models import Reference


@admin.register(Reference)
class ReferenceAdmin(LengthCheckedOnSave, EditorialAdmin):
    # Every field an editor fills, compared in the history.
    history_fields = dict.fromkeys(["key", *FILLED_FIELDS], "")
    form = ReferenceAdminForm
    # Editors paste addresses without a scheme; assume the secure one.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["key", "kind", "authors", "title", "year", "doi", "pmid"]
    list_filter = ["kind", "year"]
    search_fields = ["key", "authors", "title", "container", "doi", "pmid"]
    fieldsets = [
        ("Fill from a citation manager", {"fields": ["pasted_entry"]}),
        (None, {"fields": ["key", "kind", "authors", "title", "container"]}),
        ("Date", {"fields": ["year", "month", "day"]}),
        (
            "Book details",
            {
                "classes": ["collapse"],
                "fields": ["editors", "publisher", "edition"],
            },
        ),
        ("Journal details", {"fields": ["volume", "issue", "pages"]}),
        ("Identifiers", {"fields": ["doi", "pmid", "url", "accessed_on"]}),
    ]

    def autocomplete_label(self, obj):
        """
        How a reference is offered when an article or term lists it: with
        its key, since two references can read alike ("BioBasics 2006:
        Cytokines"); readers never see this label.
        """
        return f"{obj} [{obj.key}]"

    def render_change_form(self, request, context, *args, **kwargs):
        # A form filled from a pasted entry says what the fill did.
        for note in getattr(context["adminform"].form, "fill_notes", ()):
            self.message_user(request, note, messages.INFO)
        return super().render_change_form(request, context, *args, **kwargs)

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        if obj.rekeyed_from:
            self.message_user(
                request,
                ngettext(
                    "%(count)d article or term citing “%(old)s” now cites “%(new)s”.",
                    "%(count)d articles or terms citing “%(old)s” now cite “%(new)s”.",
                    obj.rekeyed_body_count,
                )
                % {
                    "count": obj.rekeyed_body_count,
                    "old": obj.rekeyed_from,
                    "new": obj.key,
                },
                messages.SUCCESS,
            )
        return response

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        if protected:
            protected = self.lists_holding(objs, request)
        return deleted, model_count, perms_needed, protected

    def lists_holding(self, objs, request):
        """
        What keeps `objs` from being deleted, named for an editor: not the
        entry of a reference list, which has no page of its own, but the
        row (an article) whose list it is, linked to its change page.
        """
        collector = NestedObjects(using=router.db_for_write(self.model))
        collector.collect(objs)
        listings = sorted(
            {self.owner_and_reference(entry) for entry in collector.protected},
            key=lambda listing: (str(listing[0]).casefold(), str(listing[1])),
        )
        return [self.listing_label(request, *listing) for listing in listings]

    def owner_and_reference(self, entry):
        """The row whose list `entry` belongs to, and the reference it lists."""
        owner, reference = entry, ""
        for field in entry._meta.concrete_fields:
            if field.many_to_one:
                if field.related_model is self.model:
                    reference = getattr(entry, field.name).key
                else:
                    owner = getattr(entry, field.name)
        return owner, reference

    def listing_label(self, request, owner, key):
        """
        "Article: <title> lists “<key>”", the title linked to its change
        page when the editor may open it.
        """
        label = capfirst(owner._meta.verbose_name)
        listing = f" lists “{key}”" if key else ""
        url = self.change_url_of(request, owner)
        if not url:
            return format_html("{}: {}{}", label, owner, listing)
        return format_html('{}: <a href="{}">{}</a>{}', label, url, owner, listing)

    def change_url_of(self, request, obj):
        """The admin page of `obj` if the editor may see it, else ""."""
        model = type(obj)
        if not self.admin_site.is_registered(model):
            return ""
        model_admin = self.admin_site.get_model_admin(model)
        if not model_admin.has_view_or_change_permission(request, obj):
            return ""
        opts = obj._meta
        try:
            return reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=[quote(obj.pk)],
            )
        except NoReverseMatch:
            return ""
