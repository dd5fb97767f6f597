import calendar
import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import capfirst
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from caching.pages import changed_rows
from editorial.diffs import changed_fields
from editorial.versions import display_name
from glossary.citing import recite
from glossary.figures import re_embed
from glossary.models import (
    LinkedBody,
    LinkedBodyQuerySet,
    RedirectsOldSlugs,
    SlugRedirect,
    Term,
)
from glossary.search import outside_citations, text_word_patterns
from glossary.slugs import unique_slug
from images.embedding import EMBED_SCHEME
from references.citations import number_references
from references.models import Reference

# How many related articles an article page lists.
RELATED_ARTICLES_LIMIT = 5


def count_of(rows, field):
    """
    A subquery: how many of `rows` there are whose `field` is the outer
    row's primary key; 0 when none.
    """
    counted = (
        rows.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(count=Count("*"))
    )
    return Coalesce(Subquery(counted.values("count")), 0)


class ArticleQuerySet(LinkedBodyQuerySet):
    def published(self):
        """Articles a visitor may read: published, and the date has come."""
        return self.filter(
            status=Article.Status.PUBLISHED, published_at__lte=timezone.now()
        )

    def next_publication_time(self):
        """When the next scheduled article comes due, or None."""
        return (
            self.filter(
                status=Article.Status.PUBLISHED, published_at__gt=timezone.now()
            )
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )

    def archived(self):
        """Articles taken off the site; their addresses answer 410 Gone."""
        return self.filter(status=Article.Status.ARCHIVED)

    def visible_to(self, user):
        """Published articles, plus every other state for staff."""
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

    def related_to(self, article, limit=RELATED_ARTICLES_LIMIT):
        """
        Published articles other than `article` that mention a glossary
        term it mentions or have a tag it has: the most shared first (a
        term and a tag count alike), then the most recently updated, at
        most `limit`, each annotated `shared`. Articles sharing nothing are
        left out. One query: the article's own terms and tags are read
        inside it.
        """
        mentions = Article.mentioned_terms.through.objects
        its_terms = mentions.filter(article_id=article.pk).values("term_id")
        tagged = TaggedItem.objects.filter(
            content_type__app_label=Article._meta.app_label,
            content_type__model=Article._meta.model_name,
        )
        its_tags = tagged.filter(object_id=article.pk).values("tag_id")
        shared_terms = mentions.filter(term_id__in=its_terms)
        shared_tags = tagged.filter(tag_id__in=its_tags)
        return (
            self.published()
            .exclude(pk=article.pk)
            .filter(
                Q(pk__in=shared_terms.values("article_id"))
                | Q(pk__in=shared_tags.values("object_id"))
            )
            .annotate(
                shared=count_of(shared_terms, "article_id")
                + count_of(shared_tags, "object_id")
            )
            .order_by("-shared", "-updated_at", "title")[:limit]
        )

    def with_listing_data(self):
        """Prefetch what article cards show, in a fixed number of queries."""
        return self.prefetch_related("tags")

    def with_changes_waiting_flag(self):
        """Each article annotated `has_changes_waiting` (a pending revision)."""
        return self.annotate(
            has_changes_waiting=Exists(
                PendingRevision.objects.filter(article=OuterRef("pk"))
            )
        )

    def review_due(self, today=None):
        """
        Published articles (scheduled ones included) whose medical review is
        due: never reviewed, first, then those last reviewed
        PORTAL_REVIEW_INTERVAL_MONTHS or more before `today`, oldest review
        first. Drafts and archived articles are left out.
        """
        cutoff = months_before(
            today or timezone.localdate(), settings.PORTAL_REVIEW_INTERVAL_MONTHS
        )
        return (
            self.filter(status=Article.Status.PUBLISHED)
            .filter(Q(last_reviewed_on__isnull=True) | Q(last_reviewed_on__lte=cutoff))
            .select_related("medical_reviewer")
            .order_by(F("last_reviewed_on").asc(nulls_first=True), "title")
        )


