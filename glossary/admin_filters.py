from django.contrib import admin


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
