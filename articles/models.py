import re
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Case, Max, Q, When
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from taggit.managers import TaggableManager

from glossary import relinking
from glossary.models import LinkedBody, LinkedBodyQuerySet
from portal.slugs import unique_slug

DOI_PATTERN = r"^10\.\d{4,9}/\S+$"
DOI_PREFIXES = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)

validate_doi = RegexValidator(
    DOI_PATTERN,
    "Enter a DOI such as 10.1038/nri2094 (it starts with “10.” and has a slash).",
    code="invalid_doi",
)
validate_pmid = RegexValidator(
    r"^[1-9]\d{0,8}$",
    "Enter a PubMed ID: digits only, such as 17525752.",
    code="invalid_pmid",
)

MONTH_ABBREVIATIONS = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
]  # fmt: skip


def ordinal(number):
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def as_sentence(text):
    """Return `text` ending in one full stop, as citation parts do."""
    text = text.strip()
    return text if not text or text[-1] in ".?!" else text + "."


class ReferenceQuerySet(models.QuerySet):
    def search(self, text):
        """References whose key, authors or title contain `text`."""
        return self.filter(
            Q(key__icontains=text)
            | Q(authors__icontains=text)
            | Q(title__icontains=text)
        )


class Reference(models.Model):
    """A structured citation that articles and glossary terms cite."""

    class Kind(models.TextChoices):
        JOURNAL_ARTICLE = "journal", "Journal article"
        BOOK = "book", "Book"
        BOOK_CHAPTER = "chapter", "Book chapter"
        WEB_PAGE = "web", "Web page"

    key = models.SlugField(
        "Key",
        max_length=80,
        unique=True,
        help_text="Short unique citation key, such as mcinnes-2007.",
    )
    kind = models.CharField(
        "Kind", max_length=10, choices=Kind.choices, default=Kind.JOURNAL_ARTICLE
    )
    authors = models.CharField(
        "Authors",
        max_length=500,
        blank=True,
        help_text="As written in the source, Vancouver style: “McInnes IB, Schett G”.",
    )
    title = models.CharField("Title", max_length=500)
    container = models.CharField(
        "Container",
        max_length=300,
        blank=True,
        help_text="Journal (abbreviated, e.g. “Nat Rev Immunol”), book or website.",
    )
    editors = models.CharField(
        "Editors",
        max_length=500,
        blank=True,
        help_text="For a book chapter: the book's editors, “Klippel JH, Stone JH”.",
    )
    publisher = models.CharField("Publisher", max_length=300, blank=True)
    year = models.PositiveSmallIntegerField("Year", null=True, blank=True)
    month = models.PositiveSmallIntegerField(
        "Month",
        null=True,
        blank=True,
        choices=[(n, name) for n, name in enumerate(MONTH_ABBREVIATIONS, start=1)],
    )
    day = models.PositiveSmallIntegerField("Day", null=True, blank=True)
    edition = models.CharField(
        "Edition", max_length=40, blank=True, help_text="A number (12) or text."
    )
    volume = models.CharField("Volume", max_length=40, blank=True)
    issue = models.CharField("Issue", max_length=40, blank=True)
    pages = models.CharField(
        "Pages", max_length=40, blank=True, help_text="Such as 429-442."
    )
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        validators=[validate_doi],
        help_text="Without the resolver: 10.1038/nri2094.",
    )
    pmid = models.CharField(
        "PMID", max_length=9, blank=True, validators=[validate_pmid]
    )
    url = models.URLField("URL", max_length=500, blank=True)
    accessed_on = models.DateField(
        "Accessed", null=True, blank=True, help_text="When a web page was read."
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["authors", "year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="reference_month_in_range",
            ),
            models.CheckConstraint(
                condition=Q(day__isnull=True) | Q(day__gte=1, day__lte=31),
                name="reference_day_in_range",
            ),
        ]

    def __str__(self):
        lead = self.authors.split(",")[0].strip() if self.authors else self.container
        parts = [part for part in (lead, str(self.year or "")) if part]
        return f"{' '.join(parts)}: {self.title}" if parts else self.title

    def save(self, *args, **kwargs):
        old_key = getattr(self, "_loaded_key", None)
        super().save(*args, **kwargs)
        if old_key != self.key:
            # Bodies citing the new key showed it as unknown, and bodies
            # citing the old one link to an entry that has gone: render both.
            relinking.schedule(texts=[f"@{key}" for key in (old_key, self.key) if key])
        self._loaded_key = self.key

    def get_absolute_url(self):
        return reverse("articles:references") + f"#{self.anchor}"

    @classmethod
    def from_db(cls, db, field_names, values):
        reference = super().from_db(db, field_names, values)
        reference._loaded_key = reference.__dict__.get("key")
        return reference

    def clean_fields(self, exclude=None):
        # Editors paste DOIs as links or with a "doi:" prefix; keep the bare
        # identifier (before the format is checked) so the resolver link is
        # always built the same way.
        self.doi = DOI_PREFIXES.sub("", (self.doi or "").strip())
        self.pmid = (self.pmid or "").strip()
        super().clean_fields(exclude=exclude)

    def clean(self):
        if self.day and not self.month:
            raise ValidationError({"day": "A day needs a month."})
        if self.kind == self.Kind.WEB_PAGE and not self.url:
            raise ValidationError({"url": "A web page reference needs its URL."})

    @property
    def anchor(self):
        return f"ref-{self.key}"

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self):
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    def publication_date(self):
        """`2007 Jun 3`, `2007 Jun` or `2007`, Vancouver style."""
        parts = [str(self.year)] if self.year else []
        if self.year and self.month:
            parts.append(MONTH_ABBREVIATIONS[self.month - 1])
            if self.day:
                parts.append(str(self.day))
        return " ".join(parts)

    def edition_label(self):
        edition = self.edition.strip()
        if not edition:
            return ""
        if edition.isdigit():
            edition = ordinal(int(edition))
        return edition if edition.endswith("ed.") else f"{edition} ed."

    def citation_html(self):
        """
        The reference in one AMA/Vancouver-like style, as safe HTML.

        Every page that shows a reference calls this, so the style is defined
        here once. Each part is escaped; the DOI, PubMed and URL parts link
        out.
        """
        parts = []
        if self.authors:
            parts.append(format_html("{} ", as_sentence(self.authors)))
        date = self.publication_date()
        if self.kind == self.Kind.JOURNAL_ARTICLE:
            parts.append(format_html("{} ", as_sentence(self.title)))
            if self.container:
                parts.append(format_html("<i>{}</i> ", as_sentence(self.container)))
            locator = date
            if self.volume:
                locator += f";{self.volume}"
                if self.issue:
                    locator += f"({self.issue})"
            if self.pages:
                locator += f":{self.pages}"
            if locator:
                parts.append(format_html("{} ", as_sentence(locator)))
        elif self.kind == self.Kind.BOOK:
            parts.append(format_html("<i>{}</i> ", as_sentence(self.title)))
            parts.append(self._book_imprint(date))
        elif self.kind == self.Kind.BOOK_CHAPTER:
            parts.append(format_html("{} In: ", as_sentence(self.title)))
            if self.editors:
                parts.append(format_html("{}, eds. ", self.editors))
            if self.container:
                parts.append(format_html("<i>{}</i> ", as_sentence(self.container)))
            parts.append(self._book_imprint(date))
        else:
            parts.append(format_html("{} ", as_sentence(self.title)))
            if self.container:
                parts.append(format_html("{} ", as_sentence(self.container)))
            if self.publisher and self.publisher != self.container:
                parts.append(format_html("{} ", as_sentence(self.publisher)))
            if date:
                parts.append(format_html("Published {}. ", date))
            if self.accessed_on:
                parts.append(
                    format_html(
                        "Accessed {} {}, {}. ",
                        self.accessed_on.strftime("%B"),
                        self.accessed_on.day,
                        self.accessed_on.year,
                    )
                )
        parts.append(self._identifier_links())
        return mark_safe("".join(parts).strip())

    def _book_imprint(self, date):
        edition = self.edition_label()
        imprint = format_html("{} ", edition) if edition else ""
        if self.publisher or date:
            where = "; ".join(part for part in (self.publisher, date) if part)
            if self.pages:
                where += f":{self.pages}"
            imprint += format_html("{} ", as_sentence(where))
        return imprint

    def _identifier_links(self):
        # AMA ends a DOI or PMID with a full stop but leaves a bare URL
        # without one, so that copying it never picks up the stop.
        links = []
        if self.doi:
            links.append(("doi:", self.doi_url, self.doi, "."))
        if self.pmid:
            links.append(("PMID: ", self.pubmed_url, self.pmid, "."))
        if self.url and (self.kind == self.Kind.WEB_PAGE or not links):
            links.append(("", self.url, self.url, ""))
        return format_html_join(
            " ",
            '{}<a href="{}" rel="noopener noreferrer">{}</a>{}',
            links,
        )


