from django.contrib import admin

from glossary.admin_filters import LinkedBodyAdminMixin, LinkProblemsFilter
from glossary.models import Term, TermRelation


class TermRelationInline(admin.TabularInline):
    """Relations from this term to others: "inhibits TNF-alpha"."""

    model = TermRelation
    fk_name = "source"
    extra = 1
    autocomplete_fields = ["target"]
    fields = ["kind", "target"]


@admin.register(Term)
class TermAdmin(LinkedBodyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "alias_summary", "link_problems", "modified_at"]
    list_filter = ["kind", LinkProblemsFilter, "tags"]
    search_fields = ["name", "aliases", "definition"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["references"]
    inlines = [TermRelationInline]
    readonly_fields = ["link_problems"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "aliases", "definition"]}),
        ("More", {"fields": ["body", "link_problems", "tags", "references"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    @admin.display(description="Aliases")
    def alias_summary(self, obj):
        return ", ".join(obj.alias_list)
