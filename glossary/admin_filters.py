from django.contrib import admin, messages

from glossary.citing import problem_label


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


def link_problem_labels(obj):
    """Each unresolved [[link]] and unknown or unreadable citation of `obj`."""
    return [f"[[{name}]]" for name in obj.unresolved_links] + [
        problem_label(entry) for entry in obj.unknown_citations
    ]


class LinkedBodyAdminMixin:
    """Admin behaviour shared by every model with a linked Markdown body."""

    @admin.display(description="Link problems")
    def link_problems(self, obj):
        return ", ".join(link_problem_labels(obj)) or "—"

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
        problems = link_problem_labels(obj)
        if problems and getattr(obj, "is_published", True):
            self.message_user(
                request,
                f"“{obj}” has link problems that visitors see as plain text: "
                f"{', '.join(problems)}. Fix the name or key, or add the "
                "missing term or reference.",
                messages.WARNING,
            )
