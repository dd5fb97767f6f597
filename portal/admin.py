"""
The editors' admin: Django's, under the site's name, with one site-wide
page added, the list of bodies whose links or citations could not be
resolved, of references saved without a detail their citation needs, and
of terms whose names or aliases clash; and the editing of the site's pages
about itself.
"""

import logging
from functools import update_wrapper
from itertools import groupby
from operator import attrgetter
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.db import IntegrityError, OperationalError
from django.http import HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp import login as mark_verified

from articles.models import Article
from editorial.previews import PreviewAdminMixin
from editorial.widgets import MarkdownBodyAdminMixin
from glossary.models import SearchEntry, linked_body_models
from glossary.relinking import pending_counts
from glossary.transient import is_transient, retry_transient
from portal.models import Page
from portal.outages import RETRY_AFTER_SECONDS, is_database_outage
from portal.sign_in.forms import AdminSignInForm, ConfirmDeviceForm
from portal.sign_in.lockouts import is_locked_out, lockout_response
from portal.sign_in.two_factor import (
    confirmed_device,
    device_to_confirm,
    must_use_two_factor,
    needs_set_up,
    qr_code_svg,
    secret_for_typing,
)
from portal.unsaved_forms import posted_fields, sent_files, typed_fields
from references.admin_fields import LengthCheckedOnSave
from references.models import Reference

logger = logging.getLogger(__name__)


def spellings_of(entries):
    """The distinct texts of search entries, in their order."""
    return list(dict.fromkeys(entry.text for entry in entries))


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """
    Autocomplete choices labelled by the model admin's `autocomplete_label`
    where it has one, so that rows that read alike can be told apart.
    """

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = label(obj)
        return result


def without_messages_of_failed_attempts(view):
    """
    `view`, forgetting the messages it queued ("… was changed
    successfully") when it fails, so that a save run again says each once,
    and a save that could not reach the database claims no success.
    """

    def attempt(request, *args, **kwargs):
        # Django's message storage keeps what a request adds in this list.
        queued = getattr(getattr(request, "_messages", None), "_queued_messages", None)
        before = list(queued or [])
        try:
            return view(request, *args, **kwargs)
        except Exception:
            if queued is not None:
                queued[:] = before
            raise

    return attempt


