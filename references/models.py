"""
References: structured citations that articles and glossary terms cite,
and the one citation style every page shows them in.
"""

import calendar
import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from editorial.links import doi_address, link_or_text, pubmed_address
from references.signals import key_changed

DOI_PATTERN = r"^10\.\d{4,9}/\S+$"
DOI_PREFIXES = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
# "PMID: 17525752" as PubMed shows it, or the address of its page
# (pubmed.ncbi.nlm.nih.gov/17525752/ or the older www.ncbi.nlm.nih.gov/pubmed/).
PMID_PASTED = re.compile(
    r"^(?:pmid:?\s*"
    r"|(?:https?://)?(?:pubmed\.ncbi\.nlm\.nih\.gov|www\.ncbi\.nlm\.nih\.gov/pubmed)/)"
    r"(\d+)/?(?:[?#].*)?$",
    re.IGNORECASE,
)

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
# Django's URL check also lets ftp:// through, which no page links to.
validate_web_address = URLValidator(
    schemes=["http", "https"],
    message="Enter a web address starting with http:// or https://.",
    # Its own code: "invalid" would give the field's "Enter a valid URL."
    code="not_web_address",
)

# The earliest publication year accepted: that of the first printed books.
FIRST_PRINTED_YEAR = 1450

MONTH_NAMES = list(calendar.month_name)[1:]
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
    def incomplete(self):
        """
        References saved without a detail their kind needs to be found
        again (a web page without its URL), for editors to complete.
        """
        return self.filter(kind=Reference.Kind.WEB_PAGE, url="")