@dataclass
class ListedReference:
    """A reference as a body lists it: number and the places citing it."""

    number: int
    reference: Reference
    citation_ids: list

    @property
    def key(self):
        return self.reference.key


def number_references(attached, citations):
    """
    Number `attached` references (in their listed order) for a body whose
    `citations` are the keys of its [@key] uses, in order.
    """
    first_use = {key: n for n, key in enumerate(dict.fromkeys(citations))}
    uses = Counter(citations)
    ordered = sorted(attached, key=lambda ref: first_use.get(ref.key, len(first_use)))
    return [
        ListedReference(
            number=number,
            reference=reference,
            citation_ids=[
                f"cite-{reference.key}-{use}"
                for use in range(1, uses[reference.key] + 1)
            ],
        )
        for number, reference in enumerate(ordered, start=1)
    ]


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
        Published articles containing every word of `text`, best first:
        matches in the title, then the summary, then only the body.
        Blank input gives no articles.
        """
        words = re.findall(r"\w+", text or "")[:10]
        if not words:
            return self.none()
        matches = self.published()
        for word in words:
            matches = matches.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(body__icontains=word)
            )
        in_title = Q(*(Q(title__icontains=word) for word in words))
        in_summary = Q(*(Q(summary__icontains=word) for word in words))
        return matches.annotate(
            search_rank=Case(
                When(in_title, then=0), When(in_summary, then=1), default=2
            )
        ).order_by("search_rank", "-published_at")

    def with_listing_data(self):
        """Prefetch what article cards show, in a fixed number of queries."""
        return self.prefetch_related("tags")


class Article(LinkedBody):
    """A patient-facing explanation, written in Markdown."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField("Title", max_length=200)
    slug = models.SlugField(
        "Slug",
        max_length=200,
        unique=True,
        blank=True,
        help_text="The article's address; filled from the title when left blank.",
    )
    summary = models.TextField(
        "Summary",
        max_length=600,
        blank=True,
        help_text="One or two sentences shown in lists and search results.",
    )
    status = models.CharField(
        "Status", max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        "Published",
        default=timezone.now,
        help_text="A future date keeps a published article hidden until then.",
    )
    updated_at = models.DateTimeField(
        "Updated",
        default=timezone.now,
        help_text="When the content last changed in a way readers should know.",
    )
    last_reviewed_on = models.DateField("Last reviewed", null=True, blank=True)
    author = models.CharField("Author", max_length=200, blank=True)
    medical_reviewer = models.CharField("Medical reviewer", max_length=200, blank=True)
    references = models.ManyToManyField(
        Reference,
        through="ArticleReference",
        related_name="articles",
        blank=True,
        verbose_name="References",
    )
    tags = TaggableManager("Tags", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "title"]
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.title)
        self.render_links()
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.store_links()

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()
        )

    def ordered_references(self):
        """The article's references in their editor-set order."""
        return [link.reference for link in self.reference_links.all()]

    def reference_list(self):
        """
        The numbered reference list: cited references in order of first
        citation (Vancouver), then the uncited ones in the editor's order.
        """
        return number_references(self.ordered_references(), self.citations)

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
        verbose_name="Reference",
    )
    position = models.PositiveIntegerField("Position", default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "article reference"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "reference"], name="unique_reference_per_article"
            )
        ]

    def __str__(self):
        return f"{self.position}. {self.reference}"
