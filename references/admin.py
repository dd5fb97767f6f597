from django.contrib import admin
from django.db import models

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
