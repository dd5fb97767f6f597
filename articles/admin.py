from django.contrib import admin
from django.utils.html import format_html

from articles.models import Article, ArticleReference
from glossary.admin_filters import LinkedBodyAdminMixin, LinkProblemsFilter


class ArticleReferenceInline(admin.TabularInline):
    """The article's reference list; Position sets the order readers see."""

    model = ArticleReference
    extra = 1
    autocomplete_fields = ["reference"]
    fields = ["position", "reference"]
    ordering = ["position", "pk"]


@admin.register(Article)
class ArticleAdmin(LinkedBodyAdminMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "status",
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

    @admin.display(description="Preview")
    def preview_link(self, obj):
        if not obj.pk:
            return "Save the article to preview it."
        label = "View on site" if obj.is_published else "Preview draft (staff only)"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), label)
