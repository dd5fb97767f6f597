"""
The editors' admin: Django's, with one site-wide page added, the list of
bodies whose links or citations could not be resolved and of references
saved without a detail their citation needs.
"""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path

from glossary.models import linked_body_models
from references.models import Reference


class PortalAdminSite(admin.AdminSite):
    index_template = "admin/portal_index.html"

    def get_urls(self):
        urls = [
            path(
                "link-problems/",
                self.admin_view(self.link_problems),
                name="link-problems",
            ),
        ]
        return urls + super().get_urls()

    def index(self, request, extra_context=None):
        extra_context = {
            "link_problem_count": sum(
                group["bodies"].count() for group in self.link_problem_groups(request)
            ),
            "incomplete_reference_count": self.incomplete_references(request).count(),
            **(extra_context or {}),
        }
        return super().index(request, extra_context)

    def link_problem_groups(self, request):
        """
        For each kind of linked body the user may view: its options and the
        bodies with an unresolved [[link]] or an unknown [@key].
        """
        groups = []
        for model in linked_body_models():
            opts = model._meta
            if not request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
                continue
            groups.append({"opts": opts, "bodies": model.objects.with_link_problems()})
        return groups

    def incomplete_references(self, request):
        """References missing a detail, if the user may view references."""
        if not request.user.has_perm("references.view_reference"):
            return Reference.objects.none()
        return Reference.objects.incomplete()

    def link_problems(self, request):
        """
        Every article and term whose body has an unresolved [[link]] or an
        unknown [@key] citation, and every reference missing a detail its
        citation needs, with a link to fix each.

        Template: admin/link_problems.html; context: the admin's own, plus
        `groups` (see link_problem_groups) and `incomplete_references`.
        """
        context = {
            **self.each_context(request),
            "title": "Unresolved links and citations",
            "groups": self.link_problem_groups(request),
            "incomplete_references": self.incomplete_references(request),
        }
        return TemplateResponse(request, "admin/link_problems.html", context)
