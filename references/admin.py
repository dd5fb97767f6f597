from django.contrib import admin, messages
from django.db import models
from django.utils.translation import ngettext

from references.models import Reference


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    # Editors paste addresses without a scheme; assume the secure one.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["key", "kind", "authors", "title", "year", "doi", "pmid"]
    list_filter = ["kind", "year"]
    search_fields = ["key", "authors", "title", "container", "doi", "pmid"]
    fieldsets = [
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
