from django.contrib import admin
from django.utils.html import format_html

from articles.forms import ArticleAdminForm
from articles.models import Article, ArticleReference
from editorial.admin import EditorialAdmin
from glossary.admin_filters import LinkedBodyAdminMixin, LinkProblemsFilter, kept_rows


class ArticleReferenceInline(admin.TabularInline):
    """
    The article's reference list. Cited references are numbered by first
    citation; Position orders the ones never cited.
    """

    model = ArticleReference
    extra = 1
    autocomplete_fields = ["reference"]
    fields = ["number_shown", "reference", "position"]
    readonly_fields = ["number_shown"]
    ordering = ["position", "pk"]

    @admin.display(description="Number readers see")
    def number_shown(self, link):
        if link.pk is None:
            return "—"
        return link.article.reference_numbers().get(link.reference_id, "—")


@admin.register(Article)
class ArticleAdmin(LinkedBodyAdminMixin, EditorialAdmin):
    form = ArticleAdminForm
    history_fields = {
        "title": "",
        "slug": "",
        "summary": "",
        "body": "",
        "tags": "",
        "reference_links": "Reference list",
        "status": "",
        "published_at": "",
        "updated_at": "",
        "last_reviewed_on": "",
        "author": "",
        "medical_reviewer": "",
    }
    history_follow = ["tagged_items"]
    preview_template = "articles/article_detail.html"
    list_display = [
        "title",
        "publication_state",
        "published_at",
        "updated_at",
        "last_reviewed_on",
        "link_problems",
    ]
    list_filter = ["status", LinkProblemsFilter, "tags", "last_reviewed_on"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    inlines = [ArticleReferenceInline]
    readonly_fields = ["preview_link", "link_problems"]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "summary", "body", "link_problems", "tags"]},
        ),
        (
            "Publication",
            {
                "fields": [
                    "status",
                    "published_at",
                    "updated_at",
                    "last_reviewed_on",
                    "author",
                    "medical_reviewer",
                    "preview_link",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    @admin.display(description="Status", ordering="status")
    def publication_state(self, obj):
        return obj.PublicationState(obj.publication_state).label

    @admin.display(description="Preview")
    def preview_link(self, obj):
        # A refused form brings back the instance as typed, blank slug and
        # all; the link points to the article as it is saved.
        saved = Article.objects.filter(pk=obj.pk).first() if obj.pk else None
        if saved is None:
            return "Not saved yet: Preview, under the Save buttons, shows it as typed."
        label = "View on site" if saved.is_published else "Preview draft (staff only)"
        return format_html('<a href="{}">{}</a>', saved.get_absolute_url(), label)

    def listed_references(self, form, formsets):
        rows = kept_rows(formsets, ArticleReference)
        # Ordered as the saved list would be: by position, then as entered.
        rows = sorted(rows, key=lambda row: row.cleaned_data.get("position") or 0)
        return [row.cleaned_data["reference"] for row in rows]
