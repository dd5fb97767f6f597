from django.contrib.contenttypes.fields import GenericRelation
from django.db import models, transaction
from django.db.models import Case, F, Max, Q, When
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from glossary.models import (
    LinkedBody,
    LinkedBodyQuerySet,
    RedirectsOldSlugs,
    SlugRedirect,
    Term,
)
from glossary.search import outside_citations, text_word_patterns
from glossary.slugs import unique_slug
from references.citations import number_references
from references.models import Reference


class ArticleQuerySet(LinkedBodyQuerySet):
    def published(self):
        """Articles a visitor may read: published, and the date has come."""
        return self.filter(
            status=Article.Status.PUBLISHED, published_at__lte=timezone.now()
        )

    def visible_to(self, user):
        """Published articles, plus drafts and scheduled ones for staff."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        return self.published()

    def search(self, text):
        """
        Published articles containing every word of `text`, or mentioning
        a glossary term that `text` names (any name or alias: "tnfα" finds
        the articles that link TNF-alpha), best first: matches in the
        title, then the summary, then the body or a mention only. A word
        matches where a word starts, a number only as a whole number, and
        never inside a citation (see glossary.search.text_word_patterns).
        Blank input gives no articles.
        """
        words = text_word_patterns(text or "")
        if not words:
            return self.none()
        in_title = Q(*(Q(title__iregex=word.pattern) for word in words))
        in_summary = Q(*(Q(summary__iregex=word.pattern) for word in words))
        has_every_word = Q(
            *(
                Q(title__iregex=word.pattern)
                | Q(summary__iregex=word.pattern)
                # A plain substring test first: most bodies lack the word,
                # and the regular expression reads a body a character at a
                # time to step over citations.
                | (
                    Q(body__icontains=word.literal)
                    & Q(body__iregex=outside_citations(word.pattern))
                )
                for word in words
            )
        )
        # The mentions are stored at save, so this is a lookup, not a scan
        # of bodies for every spelling of the term.
        mentions = Article.mentioned_terms.through.objects.filter(
            term__in=Term.objects.named(text)
        )
        mentions_named_term = Q(pk__in=mentions.values("article_id"))
        return (
            self.published()
            .filter(has_every_word | mentions_named_term)
            .annotate(
                search_rank=Case(
                    When(in_title, then=0), When(in_summary, then=1), default=2
                )
            )
            .order_by("search_rank", "-published_at", "title")
        )

    def mentioning(self, term):
        """Published articles that link to `term`, by title."""
        return (
            super().mentioning(term).published().only("title", "slug").order_by("title")
        )

    def with_listing_data(self):
        """Prefetch what article cards show, in a fixed number of queries."""
        return self.prefetch_related("tags")


class Article(RedirectsOldSlugs, LinkedBody):
    """A patient-facing explanation, written in Markdown."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    class PublicationState(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        help_text="The article's address; filled from the title when left blank.",
    )
    summary = models.TextField(
        max_length=600,
        blank=True,
        help_text="One or two sentences shown in lists and search results.",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        "Published",
        null=True,
        blank=True,
        help_text=(
            "Left blank, set to the moment the article is saved as Published. "
            "A future date keeps a published article hidden until then."
        ),
    )
    updated_at = models.DateTimeField(
        "Updated",
        default=timezone.now,
        help_text="When the content last changed in a way readers should know.",
    )
    last_reviewed_on = models.DateField("Last reviewed", null=True, blank=True)
    author = models.CharField(max_length=200, blank=True)
    medical_reviewer = models.CharField(max_length=200, blank=True)
    references = models.ManyToManyField(
        Reference,
        through="ArticleReference",
        related_name="articles",
        blank=True,
    )
    tags = TaggableManager(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    # Saves made in the admin: a form opened at another count is stale.
    edit_count = models.PositiveIntegerField(default=0, editable=False)
    # The rows behind `tags`, kept with each version so a restore brings
    # the tags back.
    tagged_items = GenericRelation(TaggedItem)

    objects = ArticleQuerySet.as_manager()

    mention_label = "Article"

    class Meta:
        # Drafts not yet given a date come last on every database.
        ordering = [F("published_at").desc(nulls_last=True), "title"]
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.title)
        # A draft published weeks after it was begun goes out dated the day
        # it is published, not the day it was started.
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.render_links()
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.store_links()

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        return self.publication_state == self.PublicationState.PUBLISHED

    @property
    def publication_state(self):
        """What readers get: published, scheduled for later, or a draft."""
        if self.status != self.Status.PUBLISHED:
            return self.PublicationState.DRAFT
        if self.published_at and self.published_at > timezone.now():
            return self.PublicationState.SCHEDULED
        return self.PublicationState.PUBLISHED

    def ordered_references(self):
        """The article's references in their editor-set order."""
        return [link.reference for link in self.reference_links.all()]

    def reference_list(self):
        """
        The numbered reference list: cited references in order of first
        citation (Vancouver), then the uncited ones in the editor's order.
        """
        return number_references(self.ordered_references(), self.citations)

    def reference_numbers(self):
        """The number readers see for each listed reference, by its id."""
        return {listed.reference.pk: listed.number for listed in self.reference_list()}

    def attach_cited_references(self):
        """Add references cited in the body but missing from the list."""
        attached = set(self.reference_links.values_list("reference__key", flat=True))
        missing = [key for key in dict.fromkeys(self.citations) if key not in attached]
        if not missing:
            return
        last = self.reference_links.aggregate(Max("position"))["position__max"] or 0
        by_key = Reference.objects.in_bulk(missing, field_name="key")
        ArticleReference.objects.bulk_create(
            ArticleReference(article=self, reference=by_key[key], position=last + n)
            for n, key in enumerate(missing, start=1)
            if key in by_key
        )


class ArticleReference(models.Model):
    """One reference in an article's list, at a position editors choose."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="reference_links"
    )
    reference = models.ForeignKey(
        Reference,
        on_delete=models.PROTECT,
        related_name="article_links",
    )
    position = models.PositiveIntegerField(
        default=0,
        help_text=(
            "Orders only references the body never cites; cited ones are "
            "numbered by their first citation."
        ),
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "article reference"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "reference"], name="unique_reference_per_article"
            )
        ]

    def __str__(self):
        # The admin's inline captions each row with this; the position is
        # not the number readers see (cited references are numbered by
        # first citation), so it is left out.
        return str(self.reference)


class ArticleSlugRedirect(SlugRedirect):
    """An old address of an article, answered with a redirect to it."""

    target = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="slug_redirects"
    )
