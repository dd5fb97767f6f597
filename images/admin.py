from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.db import models
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext

from images.embedding import EMBED_SCHEME
from images.forms import ACCEPTED_TYPES, OriginalFileInput, UploadedImageField
from images.models import Image

# The widest rendition the admin shows: enough for a sharp thumbnail.
THUMBNAIL_WIDTH = 80
PREVIEW_WIDTH = 320


def smallest_source_at_least(image, width):
    """The narrowest rendition at least `width` wide, else the widest; or None."""
    sources = image.rendition_sources()
    wide_enough = [source for source in sources if source[1] >= width]
    return (wide_enough or sources[-1:] or [None])[0]


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    formfield_overrides = {
        # Its own widget too: the admin's would link the stored original.
        models.ImageField: {
            "form_class": UploadedImageField,
            "widget": OriginalFileInput(attrs={"accept": ACCEPTED_TYPES}),
        }
    }
    list_display = ["thumbnail", "title", "slug", "dimensions", "uploaded_at"]

    class Media:
        css = {"all": ["images/admin.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Alt text is a sentence or two: a box that shows it whole.
        if db_field.name == "alt_text":
            kwargs["widget"] = widgets.AdminTextareaWidget(attrs={"rows": 3})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    list_display_links = ["thumbnail", "title"]
    list_filter = ["is_decorative", "uploaded_at"]
    search_fields = ["title", "slug", "alt_text", "caption", "credit"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "preview",
        "embed_snippet",
        "used_in",
        "dimensions",
        "uploaded_by",
        "uploaded_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "file",
                    "preview",
                    "title",
                    "slug",
                    "embed_snippet",
                    "alt_text",
                    "is_decorative",
                    "caption",
                    "credit",
                ]
            },
        ),
        ("Used in", {"fields": ["used_in"]}),
        (
            "Upload",
            {
                "fields": ["dimensions", "uploaded_by", "uploaded_at"],
                "classes": ["collapse"],
            },
        ),
    ]
    # What a new image has nothing to show for yet.
    shown_once_saved = {"preview", "embed_snippet", "used_in", "dimensions"}

    def get_fieldsets(self, request, obj=None):
        if obj is not None:
            return self.fieldsets
        (title, options), *__ = self.fieldsets
        fields = [
            name for name in options["fields"] if name not in self.shown_once_saved
        ]
        return [(title, {**options, "fields": fields})]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        updates_bodies = change and bool(obj.changed_shown_fields() - {"file"})
        super().save_model(request, obj, form, change)
        if updates_bodies and obj.bodies_embedding():
            self.message_user(
                request,
                f"Pages that show “{obj}” are being updated in the background.",
                messages.INFO,
            )
        if "file" in form.changed_data:
            self.message_user(
                request,
                f"The sizes readers are served of “{obj}” are being made; pages "
                "show the image once they are ready.",
                messages.INFO,
            )

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        if obj.renamed_from:
            self.message_user(
                request,
                ngettext(
                    "%(count)d article or term embedding “%(old)s” now embeds "
                    "“%(new)s”.",
                    "%(count)d articles or terms embedding “%(old)s” now embed "
                    "“%(new)s”.",
                    obj.re_embedded_page_count,
                )
                % {
                    "count": obj.re_embedded_page_count,
                    "old": f"{EMBED_SCHEME}{obj.renamed_from}",
                    "new": f"{EMBED_SCHEME}{obj.slug}",
                },
                messages.SUCCESS,
            )
        return response

    @admin.display(description="Image")
    def thumbnail(self, obj):
        source = smallest_source_at_least(obj, THUMBNAIL_WIDTH)
        if source is None:
            return "Being prepared"
        return format_html(
            '<img class="image-thumbnail" src="{}" alt="" width="{}">',
            source[0],
            THUMBNAIL_WIDTH,
        )

    @admin.display(description="Preview")
    def preview(self, obj):
        source = smallest_source_at_least(obj, PREVIEW_WIDTH)
        if source is None:
            return "The sizes readers are served are being made."
        sizes = ", ".join(
            f"{width} × {height}" for __, width, height in obj.rendition_sources()
        )
        return format_html(
            '<img class="image-thumbnail" src="{}" alt="{}" width="{}">'
            "<br>Sizes served: {}",
            source[0],
            obj.alt_text,
            PREVIEW_WIDTH,
            sizes,
        )

    @admin.display(description="Embed code")
    def embed_snippet(self, obj):
        return format_html(
            '<code class="embed-code">{}</code>'
            '<div class="help">Copy this into an article’s or term’s body. '
            "Put your own alt text between the brackets for one use: "
            "![alt text](image:{}).</div>",
            obj.embed_code,
            obj.slug,
        )

    @admin.display(description="Pixels")
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height}" if obj.width else "—"

    @admin.display(description="Shown in")
    def used_in(self, obj):
        bodies = obj.bodies_embedding()
        if not bodies:
            return "No article or term shows this image."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li>{}: <a href="{}">{}</a></li>',
                ((body.mention_label, admin_change_url(body), body) for body in bodies),
            ),
        )

    def get_deleted_objects(self, objs, request):
        """
        What the delete pages list: the images alone. Their links to the
        bodies that show them go too, and the page lists those bodies in
        words rather than as rows.
        """
        __, __, perms_needed, protected = super().get_deleted_objects(objs, request)
        deleted = [
            format_html('Image: <a href="{}">{}</a>', admin_change_url(image), image)
            for image in objs
        ]
        return deleted, {"images": len(deleted)}, perms_needed, protected

    def render_delete_form(self, request, context):
        context["deleted_images"] = [context["object"]]
        return super().render_delete_form(request, context)


def admin_change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
