from django.contrib import admin, messages
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html

from editorial.admin import EditorialAdmin, RemovableWithItsOwner
from glossary.admin_filters import LinkedBodyAdminMixin, LinkProblemsFilter, kept_rows
from glossary.diagram import relation_diagram
from glossary.forms import TermAdminForm
from glossary.models import Term, TermRelation, bodies_linking_explicitly


class TermRelationInline(RemovableWithItsOwner, admin.TabularInline):
    """Relations from this term to others: "inhibits TNF-alpha"."""

    model = TermRelation
    fk_name = "source"
    extra = 1
    autocomplete_fields = ["target"]
    fields = ["kind", "target"]


@admin.register(Term)
class TermAdmin(LinkedBodyAdminMixin, EditorialAdmin):
    form = TermAdminForm
    history_fields = {
        "name": "",
        "slug": "",
        "kind": "",
        "aliases": "",
        "definition": "",
        "body": "",
        "tags": "",
        "references": "",
        "relations": "Relations",
        "incoming_relations": "Relations from other terms",
    }
    # Relations show on both terms' pages: a deleted term comes back with
    # those other terms made to it as well.
    history_follow = ["incoming_relations", "tagged_items"]
    preview_template = "glossary/term_detail.html"
    list_display = ["name", "kind", "alias_summary", "link_problems", "modified_at"]
    list_filter = ["kind", LinkProblemsFilter, "tags"]
    search_fields = ["name", "aliases", "definition"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["references"]
    inlines = [TermRelationInline]
    readonly_fields = ["link_problems"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "keep_old_name",
                    "slug",
                    "kind",
                    "aliases",
                    "definition",
                ]
            },
        ),
        ("More", {"fields": ["body", "link_problems", "tags", "references"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            return fieldsets
        # A new term has no old name to keep.
        (title, options), *others = fieldsets
        fields = [name for name in options["fields"] if name != "keep_old_name"]
        return [(title, {**options, "fields": fields}), *others]

    def save_model(self, request, obj, form, change):
        obj.old_name_let_go = form.old_name_let_go
        names_before = obj.names_as_loaded()
        relinks_others = not change or obj.has_new_link_fields()
        super().save_model(request, obj, form, change)
        obj.names_dropped = obj.names_dropped_since(names_before)
        if relinks_others:
            self.message_user(
                request,
                f"Pages that mention “{obj}” are being relinked in the background; "
                "the admin's home page shows how many are left.",
                messages.INFO,
            )

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        let_go = getattr(obj, "old_name_let_go", None)
        if let_go:
            self.message_user(
                request,
                f"The old name “{let_go}” was not kept as an alias: it is an "
                "everyday English word, which would link ordinary text.",
                messages.INFO,
            )
        self.warn_of_broken_explicit_links(request, obj)
        return response

    def warn_of_broken_explicit_links(self, request, obj):
        """
        Say which bodies link to a name or alias the edit took away: their
        [[links]] no longer resolve, and readers see plain text there.
        """
        dropped = getattr(obj, "names_dropped", [])
        bodies = bodies_linking_explicitly(obj, dropped)
        if not bodies:
            return
        names = ", ".join(f"[[{name}]]" for name in dropped)
        titles = ", ".join(f"“{body}”" for body in bodies)
        self.message_user(
            request,
            f"{len(bodies)} {'page links' if len(bodies) == 1 else 'pages link'} to "
            f"{names}, which is no longer a name or alias of “{obj}”: {titles}. "
            "Those links now show as plain text to readers. Add the name back "
            "as an alias, or change the links (see Link problems).",
            messages.WARNING,
        )

    @admin.display(description="Aliases")
    def alias_summary(self, obj):
        return ", ".join(obj.alias_list)

    def get_deleted_objects(self, objs, request):
        """
        What the delete pages list, in plain words: the terms and their
        relations. Rows that only connect a term to something that stays
        (mentions, search entries, tag and reference links) are left out;
        the page says in words what happens to the bodies that link to it.
        """
        __, __, perms_needed, protected = super().get_deleted_objects(objs, request)
        deleted, relation_count = [], 0
        for term in objs:
            relations = [
                f"Relation: {relation}"
                for relation in TermRelation.objects.filter(
                    Q(source=term) | Q(target=term)
                ).select_related("source", "target")
            ]
            relation_count += len(relations)
            url = reverse("admin:glossary_term_change", args=[term.pk])
            deleted.append(format_html('Term: <a href="{}">{}</a>', url, term))
            if relations:
                deleted.append(relations)
        model_count = {"terms": len(objs)}
        if relation_count:
            model_count["relations"] = relation_count
        return deleted, model_count, perms_needed, protected

    def render_delete_form(self, request, context):
        context["deleted_terms"] = [context["object"]]
        return super().render_delete_form(request, context)

    def listed_references(self, form, formsets):
        return list(form.cleaned_data.get("references", ()))

    def preview_context(self, request, form, formsets):
        context = super().preview_context(request, form, formsets)
        term = form.instance
        relations = [row.instance for row in kept_rows(formsets, TermRelation)]
        incoming = (
            list(term.incoming_relations.select_related("source")) if term.pk else []
        )
        context.update(
            relation_groups=term.relation_groups(relations, incoming),
            relation_svg=relation_diagram(term, relations, incoming),
            mentioned_in=term.mentioned_in() if term.pk else [],
        )
        return context