class Article(RedirectsOldSlugs, LinkedBody):
    """A patient-facing explanation, written in Markdown."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    class PublicationState(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

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
        "Publish at",
        null=True,
        blank=True,
        help_text=(
            "Left blank, set to the moment the article is saved as Published. "
            "A future date schedules it: readers see it from then on."
        ),
    )
    updated_at = models.DateTimeField(
        "Updated",
        default=timezone.now,
        help_text="When the content last changed in a way readers should know.",
    )
    last_reviewed_on = models.DateField(
        "Last reviewed",
        null=True,
        blank=True,
        help_text="Set when a medical reviewer records a review.",
    )
    author = models.CharField(max_length=200, blank=True)
    medical_reviewer = models.ForeignKey(
        "Reviewer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        help_text="Who last reviewed the article medically.",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="last approved by",
    )
    approved_at = models.DateTimeField("last approved", null=True, blank=True)
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
        permissions = [
            (
                "publish_article",
                "Can publish, approve, archive and schedule articles",
            ),
            ("review_article", "Can record a medical review of articles"),
        ]

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
        """
        What readers get: published, scheduled for later, or nothing yet (a
        draft or one in review) or any more (archived).
        """
        if self.status != self.Status.PUBLISHED:
            return self.PublicationState(self.status)
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

    def set_reference_list(self, pairs):
        """
        Make the article's reference list exactly `pairs` of (reference id,
        position). A reference deleted since the pairs were taken is left
        out.
        """
        wanted = dict(pairs)
        present = set(
            Reference.objects.filter(pk__in=wanted).values_list("pk", flat=True)
        )
        self.reference_links.exclude(reference_id__in=present).delete()
        for reference_id in present:
            ArticleReference.objects.update_or_create(
                article=self,
                reference_id=reference_id,
                defaults={"position": wanted[reference_id]},
            )

    # The publishing workflow: edits to a published article wait, as one
    # pending revision, until a publisher approves them.

    @cached_property
    def waiting_revision(self):
        """
        The edits waiting for approval (PendingRevision), or None. Read once
        per instance: the change form, its reference rows and its edit
        token all ask for it.
        """
        if self.pk is None:
            return None
        return (
            PendingRevision.objects.filter(article=self)
            .select_related("edited_by")
            .first()
        )

    @property
    def edits_need_approval(self):
        """
        Whether an edit must wait for a publisher before it reaches readers:
        true of a published article, scheduled ones included, since a
        publisher approved what they will show.
        """
        return self.status == self.Status.PUBLISHED

    def revisable_content(self):
        """The article's content as a pending revision holds it."""
        return revision_content(
            {name: getattr(self, name) for name in REVISED_FIELDS},
            self.tags.names(),
            self.reference_links.values_list("reference_id", "position"),
        )

    def apply_content(self, content):
        """
        Make `content` (see revision_content) the article's through its
        normal save, so the body is linked again, an old slug redirects and
        save signals fire.
        """
        for name in REVISED_FIELDS:
            setattr(self, name, content[name])
        self.updated_at = datetime.datetime.fromisoformat(content["updated_at"])
        with transaction.atomic():
            self.save()
            self.tags.set(content["tags"])
            self.set_reference_list(content["references"])
            # A cited reference the new list leaves out is attached again,
            # as after an admin save.
            self.attach_cited_references()

    def mark_approved(self, user):
        """Record on the instance that `user` put its content live now."""
        self.approved_by = user
        self.approved_at = timezone.now()

    def mark_medically_reviewed(self, user):
        """Record on the instance that `user` reviewed it medically today."""
        self.medical_reviewer = Reviewer.objects.for_user(user)
        self.last_reviewed_on = timezone.localdate()

    def hold_changes(self, content, user):
        """
        Keep `content` as the article's one pending revision, edited by
        `user`, leaving what readers see as it is; return the revision, or
        None when `content` is the live content (the pending revision, if
        any, is then dropped: nothing waits any more).
        """
        with transaction.atomic():
            live = Article.objects.select_for_update().get(pk=self.pk)
            pending = PendingRevision.objects.filter(article=live)
            if content == live.revisable_content():
                pending.delete()
                return None
            revision = pending.first()
            if revision is None:
                revision = PendingRevision(article=live)
                revision.keep(content, user)
                revision.save()
                return revision
            if revision.content != content:
                revision.edited_at = timezone.now()
                # The article's row lock orders the saves of one revision.
                revision.save_count += 1
                revision.keep(content, user)
                revision.save()
            return revision

    def publish_changes(self, user, seen_save_count, medically_reviewed=False):
        """
        Put the pending revision live as approved by `user`, as it was when
        they saw it (`seen_save_count`), recording their medical review if
        `medically_reviewed`; the revision is deleted. Raises ChangeRefused
        when nothing waits, the revision was edited again meanwhile, or its
        address has been taken by another article.
        """
        with transaction.atomic():
            live = Article.objects.select_for_update().get(pk=self.pk)
            revision = live.pending_revision_seen(seen_save_count)
            slug = revision.content["slug"]
            other = Article.objects.exclude(pk=live.pk).filter(slug=slug).first()
            if other is not None:
                raise ChangeRefused(
                    f"Not published: another article, “{other}”, now uses the "
                    f"address {slug}. Open the article, change its slug and "
                    "save it again."
                )
            live.mark_approved(user)
            if medically_reviewed:
                live.mark_medically_reviewed(user)
            # An edit like any other: forms opened before it are stale.
            live.edit_count += 1
            live.apply_content(revision.content)
            revision.delete()
            return live

    def discard_changes(self, seen_save_count):
        """Delete the pending revision as it was seen; see publish_changes."""
        with transaction.atomic():
            live = Article.objects.select_for_update().get(pk=self.pk)
            live.pending_revision_seen(seen_save_count).delete()

    def pending_revision_seen(self, seen_save_count):
        """
        The pending revision, locked, if it is still the one seen at
        `seen_save_count` saves; ChangeRefused otherwise, so that no one
        approves or discards text they have not read.
        """
        revision = (
            PendingRevision.objects.select_for_update().filter(article=self).first()
        )
        if revision is None:
            raise ChangeRefused(
                "No changes are waiting: someone else has already published or "
                "discarded them."
            )
        if str(revision.save_count) != str(seen_save_count):
            raise ChangeRefused(
                "The changes were edited again since this page was opened; "
                "read them again below before deciding."
            )
        return revision

    def record_medical_review(self, user):
        """
        Record that `user` has reviewed the live article medically today.
        Refused (ChangeRefused) unless it is published with nothing
        waiting: the review must be of what readers see.
        """
        with transaction.atomic():
            live = Article.objects.select_for_update().get(pk=self.pk)
            if live.status != self.Status.PUBLISHED:
                raise ChangeRefused(
                    "Only a published article's medical review can be recorded."
                )
            if PendingRevision.objects.filter(article=live).exists():
                raise ChangeRefused(
                    "Changes are waiting for approval: review them and tick "
                    "“I have reviewed this medically” when publishing them."
                )
            live.mark_medically_reviewed(user)
            # Only the review is recorded; the content and its dates stay.
            Article.objects.filter(pk=live.pk).update(
                medical_reviewer=live.medical_reviewer,
                last_reviewed_on=live.last_reviewed_on,
            )
            changed_rows(Article, [live.pk])
            return live


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