class Reference(models.Model):
    """A structured citation that articles and glossary terms cite."""

    class Kind(models.TextChoices):
        JOURNAL_ARTICLE = "journal", "Journal article"
        BOOK = "book", "Book"
        BOOK_CHAPTER = "chapter", "Book chapter"
        WEB_PAGE = "web", "Web page"

    key = models.SlugField(
        max_length=80,
        unique=True,
        help_text="Short unique citation key, such as mcinnes-2007.",
    )
    kind = models.CharField(
        max_length=10, choices=Kind.choices, default=Kind.JOURNAL_ARTICLE
    )
    authors = models.CharField(
        max_length=500,
        blank=True,
        help_text="As written in the source, Vancouver style: “McInnes IB, Schett G”.",
    )
    title = models.CharField(max_length=500)
    container = models.CharField(
        max_length=300,
        blank=True,
        help_text="Journal (abbreviated, e.g. “Nat Rev Immunol”), book or website.",
    )
    editors = models.CharField(
        max_length=500,
        blank=True,
        help_text="For a book chapter: the book's editors, “Klippel JH, Stone JH”.",
    )
    publisher = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    month = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=[(n, name) for n, name in enumerate(MONTH_ABBREVIATIONS, start=1)],
    )
    day = models.PositiveSmallIntegerField(null=True, blank=True)
    edition = models.CharField(
        max_length=40, blank=True, help_text="A number (12) or text."
    )
    volume = models.CharField(max_length=40, blank=True)
    issue = models.CharField(max_length=40, blank=True)
    pages = models.CharField(max_length=40, blank=True, help_text="Such as 429-442.")
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        validators=[validate_doi],
        help_text="Without the resolver: 10.1038/nri2094.",
    )
    # Long enough for a pasted PubMed address; only the digits are kept.
    pmid = models.CharField(
        "PMID",
        max_length=200,
        blank=True,
        validators=[validate_pmid],
        help_text="Digits, “PMID: 17525752” or the PubMed address; digits are kept.",
    )
    url = models.URLField(
        "URL", max_length=500, blank=True, validators=[validate_web_address]
    )
    accessed_on = models.DateField(
        "Accessed", null=True, blank=True, help_text="When a web page was read."
    )
    # Saves made in the admin: a form opened at another count is stale.
    edit_count = models.PositiveIntegerField(default=0, editable=False)

    objects = ReferenceQuerySet.as_manager()

    # The key this row had when it was read; see from_db().
    key_as_loaded = None
    # After a save that changed the key: the old key and how many bodies
    # citing it were rewritten to cite the new one.
    rekeyed_from = ""
    rekeyed_body_count = 0

    class Meta:
        # The table predates this app: references began in `articles`.
        db_table = "articles_reference"
        ordering = ["authors", "year", "title"]
        constraints = [
            # Citations are typed by hand ([@McInnes-2007]), so two keys
            # differing only in case would be one key to an editor.
            # validate_constraints() reports a clash on the key field.
            models.UniqueConstraint(
                Lower("key"), name="reference_key_unique_ignoring_case"
            ),
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
        old_key = self.key_as_loaded
        with transaction.atomic():
            super().save(*args, **kwargs)
            # The citations move with the key in the same transaction, so
            # that no reader ever sees a body citing a key that has gone.
            if old_key and old_key != self.key:
                replies = key_changed.send(
                    sender=type(self), reference=self, old_key=old_key
                )
                self.rekeyed_from = old_key
                self.rekeyed_body_count = sum(count or 0 for _, count in replies)
        self.key_as_loaded = self.key

    def get_absolute_url(self):
        return reverse("references:list") + f"#{self.anchor}"

    @classmethod
    def from_db(cls, db, field_names, values):
        reference = super().from_db(db, field_names, values)
        # Bodies cite references by key: a save that changes the key must
        # re-render the bodies citing the old and the new one.
        reference.key_as_loaded = reference.__dict__.get("key")
        return reference

    def clean_fields(self, exclude=None):
        # Editors paste DOIs as links or with a "doi:" prefix; keep the bare
        # identifier (before the format is checked) so the resolver link is
        # always built the same way.
        self.doi = DOI_PREFIXES.sub("", (self.doi or "").strip())
        self.pmid = (self.pmid or "").strip()
        pasted = PMID_PASTED.match(self.pmid)
        if pasted:
            self.pmid = pasted[1]
        super().clean_fields(exclude=exclude)

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.year is not None and not (
            FIRST_PRINTED_YEAR <= self.year <= today.year + 1
        ):
            # Works in press carry next year's date; nothing printed is
            # older than the printing press.
            errors["year"] = (
                f"Enter a publication year from {FIRST_PRINTED_YEAR} to "
                f"{today.year + 1}."
            )
        if self.accessed_on and self.accessed_on > today:
            errors["accessed_on"] = (
                "A page cannot have been read after today: enter the date it "
                f"was read, {today:%Y-%m-%d} or earlier."
            )
        if self.day and not self.month:
            errors["day"] = "A day needs a month."
        elif self.month and self.day:
            # Without a year, 29 February is possible (a leap year).
            days_in_month = calendar.monthrange(self.year or 2000, self.month)[1]
            if self.day > days_in_month:
                month = " ".join(
                    str(part)
                    for part in (MONTH_NAMES[self.month - 1], self.year)
                    if part
                )
                errors["day"] = (
                    f"There is no day {self.day} in {month}: "
                    f"it has {days_in_month} days."
                )
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        # A key repeated in other capitals is reported on the key field,
        # naming the reference that has it; the database constraint remains
        # the guard. An exact repeat is the key's own unique check.
        clash = None
        if self.key and "key" not in (exclude or ()):
            clash = (
                Reference.objects.exclude(pk=self.pk)
                .filter(key__iexact=self.key)
                .exclude(key=self.key)
                .values_list("key", flat=True)
                .first()
            )
        errors = {}
        try:
            super().validate_constraints(exclude={*(exclude or ()), "key"})
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if clash:
            errors.setdefault("key", []).append(
                ValidationError(
                    "A reference with this key already exists; keys ignore "
                    f"case, so “{self.key}” and “{clash}” are one key.",
                    code="unique",
                )
            )
        if errors:
            raise ValidationError(errors)

    @property
    def missing_details(self):
        """Labels of what `ReferenceQuerySet.incomplete` finds missing."""
        return ["URL"] if self.kind == self.Kind.WEB_PAGE and not self.url else []

    @property
    def anchor(self):
        return f"ref-{self.key}"

    @property
    def doi_url(self):
        return doi_address(self.doi)

    @property
    def pubmed_url(self):
        return pubmed_address(self.pmid)

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
        # without one, so that copying it never picks up the stop. A URL
        # that is no web address (imported, say) is shown as text.
        links = []
        if self.doi:
            links.append(format_html("doi:{}.", link_or_text(self.doi_url, self.doi)))
        if self.pmid:
            links.append(
                format_html("PMID: {}.", link_or_text(self.pubmed_url, self.pmid))
            )
        if self.url and (self.kind == self.Kind.WEB_PAGE or not links):
            links.append(link_or_text(self.url))
        return mark_safe(" ".join(links))
