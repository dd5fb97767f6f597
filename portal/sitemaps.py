from django.db.models import Max
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article
from editorial.addresses import SiteSitemap
from glossary.models import Term
from portal.models import Page


class SectionSitemap(SiteSitemap):
    """
    The front page and the lists of articles, terms and references, each
    dated by the latest change to what it lists (references: undated).
    """

    changefreq = "daily"

    def items(self):
        latest_article = Article.objects.published().aggregate(
            latest=Max("updated_at")
        )["latest"]
        latest_term = Term.objects.aggregate(latest=Max("modified_at"))["latest"]
        return [
            ("home", latest_article),
            ("articles:list", latest_article),
            ("glossary:list", latest_term),
            ("references:list", None),
        ]

    def location(self, section):
        return reverse(section[0])

    def lastmod(self, section):
        return section[1]


class PageSitemap(SiteSitemap):
    """The site's pages about itself; every one is public."""

    changefreq = "yearly"

    def items(self):
        return Page.objects.order_by("slug")

    def lastmod(self, page):
        return page.updated_at


class TagSitemap(SiteSitemap):
    """
    Tag pages that list something a visitor may read: a published article
    or a term. A tag's page changes when one of them does, so its lastmod
    is the latest of theirs.
    """

    changefreq = "weekly"

    def items(self):
        changed = {}
        for queryset, field in (
            (Article.objects.published(), "updated_at"),
            (Term.objects.all(), "modified_at"),
        ):
            latest = (
                queryset.filter(tagged_items__isnull=False)
                .order_by()
                .values_list("tagged_items__tag")
                .annotate(latest=Max(field))
            )
            for tag_id, when in latest:
                changed[tag_id] = max(when, changed.get(tag_id, when))
        tags = list(Tag.objects.filter(pk__in=changed).order_by("slug"))
        for tag in tags:
            tag.changed_at = changed[tag.pk]
        return tags

    def location(self, tag):
        return reverse("tag", kwargs={"slug": tag.slug})

    def lastmod(self, tag):
        return tag.changed_at
