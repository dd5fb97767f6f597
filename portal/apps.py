from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalConfig(AppConfig):
    """The site itself: settings, pages, the demo content and its command."""

    default = True
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"

    def ready(self):
        track_what_pages_show()
        note_sign_in_times()
        forget_lockouts_when_unlocked()


def track_what_pages_show():
    """
    The rows whose changes reach kept pages (caching/dependencies.py):
    what readers see of them, and the fields that decide where they are
    listed.
    """
    from taggit.models import Tag

    from articles.models import Article, ArticleReference, Reviewer
    from caching.signals import track
    from glossary.models import Term, TermRelation
    from images.models import Image
    from portal.models import Page
    from references.models import Reference

    track(
        Article,
        list_fields=["status", "published_at"],
        next_due=Article.objects.next_publication_time,
    )
    track(ArticleReference, belongs_to=["article", "reference"])
    track(Reviewer)
    track(Term, list_fields=["name", "slug", "kind", "aliases"])
    track(TermRelation, belongs_to=["source", "target"])
    track(Reference, list_fields=["authors", "year", "title", "key"])
    track(Tag, list_fields=["name", "slug"])
    track(Image)
    track(Page, list_fields=["title", "slug", "show_in_footer", "footer_order"])


def note_sign_in_times():
    """Staff sessions are ended by their age (portal/sign_in/sessions.py)."""
    from django.contrib.auth.signals import user_logged_in

    from portal.sign_in.sessions import note_sign_in_time

    user_logged_in.connect(note_sign_in_time, dispatch_uid="portal-sign-in-time")


def forget_lockouts_when_unlocked():
    """Unlock commands take effect at once in their process (lockouts.py)."""
    from axes.models import AccessAttempt
    from django.db.models.signals import post_delete

    from portal.sign_in.lockouts import forget_known_lockouts

    post_delete.connect(
        forget_known_lockouts, sender=AccessAttempt, dispatch_uid="portal-lockouts"
    )


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on the site's own AdminSite (portal/admin.py)."""

    default = False
    default_site = "portal.admin.PortalAdminSite"
