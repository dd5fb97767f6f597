"""
The site's own records: its pages about itself (About, Editorial policy,
Disclaimer...) and which rows the demo content put there.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import Resolver404, resolve, reverse

from glossary.limits import body_problems
from glossary.markup import render_markdown

# The route of site pages (portal/urls.py), which takes any one-segment
# address the site's other routes leave free.
PAGE_ROUTE_NAME = "page"


def validate_body_limits(text):
    """Refuse a body over the limits of glossary/limits.py."""
    problems = body_problems(text)
    if problems:
        raise ValidationError(problems)


def address_taken_by_site(slug):
    """
    The address of the site's own that `/<slug>/` would clash with, or "":
    a route there or under it (/articles/, /tags/x/), or static and
    uploaded files. A page there would never be reached, or would hide
    what is there.
    """
    for folder in (settings.STATIC_URL, getattr(settings, "MEDIA_URL", "")):
        if folder and folder.strip("/").split("/")[0] == slug:
            return f"/{slug}/"
    for path in (f"/{slug}/", f"/{slug}/page/"):
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.url_name != PAGE_ROUTE_NAME:
            return path
    return ""


class PageQuerySet(models.QuerySet):
    def in_footer(self):
        """The pages every page's footer links to, in their footer order."""
        return (
            self.filter(show_in_footer=True)
            .order_by("footer_order", "title")
            .only("title", "slug")
        )


class Page(models.Model):
    """
    A page about the site itself, such as About or Disclaimer, written in
    Markdown by editors and served at /<slug>/.
    """

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text=(
            "The page's address: “about” puts it at /about/. Addresses the "
            "site uses itself (articles, glossary, search...) are refused."
        ),
    )
    body = models.TextField(
        validators=[validate_body_limits],
        help_text="Markdown (CommonMark); see the cheat sheet under the box.",
    )
    body_html = models.TextField(editable=False, blank=True)
    show_in_footer = models.BooleanField(
        "Link in the footer",
        default=False,
        help_text="Every page of the site links to it at the bottom.",
    )
    footer_order = models.PositiveSmallIntegerField(
        default=0, help_text="Footer links go from the lowest number to the highest."
    )
    updated_at = models.DateTimeField("Updated", auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["footer_order", "title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render_body()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(PAGE_ROUTE_NAME, kwargs={"slug": self.slug})

    def clean(self):
        taken = address_taken_by_site(self.slug) if self.slug else ""
        if taken:
            raise ValidationError(
                {
                    "slug": (
                        f"The site uses the address {taken} itself, so a page "
                        f"at /{self.slug}/ would clash with it; choose another."
                    )
                }
            )

    def render_body(self):
        """Render the Markdown body to sanitised HTML (body_html)."""
        self.body_html = render_markdown(self.body)


class DemoRow(models.Model):
    """
    A row that `load_demo` created for an entry of the demo data, or found
    and took over in a database loaded before rows were recorded. Only
    recorded rows are ever restored by `load_demo --reset`, so a row an
    editor made is never overwritten, whatever slug or key it takes. The
    record outlives its row: a demo row an editor deleted stays deleted
    until a reset recreates it.
    """

    entry = models.CharField(
        "demo entry",
        max_length=300,
        unique=True,
        help_text="Kind and key or slug in the demo data, such as term:etanercept.",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    row = GenericForeignKey("content_type", "object_id")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_demo_entry_per_row"
            ),
        ]

    def __str__(self):
        return self.entry
