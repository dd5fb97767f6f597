import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from taggit.models import Tag
from taggit.utils import edit_string_for_tags, parse_tags

from articles.forms import ArticleAdminForm
from articles.models import (
    REVISED_FIELDS,
    Article,
    ArticleReference,
    ChangeRefused,
    PendingRevision,
    Reviewer,
    revision_content,
)
from editorial.admin import (
    EDIT_TOKEN_FIELD,
    EditorialAdmin,
    RemovableWithItsOwner,
    StaleEdit,
    as_typed,
    saved_at_text,
    tag_names,
)
from glossary.admin_filters import LinkedBodyAdminMixin, LinkProblemsFilter, kept_rows
from glossary.slugs import unique_slug

PUBLISH_PERMISSION = "articles.publish_article"
REVIEW_PERMISSION = "articles.review_article"
# The name of the change form's "Save and publish" button.
PUBLISH_BUTTON = "_publish"


class ArticleReferenceFormSet(BaseInlineFormSet):
    """
    The reference rows; for an article with changes waiting, the rows as
    those changes have them, so that work continues from them: the live
    rows they keep, at their positions, then the rows they add. An added
    row is dropped by clearing its reference (such rows have no delete
    box, not being saved rows yet).
    """

    pending_rows = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        revision = self.instance.waiting_revision
        if revision is None:
            return
        self.pending_rows = dict(revision.content["references"])
        kept = {row.reference_id for row in self.get_queryset()}
        self.initial_extra = [
            {"reference": reference, "position": position}
            for reference, position in revision.content["references"]
            if reference not in kept
        ]
        self.extra += len(self.initial_extra)

    def get_queryset(self):
        if self.pending_rows is None:
            return super().get_queryset()
        if not hasattr(self, "_pending_queryset"):
            rows = [
                row
                for row in super().get_queryset()
                if row.reference_id in self.pending_rows
            ]
            for row in rows:
                row.position = self.pending_rows[row.reference_id]
            self._pending_queryset = rows
        return self._pending_queryset

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        first_added = self.initial_form_count()
        if self.pending_rows is not None and (
            first_added <= i < first_added + len(self.initial_extra)
        ):
            # Checked even when untouched, or an added row left as shown
            # would count as an empty one and be lost.
            form.empty_permitted = False
            form.fields["reference"].required = False
        return form

    def rows(self):
        """The (reference id, position) of each row the form keeps."""
        return [
            (row["reference"].pk, row["position"])
            for row in self.cleaned_data
            if row and not row.get("DELETE") and row.get("reference") is not None
        ]


class ArticleReferenceInline(RemovableWithItsOwner, admin.TabularInline):
    """
    The article's reference list. Cited references are numbered by first
    citation; Position orders the ones never cited.
    """

    model = ArticleReference
    formset = ArticleReferenceFormSet
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