# What an edit of a published article may change, held in a pending
# revision until a publisher approves it; besides these, its tags and its
# reference list. Status, dates of publication and review, and the medical
# reviewer are set by the workflow itself.
REVISED_FIELDS = ["title", "slug", "summary", "body", "author", "updated_at"]


def revision_content(values, tags, references):
    """
    An article's content as JSON for a pending revision: `values` maps each
    of REVISED_FIELDS to its value, `tags` are names, and `references`
    (reference id, position) pairs. Equal content gives an equal result
    whatever order the tags and rows come in.
    """
    # Browsers send a textarea's lines ending in CRLF, files and code in
    # LF, and the admin's form strips a text's outer whitespace (a body
    # loaded from a file ends in a newline); the same text must compare
    # equal, and diff as unchanged.
    content = {}
    for name in REVISED_FIELDS:
        value = values[name]
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").strip()
        content[name] = value
    # To the second, as the admin's form shows it.
    updated_at = values["updated_at"].astimezone(datetime.UTC).replace(microsecond=0)
    content["updated_at"] = updated_at.isoformat()
    content["tags"] = sorted(set(tags), key=lambda name: (name.casefold(), name))
    content["references"] = sorted(
        ([int(reference), int(position or 0)] for reference, position in references),
        key=lambda pair: (pair[1], pair[0]),
    )
    return content


class ChangeRefused(Exception):
    """A workflow step that cannot be taken; the message says why."""


def months_before(day, months):
    """
    The date `months` calendar months before `day`; a day the earlier
    month lacks (the 31st, 29 February) becomes its last day.
    """
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return day.replace(year=year, month=month_index + 1, day=min(day.day, last_day))


class ReviewerQuerySet(models.QuerySet):
    def for_user(self, user):
        """The reviewer record of `user`, made from their name on first use."""
        reviewer, __ = self.get_or_create(
            user=user,
            defaults={"name": display_name(user)},
        )
        return reviewer


