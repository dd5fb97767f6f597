from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, F, Max, Q, When
from django.db.models.functions import Lower
from django.urls import reverse
from taggit.managers import TaggableManager

from articles.markup import render_markdown
from portal.slugs import unique_slug

ALIAS_MAX_LENGTH = 200


def split_aliases(text):
    """
    Return the aliases typed one per line, stripped and without repeats.

    Repeats are compared case-insensitively; the first spelling typed wins.
    """
    seen, aliases = set(), []
    for line in (text or "").splitlines():
        alias = " ".join(line.split())
        if alias and alias.casefold() not in seen:
            seen.add(alias.casefold())
            aliases.append(alias)
    return aliases


class TermQuerySet(models.QuerySet):
    def alphabetical(self):
        return self.order_by(Lower("name"), "pk")

    def of_kind(self, kind):
        return self.filter(kind=kind) if kind else self

    def search(self, text):
        """
        Terms whose name or an alias contains `text`, exact matches first.
        Blank input gives no terms.
        """
        text = " ".join((text or "").split())
        if not text:
            return self.none()
        matches = Q(name__icontains=text) | Q(alias_rows__name__icontains=text)
        exact = Q(name__iexact=text) | Q(alias_rows__name__iexact=text)
        return (
            self.filter(matches)
            .annotate(is_exact=Max(Case(When(exact, then=1), default=0)))
            .order_by("-is_exact", Lower("name"))
        )


class Term(models.Model):
    """A glossary entry: a cytokine, a drug, a disease or a concept."""

    class Kind(models.TextChoices):
        CYTOKINE = "cytokine", "Cytokine"
        CYTOKINE_FAMILY = "cytokine-family", "Cytokine family"
        DRUG = "drug", "Drug"
        DRUG_CLASS = "drug-class", "Drug class"
        DISEASE = "disease", "Disease"
        CELL = "cell", "Cell"
        CONCEPT = "concept", "Concept"

    name = models.CharField("Name", max_length=200, unique=True)
    slug = models.SlugField(
        "Slug",
        max_length=200,
        unique=True,
        blank=True,
        help_text="The term's address; filled from the name when left blank.",
    )
    kind = models.CharField(
        "Kind", max_length=20, choices=Kind.choices, default=Kind.CONCEPT
    )
    aliases = models.TextField(
        "Aliases",
        blank=True,
        help_text=(
            "One per line: brand names, abbreviations and other spellings "
            "(Humira; TNF-α; TNF-alpha)."
        ),
    )
    definition = models.TextField(
        "Definition",
        max_length=500,
        help_text="One or two plain sentences, shown in previews and results.",
    )
    body = models.TextField(
        "Body", blank=True, help_text="Optional longer text in Markdown."
    )
    body_html = models.TextField(editable=False, blank=True)
    tags = TaggableManager("Tags", blank=True)
    references = models.ManyToManyField(
        "articles.Reference",
        related_name="terms",
        blank=True,
        verbose_name="References",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        self.aliases = "\n".join(split_aliases(self.aliases))
        self.body_html = render_markdown(self.body)
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.sync_alias_rows()

    def get_absolute_url(self):
        return reverse("glossary:detail", kwargs={"slug": self.slug})

    def clean(self):
        too_long = [a for a in split_aliases(self.aliases) if len(a) > ALIAS_MAX_LENGTH]
        if too_long:
            message = f"Each alias must be at most {ALIAS_MAX_LENGTH} characters."
            raise ValidationError({"aliases": message})

    @property
    def alias_list(self):
        return split_aliases(self.aliases)

    @property
    def index_letter(self):
        """The A–Z heading the term is listed under; "#" for digits and signs."""
        first = self.name[:1].upper()
        return first if first.isalpha() and first.isascii() else "#"

    def relation_groups(self):
        """
        Relations in both directions, grouped by label and sorted by name:
        [("inhibited by", [adalimumab, etanercept, infliximab]), ...].
        Uses the prefetched `relations` and `incoming_relations`.
        """
        groups = {}
        for relation in self.relations.all():
            groups.setdefault(relation.get_kind_display(), []).append(relation.target)
        for relation in self.incoming_relations.all():
            groups.setdefault(relation.inverse_label, []).append(relation.source)
        return [
            (label, sorted(terms, key=lambda term: term.name.casefold()))
            for label, terms in groups.items()
        ]

    def sync_alias_rows(self):
        """Make the Alias rows match the aliases typed in the form."""
        wanted = self.alias_list
        self.alias_rows.exclude(name__in=wanted).delete()
        existing = set(self.alias_rows.values_list("name", flat=True))
        Alias.objects.bulk_create(
            Alias(term=self, name=name) for name in wanted if name not in existing
        )


class Alias(models.Model):
    """
    One alias of a term, kept as its own row so search and linking can match
    each alias. Written by `Term.save()` from the editor's one-per-line text.
    """

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="alias_rows")
    name = models.CharField(max_length=ALIAS_MAX_LENGTH)

    class Meta:
        ordering = ["term", "pk"]
        verbose_name_plural = "aliases"
        constraints = [
            models.UniqueConstraint(
                fields=["term", "name"], name="unique_alias_per_term"
            )
        ]

    def __str__(self):
        return f"{self.name} → {self.term}"


class TermRelation(models.Model):
    """A typed link between two terms: adalimumab *inhibits* TNF-alpha."""

    class Kind(models.TextChoices):
        INHIBITS = "inhibits", "inhibits"
        KIND_OF = "kind-of", "is a kind of"
        TREATS = "treats", "treats"
        RELATED_TO = "related-to", "related to"

    INVERSE_LABELS = {
        Kind.INHIBITS: "inhibited by",
        Kind.KIND_OF: "includes",
        Kind.TREATS: "treated by",
        Kind.RELATED_TO: "related to",
    }

    source = models.ForeignKey(
        Term, on_delete=models.CASCADE, related_name="relations", verbose_name="Term"
    )
    kind = models.CharField(
        "Relation", max_length=20, choices=Kind.choices, default=Kind.RELATED_TO
    )
    target = models.ForeignKey(
        Term,
        on_delete=models.CASCADE,
        related_name="incoming_relations",
        verbose_name="Related term",
    )

    class Meta:
        ordering = ["source", "kind", "target"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "target"], name="unique_term_relation"
            ),
            models.CheckConstraint(
                condition=~Q(source=F("target")), name="term_relation_not_to_itself"
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.get_kind_display()} {self.target}"

    def clean(self):
        if self.source_id and self.source_id == self.target_id:
            raise ValidationError({"target": "A term cannot be related to itself."})

    @property
    def inverse_label(self):
        return self.INVERSE_LABELS[self.kind]