class ChangesWaitingFilter(admin.SimpleListFilter):
    """Narrow the list to articles with changes waiting for approval."""

    title = "changes waiting"
    parameter_name = "changes_waiting"

    def lookups(self, request, model_admin):
        return [("yes", "Changes waiting for approval")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(has_changes_waiting=True)
        return queryset


def can_publish(user):
    return user.has_perm(PUBLISH_PERMISSION)


def can_review(user):
    return user.has_perm(REVIEW_PERMISSION)


def carry_over_waiting_changes(form, shown, waiting):
    """
    In a refused form, give each text field and the tags left as the form
    showed them when opened (`shown`, a content; see revision_content) the
    value of the `waiting` changes; a field both editors changed keeps what
    was typed.
    """
    for name in ["title", "slug", "summary", "body", "author"]:
        key = form.add_prefix(name)
        if key in form.data and as_typed(form.data[key]) == as_typed(shown[name]):
            form.data[key] = waiting[name]
    key = form.add_prefix("tags")
    if key in form.data and tag_names(parse_tags(form.data[key])) == tag_names(
        shown["tags"]
    ):
        form.data[key] = edit_string_for_tags([Tag(name=n) for n in waiting["tags"]])


def edited_content(form, formsets):
    """The content of a valid article form and its reference rows."""
    values = {name: form.cleaned_data[name] for name in REVISED_FIELDS}
    if not values["slug"]:
        values["slug"] = unique_slug(form.instance, values["title"])
    rows = [
        row
        for formset in formsets
        if isinstance(formset, ArticleReferenceFormSet)
        for row in formset.rows()
    ]
    return revision_content(values, form.cleaned_data["tags"], rows)


@admin.register(Article)
class ArticleAdmin(LinkedBodyAdminMixin, EditorialAdmin):
    """
    Articles, with the publishing workflow: a save of a published article
    is held as its pending revision until a publisher approves it (or
    presses "Save and publish"); see README, "Publishing workflow".
    """

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
    # The review-due link beside the history's "Recover deleted articles".
    change_list_template = "admin/articles/article/change_list.html"
    list_display = [
        "title",
        "publication_state",
        "published_at",
        "last_reviewed_on",
        "link_problems",
    ]
    list_filter = [
        "status",
        ChangesWaitingFilter,
        LinkProblemsFilter,
        "tags",
        "last_reviewed_on",
    ]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    inlines = [ArticleReferenceInline]
    readonly_fields = [
        "preview_link",
        "link_problems",
        "last_reviewed_on",
        "medical_reviewer",
        "approved_by",
        "approved_at",
    ]

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
                    "author",
                    "last_reviewed_on",
                    "medical_reviewer",
                    "approved_by",
                    "approved_at",
                    "preview_link",
                ]
            },
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        # The base classes add the hidden field carrying the edit token.
        fieldsets = super().get_fieldsets(request, obj)
        if not (can_publish(request.user) and can_review(request.user)):
            return fieldsets
        # Those who may publish and review tick the review as they publish.
        return [
            (
                title,
                {
                    **options,
                    "fields": [
                        *options["fields"],
                        *(["medically_reviewed"] if title == "Publication" else []),
                    ],
                },
            )
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_publish(request.user):
            # Scheduling is publishing; and a published or archived
            # article's status is the publishers' to change.
            fields.append("published_at")
            if obj is not None and obj.status in (
                Article.Status.PUBLISHED,
                Article.Status.ARCHIVED,
            ):
                fields.append("status")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(
            form.__name__,
            (form,),
            {
                "user_can_publish": can_publish(request.user),
                "user_can_review": can_review(request.user),
                "publish_pressed": PUBLISH_BUTTON in request.POST,
            },
        )

    # Two editors at once: the token a form carries covers the pending
    # revision too, since the form of a published article edits that.

    def edit_token(self, obj):
        revision = obj.waiting_revision
        waiting = revision.save_count if revision is not None else 0
        return f"{obj.edit_count}.{waiting}"

    def stale_edit(self, obj, opened_token):
        revision, shown = self.content_opened(obj, opened_token)
        if shown is None:
            return super().stale_edit(obj, opened_token)
        # Only the changes waiting for approval moved on: name who changed
        # them, and show what changed since the form was opened.
        return StaleEdit(
            f"{revision.editor_name()} changed the edits waiting for approval "
            f"{saved_at_text(revision.edited_at)}, after you opened this "
            "article. Your text is kept below; compare and save again.",
            revision.changes(since=shown),
        )

    def refuse_stale_edit(self, form):
        opened = form.cleaned_data.get(EDIT_TOKEN_FIELD, "")
        super().refuse_stale_edit(form)
        if form.data.get(form.add_prefix(EDIT_TOKEN_FIELD)) == opened:
            return
        article = Article.objects.get(pk=form.instance.pk)
        revision, shown = self.content_opened(article, opened)
        if shown is not None:
            # What the editor left as the form showed it takes the waiting
            # changes' value, so that saving again keeps both editors'.
            carry_over_waiting_changes(form, shown, revision.content)

    def content_opened(self, article, opened_token):
        """
        The pending revision and the content a form opened with
        `opened_token` showed, when only the changes waiting for approval
        have moved on since (the published article is as it was): the
        published content if nothing waited then, else the waiting content
        as it was. (None, None) otherwise, or if that content is no longer
        kept.
        """
        count, __, waiting = opened_token.partition(".")
        revision = article.waiting_revision
        if revision is None or count != str(article.edit_count):
            return None, None
        if waiting == "0":
            return revision, article.revisable_content()
        return revision, revision.content_at(waiting)

    # History: a version is restored by writing it into the stored row,
    # which for a published article would put it live without approval.

    def restore_refusal(self, request, obj):
        if not (
            obj.edits_need_approval
            or PendingRevision.objects.filter(article=obj).exists()
        ):
            return None
        save = "save and publish it" if can_publish(request.user) else "save it"
        return (
            f"“{obj}” is published, so an earlier version is not restored "
            "directly: that would put it live without approval. Compare the "
            "versions, copy what you need into the article's form and "
            f"{save}; an editor's change then waits for approval."
        )

    def revision_view(self, request, object_id, version_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        refusal = article and self.restore_refusal(request, article)
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            return redirect(
                reverse("admin:articles_article_history", args=[article.pk])
            )
        return super().revision_view(request, object_id, version_id, extra_context)

    # Deleting is the publishers' right, and so is bringing back a deleted
    # article, which may return to the site as published.

    def recoverlist_view(self, request, extra_context=None):
        if not can_publish(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not can_publish(request.user):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "can_recover": can_publish(request.user),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("tags")
            .with_changes_waiting_flag()
        )

    def get_urls(self):
        def named(suffix):
            return f"{self.opts.app_label}_{self.opts.model_name}_{suffix}"

        wrap = self.admin_site.admin_view
        return [
            path("review-due/", wrap(self.review_due_view), name=named("review_due")),
            path(
                "<path:object_id>/review/",
                wrap(self.review_view),
                name=named("review"),
            ),
            path(
                "<path:object_id>/review/approve/",
                wrap(self.approve_view),
                name=named("approve"),
            ),
            path(
                "<path:object_id>/review/discard/",
                wrap(self.discard_view),
                name=named("discard"),
            ),
            path(
                "<path:object_id>/review/record/",
                wrap(self.record_review_view),
                name=named("record_review"),
            ),
            *super().get_urls(),
        ]

    # The change form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if PUBLISH_BUTTON in request.POST and not can_publish(request.user):
            raise PermissionDenied
        return super().changeform_view(request, object_id, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, unquote(object_id))
        revision = article.waiting_revision if article is not None else None
        extra_context = {
            "pending_revision": revision,
            "show_save_and_publish": can_publish(request.user)
            and self.has_change_permission(request, article),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {
            "show_save_and_publish": can_publish(request.user),
            **(extra_context or {}),
        }
        return super().add_view(request, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if form.publishes:
            obj.status = Article.Status.PUBLISHED
            obj.mark_approved(request.user)
        if form.cleaned_data.get("medically_reviewed"):
            obj.mark_medically_reviewed(request.user)
        # Held changes, and changes made from a pending revision's content,
        # are saved with the reference rows, in save_related.
        if form.holds_for_approval:
            return
        if form.pending_revision:
            # Saved in save_related, but an edit all the same: forms opened
            # before it are stale.
            self.count_edit(obj, form)
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if form.holds_for_approval:
            self.hold_changes(request, form, formsets)
        elif form.pending_revision:
            # The form showed the pending revision, so its content is the
            # whole edit: applied at once, the revision has done its work.
            form.instance.apply_content(edited_content(form, formsets))
            PendingRevision.objects.filter(article=form.instance).delete()
        else:
            super().save_related(request, form, formsets, change)

    def hold_changes(self, request, form, formsets):
        """
        Keep the edit as the pending revision, and apply at once only a new
        "Publish at" a publisher set: rescheduling needs no approval.
        """
        article = form.instance
        if "published_at" in form.changed_data:
            live = Article.objects.get(pk=article.pk)
            live.published_at = form.cleaned_data["published_at"]
            live.save()
        article.held_revision = article.hold_changes(
            edited_content(form, formsets), request.user
        )
        article.held_for_approval = True

    def construct_change_message(self, request, form, formsets, add=False):
        if form.holds_for_approval or form.pending_revision:
            # The rows were not saved one by one; the whole edit was.
            for formset in formsets:
                formset.new_objects = formset.changed_objects = []
                formset.deleted_objects = []
        message = super().construct_change_message(request, form, formsets, add)
        if form.holds_for_approval:
            return [{"changed": {"fields": ["Changes waiting for approval"]}}]
        return message

    def response_change(self, request, obj):
        if getattr(obj, "held_for_approval", False):
            if obj.held_revision is None:
                self.message_user(
                    request,
                    f"“{obj}” is as published: nothing waits for approval.",
                    messages.INFO,
                )
            else:
                self.message_user(
                    request,
                    f"Your changes to “{obj}” are waiting for approval. Readers "
                    "see the published version until a publisher approves them.",
                    messages.SUCCESS,
                )
                # The held body, linked in memory as a save would link it,
                # so that its editor hears of its link problems now rather
                # than the publisher at approval.
                obj.render_links()
                self.warn_of_link_problems(request, obj)
            if "_continue" in request.POST:
                return redirect(request.get_full_path())
            return self.response_post_save_change(request, obj)
        if PUBLISH_BUTTON in request.POST:
            self.message_user(
                request, f"“{obj}” is published: readers see it now.", messages.SUCCESS
            )
            self.warn_of_link_problems(request, obj)
            return self.response_post_save_change(request, obj)
        return super().response_change(request, obj)

    # The list

    @admin.display(description="Status", ordering="status")
    def publication_state(self, obj):
        # Changes waiting are told in the same column: the list stays
        # narrow enough for a laptop with the admin's menu open.
        label = obj.PublicationState(obj.publication_state).label
        if obj.has_changes_waiting:
            return f"{label}, changes waiting"
        return label

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

    # Review and publishing pages

    def review_view(self, request, object_id):
        """
        The review page of one article: the word diff of each field its
        pending revision changes, with "Approve and publish" and "Discard"
        for publishers; with nothing pending, "Record medical review" for
        medical reviewers.

        Template: admin/articles/article/review.html; context: the admin's,
        `article`, `revision`, `changes`, `can_publish`, `can_review`,
        `can_record_review`.
        """
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        revision = article.waiting_revision
        context = {
            **self.admin_site.each_context(request),
            "title": f"Review “{article}”",
            "opts": self.opts,
            "original": article,
            "article": article,
            "revision": revision,
            "changes": revision.changes() if revision else [],
            "can_publish": can_publish(request.user),
            "can_review": can_review(request.user),
            "can_record_review": can_review(request.user)
            and revision is None
            and article.status == Article.Status.PUBLISHED,
        }
        return TemplateResponse(request, "admin/articles/article/review.html", context)

    @staticmethod
    def approve(request, article):
        reviewed = request.POST.get("medically_reviewed") == "on"
        if reviewed and not can_review(request.user):
            raise PermissionDenied
        waiting = article.waiting_revision
        article.publish_changes(request.user, request.POST.get("save_count"), reviewed)
        done = f"Published the changes to “{article}”: readers see them now."
        # The history keeps the publisher as who saved; name the writers too.
        if waiting is not None and waiting.editor_names:
            reversion.set_comment(
                f"{done} Written by {', '.join(waiting.editor_names)}."
            )
        return done

    @staticmethod
    def discard(request, article):
        article.discard_changes(request.POST.get("save_count"))
        return f"Discarded the changes waiting for “{article}”."

    @staticmethod
    def record_review(request, article):
        reviewed = article.record_medical_review(request.user)
        return (
            f"Recorded your medical review of “{article}” as "
            f"{reviewed.medical_reviewer}, on "
            f"{date_format(reviewed.last_reviewed_on, 'j F Y')}."
        )

    def take_step(self, request, object_id, permission, step):
        """
        Run `step` (approve, discard, record_review) on the article for a
        user holding `permission`, then return to the change page with the
        message it gives; a step refused (ChangeRefused) returns to the
        review page saying why.
        """
        if not request.user.has_perm(permission):
            raise PermissionDenied
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        review_url = reverse("admin:articles_article_review", args=[article.pk])
        try:
            # Kept in the article's history like a save in its form.
            with reversion.create_revision():
                reversion.set_user(request.user)
                done = step(request, article)
                if not reversion.get_comment():
                    reversion.set_comment(done)
        except ChangeRefused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return redirect(review_url)
        self.log_change(request, article, done)
        self.message_user(request, done, messages.SUCCESS)
        if step is self.record_review:
            return redirect(review_url)
        return redirect(reverse("admin:articles_article_change", args=[article.pk]))

    def approve_view(self, request, object_id):
        return require_POST(self.take_step)(
            request, object_id, PUBLISH_PERMISSION, self.approve
        )

    def discard_view(self, request, object_id):
        return require_POST(self.take_step)(
            request, object_id, PUBLISH_PERMISSION, self.discard
        )

    def record_review_view(self, request, object_id):
        return require_POST(self.take_step)(
            request, object_id, REVIEW_PERMISSION, self.record_review
        )

    def review_due_view(self, request):
        """
        Published articles due a medical review: never reviewed first, then
        those last reviewed PORTAL_REVIEW_INTERVAL_MONTHS or more ago,
        oldest first, with their reviewer.

        Template: admin/articles/article/review_due.html; context: the
        admin's, `articles`, `interval_months`.
        """
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Medical review due",
            "opts": self.opts,
            "articles": Article.objects.review_due(),
            "interval_months": settings.PORTAL_REVIEW_INTERVAL_MONTHS,
        }
        return TemplateResponse(
            request, "admin/articles/article/review_due.html", context
        )


@admin.register(Reviewer)
class ReviewerAdmin(admin.ModelAdmin):
    """The people named as medical reviewers, as readers see them."""

    list_display = ["__str__", "user"]
    search_fields = ["name", "credentials"]