class Reviewer(models.Model):
    """Someone who reviews articles medically, named as readers see them."""

    name = models.CharField(
        max_length=200, help_text="As readers see it, with any title: Dr Jane Roe."
    )
    credentials = models.CharField(
        max_length=200,
        blank=True,
        help_text="Shown after the name: MD, FRCP.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewer",
        help_text="The account whose recorded reviews name this reviewer.",
    )

    objects = ReviewerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class PendingRevisionQuerySet(models.QuerySet):
    def re_embed(self, old_slug, new_slug):
        """
        Make every pending revision whose body embeds the image `old_slug`
        embed `new_slug` instead; see rewrite_bodies.
        """
        return self.rewrite_bodies(
            f"{EMBED_SCHEME}{old_slug}",
            lambda body: re_embed(body, old_slug, new_slug),
        )

    def recite(self, old_key, new_key):
        """
        Make every pending revision whose body cites the reference `old_key`
        cite `new_key` instead; see rewrite_bodies.
        """
        return self.rewrite_bodies(
            f"@{old_key}", lambda body: recite(body, old_key, new_key)
        )

    def rewrite_bodies(self, text, rewrite):
        """
        In the caller's transaction: `rewrite` the body of every pending
        revision containing `text` (in any case), so that approving it
        later does not bring back a slug or key that has changed; return
        the (model label, primary key) of each article changed.

        The revisions are locked as they are read, as the live bodies are
        (glossary.relinking.rewrite_bodies). Their editor and save count
        stay: the edit a publisher approves is the one they read.
        """
        waiting = self.select_for_update().filter(content__body__icontains=text)
        changed = []
        for revision in waiting:
            body = rewrite(revision.content["body"])
            if body != revision.content["body"]:
                self.filter(pk=revision.pk).update(
                    content={**revision.content, "body": body}
                )
                changed.append((Article._meta.label, revision.article_id))
        return changed


class PendingRevision(models.Model):
    """
    Edits to a published article that readers do not see yet: one per
    article, updated by every later edit, until a publisher approves or
    discards it.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="pending_revision"
    )
    # See revision_content().
    content = models.JSONField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="last edited by",
    )
    edited_at = models.DateTimeField("last edited", default=timezone.now)
    # Counts the edits, so that a publisher approves only the text read.
    save_count = models.PositiveIntegerField(default=1, editable=False)
    # The content as each of the last saves left it, by save count: what a
    # change form opened at that count showed, so that a refused save can
    # be told what changed since and keep another editor's changes.
    saved_contents = models.JSONField(default=dict, editable=False)

    # Who wrote the waiting changes, by name, in the order they began:
    # the history of the approval names them beside the publisher.
    editor_names = models.JSONField(default=list, editable=False)

    # Saves kept in saved_contents; a form open across more is rare.
    KEPT_SAVES = 20

    objects = PendingRevisionQuerySet.as_manager()

    def __str__(self):
        return f"Changes waiting to “{self.article}”"

    def editor_name(self):
        """Who edited it last, as colleagues know them."""
        if self.edited_by is None:
            return "a deleted user"
        return display_name(self.edited_by)

    def keep(self, content, user):
        """
        Make `content`, edited by `user`, the revision's, kept as this save
        count's too.
        """
        self.edited_by = user
        name = display_name(user)
        if name not in self.editor_names:
            self.editor_names = [*self.editor_names, name]
        self.content = content
        kept = {**self.saved_contents, str(self.save_count): content}
        latest = sorted(kept, key=int)[-self.KEPT_SAVES :]
        self.saved_contents = {count: kept[count] for count in latest}

    def content_at(self, save_count):
        """The content as save number `save_count` left it, if still kept."""
        return self.saved_contents.get(str(save_count))

    def changes(self, since=None):
        """
        Each field that differs, with a word diff, between `since` (a
        content; by default the live article's) and the waiting content.
        """
        labels = {
            name: capfirst(Article._meta.get_field(name).verbose_name)
            for name in REVISED_FIELDS
        }
        labels["tags"] = "Tags"
        labels["references"] = "References"
        return changed_fields(
            readable_content(since or self.article.revisable_content()),
            readable_content(self.content),
            labels,
        )


def readable_content(content):
    """`content` (see revision_content) as text an editor reads in a diff."""
    references = Reference.objects.in_bulk(
        [reference for reference, __ in content["references"]]
    )
    updated_at = datetime.datetime.fromisoformat(content["updated_at"])
    return {
        **content,
        "updated_at": date_format(timezone.localtime(updated_at), "DATETIME_FORMAT"),
        "references": [
            f"{position}. {references.get(reference, 'A deleted reference')}"
            for reference, position in content["references"]
        ],
    }
