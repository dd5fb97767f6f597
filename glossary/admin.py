from django.contrib import admin

from glossary.models import Term, TermRelation


class TermRelationInline(admin.TabularInline):
    """Relations from this term to others: "inhibits TNF-alpha"."""

    model = TermRelation
    fk_name = "source"
    extra = 1
    autocomplete_fields = ["target"]
    fields = ["kind", "target"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "alias_summary", "modified_at"]
    list_filter = ["kind", "tags"]
    search_fields = ["name", "aliases", "definition"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["references"]
    inlines = [TermRelationInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "aliases", "definition"]}),
        ("More", {"fields": ["body", "tags", "references"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    @admin.display(description="Aliases")
    def alias_summary(self, obj):
        return ", ".join(obj.alias_list)