class PortalAdminSite(admin.AdminSite):
    index_template = "admin/portal_index.html"
    login_form = AdminSignInForm
    login_template = "admin/portal/login.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # This module is imported to build the site, so `@admin.register`
        # could not reach it from here; the site registers its own pages.
        self.register(Page, PageAdmin)

    # The site's name, read when a page is drawn (settings are read inside
    # functions), in the header, the browser's title and on the home page.
    @property
    def site_header(self):
        return settings.SITE_NAME

    @property
    def site_title(self):
        return f"{settings.SITE_NAME} admin"

    @property
    def index_title(self):
        return f"Editing {settings.SITE_NAME}"

    def login(self, request, extra_context=None):
        """
        Django's sign-in page, refusing a locked-out client or account before
        the form is read; django-axes' backend refuses it too, for any other
        way in (the sign-in on the signed-out page).
        """
        if request.method == "POST" and is_locked_out(request):
            return lockout_response(request)
        return super().login(request, extra_context)

    def has_permission(self, request):
        """
        Active staff who gave a code at sign-in, or who need not use
        two-factor authentication.
        """
        return super().has_permission(request) and (
            request.user.is_verified() or not must_use_two_factor(request.user)
        )

    def admin_view(self, view, cacheable=False):
        """
        Every admin page, with a save that meets a transient database
        error (SQLite busy with another editor's save, a PostgreSQL
        deadlock) run again as a whole, so that the editor sees the save
        succeed rather than an error page that loses the typed text.
        Each attempt runs in its own transaction (the admin's views are
        atomic), so a failed one leaves nothing behind. A save that cannot
        reach the database at all, from reading the editor's session to
        writing the rows, gets the typed text back (database_unreachable).
        """

        def retrying_view(request, *args, **kwargs):
            if request.method != "POST":
                return view(request, *args, **kwargs)
            try:
                return retry_transient(
                    without_messages_of_failed_attempts(view), request, *args, **kwargs
                )
            except (OperationalError, IntegrityError) as error:
                if not is_transient(error):
                    raise
                return self.too_busy_to_save(request)

        checked_view = super().admin_view(
            update_wrapper(retrying_view, view), cacheable
        )

        def saving_view(request, *args, **kwargs):
            try:
                if needs_set_up(request) and view.__name__ != "logout":
                    return HttpResponseRedirect(reverse("admin:two-factor"))
                return checked_view(request, *args, **kwargs)
            except Exception as error:
                if request.method != "POST" or not is_database_outage(error):
                    raise
                logger.error(
                    "Not saved, the database could not be reached: %s",
                    request.path,
                    exc_info=True,
                )
                return self.database_unreachable(request)

        return update_wrapper(saving_view, checked_view)

    def too_busy_to_save(self, request):
        """
        The page for a save that stayed blocked by other saves through every
        attempt: nothing was saved, and the page holds the whole form as
        posted, to send again with one button, so nothing typed is lost.
        """
        context = {
            **self.each_context(request),
            "title": "Not saved: please try again",
            "posted": posted_fields(request),
            "action": request.get_full_path(),
        }
        response = TemplateResponse(request, "admin/portal/too_busy.html", context)
        response.status_code = 503
        response["Retry-After"] = "5"
        return response

    def database_unreachable(self, request):
        """
        The page for a save that could not reach the database: nothing was
        saved; each typed field is shown to copy, and the whole form as
        posted is held to send again with one button. Drawn from the request
        alone, as the database may still be away: no context processors,
        user, permissions or app list. 503 with Retry-After.

        Template: admin/portal/database_unreachable.html; context:
        `site_header`, `site_title`, `site_url`, `title`, `typed`
        (TypedField list), `posted`, `files` (names not sent again),
        `action`.
        """
        context = {
            "site_header": self.site_header,
            "site_title": self.site_title,
            "site_url": self.site_url,
            "title": "Not saved: the database could not be reached",
            "typed": typed_fields(request),
            "posted": posted_fields(request),
            "files": sent_files(request),
            "action": request.get_full_path(),
        }
        html = render_to_string("admin/portal/database_unreachable.html", context)
        response = HttpResponse(html, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response

    def autocomplete_view(self, request):
        return LabelledAutocompleteJsonView.as_view(admin_site=self)(request)

    def get_urls(self):
        urls = [
            path(
                "link-problems/",
                self.admin_view(self.link_problems),
                name="link-problems",
            ),
            path(
                "two-factor/",
                self.signed_in_view(self.two_factor_setup),
                name="two-factor",
            ),
        ]
        return urls + super().get_urls()

    def signed_in_view(self, view):
        """
        `view` for any signed-in, active staff member, verified or not (the
        set-up page must be reached before the admin's permission check
        lets them in); others go to the sign-in page.
        """

        def checked_view(request, *args, **kwargs):
            user = request.user
            if not (user.is_active and user.is_staff):
                return HttpResponseRedirect(
                    f"{reverse('admin:login')}?{urlencode({'next': request.path})}"
                )
            return view(request, *args, **kwargs)

        return update_wrapper(never_cache(csrf_protect(checked_view)), view)

    def two_factor_setup(self, request):
        """
        "Set up two-factor authentication": the QR code to scan into an
        authenticator app, its key to type instead, and a field for the
        first code, which confirms the device and verifies the session. Once
        a device is confirmed, the page says so.

        Template: admin/portal/two_factor_setup.html; context: the admin's,
        plus `device` (None once set up), `qr_code` (SVG markup), `secret`,
        `form` and `required`.
        """
        user = request.user
        device = None if confirmed_device(user) else device_to_confirm(user)
        form = None
        if device is not None:
            form = ConfirmDeviceForm(request.POST or None, device=device)
            if request.method == "POST" and form.is_valid():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                mark_verified(request, device)
                messages.success(
                    request,
                    "Two-factor authentication is set up: give a code from "
                    "your app each time you sign in.",
                )
                return HttpResponseRedirect(reverse("admin:index"))
        context = {
            **self.each_context(request),
            "title": "Set up two-factor authentication"
            if device
            else "Two-factor authentication",
            "device": device,
            "qr_code": qr_code_svg(device) if device else "",
            "secret": secret_for_typing(device) if device else "",
            "form": form,
            "required": must_use_two_factor(user),
        }
        return TemplateResponse(request, "admin/portal/two_factor_setup.html", context)

    def index(self, request, extra_context=None):
        extra_context = {
            "link_problem_count": sum(
                group["bodies"].count() for group in self.link_problem_groups(request)
            ),
            "incomplete_reference_count": self.incomplete_references(request).count(),
            "review_due_count": (
                Article.objects.review_due().count()
                if request.user.has_perm("articles.view_article")
                else None
            ),
            "relinking": self.relinking_status(),
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

    def relinking_status(self):
        """
        What the background relinker has still to do, for every editor:
        `waiting` as (verbose plural name, bodies queued, bodies in all)
        for each kind with some queued, and `searching`, true while some
        change still waits for its bodies to be found. None if nothing waits.
        """
        counts, searching = pending_counts()
        waiting = [
            (model._meta.verbose_name_plural, queued, total)
            for model, queued, total in counts
        ]
        if not waiting and not searching:
            return None
        return {"waiting": waiting, "searching": searching}

    def name_conflicts(self, request):
        """
        Names and aliases that two or more terms share once normalised (see
        SearchEntry.conflicting), one group per shared form: its distinct
        `spellings`, and `terms` as (term, that term's spellings) pairs.
        None if the user may not view terms.
        """
        if not request.user.has_perm("glossary.view_term"):
            return None
        by_form = groupby(SearchEntry.objects.conflicting(), key=attrgetter("compact"))
        return [
            {
                "spellings": spellings_of(entries),
                "terms": [
                    (term, spellings_of(of_term))
                    for term, of_term in groupby(entries, key=attrgetter("term"))
                ],
            }
            for entries in (list(group) for __, group in by_form)
        ]

    def incomplete_references(self, request):
        """References missing a detail, if the user may view references."""
        if not request.user.has_perm("references.view_reference"):
            return Reference.objects.none()
        return Reference.objects.incomplete()

    def link_problems(self, request):
        """
        Every article and term whose body has an unresolved [[link]] or an
        unknown [@key] citation, every reference missing a detail its
        citation needs, and every name or alias two terms share, with a link
        to fix each.

        Template: admin/link_problems.html; context: the admin's own, plus
        `groups` (see link_problem_groups), `incomplete_references` and
        `name_conflicts`.
        """
        context = {
            **self.each_context(request),
            "title": "Unresolved links and citations",
            "groups": self.link_problem_groups(request),
            "incomplete_references": self.incomplete_references(request),
            "name_conflicts": self.name_conflicts(request),
            "relinking": self.relinking_status(),
        }
        return TemplateResponse(request, "admin/link_problems.html", context)


class PageAdmin(
    MarkdownBodyAdminMixin, PreviewAdminMixin, LengthCheckedOnSave, admin.ModelAdmin
):
    """The site's pages about itself, and which of them the footer links to."""

    list_display = ["title", "address", "show_in_footer", "footer_order", "updated_at"]
    list_filter = ["show_in_footer"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "body", "show_in_footer", "footer_order"]
    markdown_linked = False
    preview_template = "portal/page_detail.html"

    @admin.display(description="Address", ordering="slug")
    def address(self, page):
        return page.get_absolute_url()

    def preview_context(self, request, form, formsets):
        page = form.instance
        page.render_body()
        return {"object": page, "page": page}
