import uuid
from collections.abc import Sequence

from django.apps import apps
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from caching.pages import changed_rows
from glossary.citing import cited_keys_in
from glossary.figures import EmbeddedImage, image_problem_label
from glossary.limits import ALIAS_MAX_LENGTH, alias_count_problem, body_problems
from glossary.linking import (
    BodyLinker,
    Matcher,
    TermInfo,
    explicit_link_keys,
    lookup_key,
)
from glossary.markup import RENDERING_VERSION, render_body
from glossary.normalise import (
    INDEX_KEY_LENGTH,
    INDEX_LETTERS,
    index_key,
    index_letter,
    is_case_sensitive,
    is_common_word,
)
from glossary.search import (
    RESULT_LIMIT,
    closest_names,
    compact,
    find_answer,
    normalise_words,
    read_lookalikes,
)
from glossary.slugs import unique_slug
from images.embedding import slugs_in
from images.models import Image
from references.citations import number_references
from references.models import Reference


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


def could_link_ordinary_text(text):
    """
    Whether a name or alias is an everyday English word typed so that it
    would match the word in ordinary text: "as", "All", "The", not "AS".
    """
    return is_common_word(text) and not is_case_sensitive(text)


class LinkedBodyQuerySet(models.QuerySet):
    def outdated(self):
        """Rows rendered by older rules than the current RENDERING_VERSION."""
        return self.filter(rendering_version__lt=RENDERING_VERSION)

    def with_link_problems(self):
        """
        Rows whose body has an unresolved [[link]], an unknown [@key] or an
        image that is not shown.
        """
        return self.exclude(
            unresolved_links=[], unknown_citations=[], image_problems=[]
        )

    def mentioning(self, term):
        """
        Bodies that link to `term`, for its "Mentioned in" list; subclasses
        leave out what readers may not see and set the order.
        """
        return self.filter(mentioned_terms=term)


class LinkedBody(models.Model):
    """
    A Markdown body rendered once, at save, with glossary links and
    numbered citations; what could not be resolved is kept for the admin.

    Every concrete subclass is found by `linked_body_models()`, so the
    relinker re-renders it when the glossary or a reference changes.
    """

    body = models.TextField(
        blank=True,
        help_text=(
            "Markdown (CommonMark). Glossary terms link themselves on first "
            "mention; [[Name]] or [[Name|shown text]] links a term anywhere; "
            "[@key] or [@key1; @key2] cites references, [@key, p. 4] a page "
            "of one."
        ),
    )
    body_html = models.TextField(editable=False, blank=True)
    citations = models.JSONField(
        default=list, editable=False, help_text="Every [@key] use, in order."
    )
    unresolved_links = models.JSONField(default=list, editable=False)
    unknown_citations = models.JSONField(default=list, editable=False)
    # [kind, text] for each image not shown: ["missing", slug] for an
    # `image:slug` no image has, ["external", address] for any other.
    image_problems = models.JSONField(default=list, editable=False)
    # The rules `body_html` was rendered by (glossary.markup.RENDERING_VERSION).
    rendering_version = models.PositiveSmallIntegerField(default=0, editable=False)
    # The glossary it was rendered against (GlossaryVersion): a render
    # against an older glossary never replaces one against a newer.
    linked_version = models.PositiveBigIntegerField(default=0, editable=False)
    # The terms this body links to, kept at save so that a term's
    # "Mentioned in" list and the relinker look them up, never scan bodies.
    mentioned_terms = models.ManyToManyField(
        "glossary.Term",
        symmetrical=False,
        related_name="mentioned_in_%(class)ss",
        blank=True,
        editable=False,
    )
    # The uploaded images the body shows, kept at save so that an image's
    # change re-renders them and its admin page lists them.
    embedded_images = models.ManyToManyField(
        "images.Image",
        related_name="embedded_in_%(class)ss",
        blank=True,
        editable=False,
    )

    # How a "Mentioned in" list names this kind of body.
    mention_label = ""

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        """
        Besides each field's own checks, refuse a body over the limits of
        glossary/limits.py, found by cheap scans before anything renders it.
        """
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "body" not in (exclude or ()) and "body" not in errors:
            problems = body_problems(self.body)
            if problems:
                errors["body"] = problems
        if errors:
            raise ValidationError(errors)

    @property
    def image_problem_labels(self):
        """How the admin names each image the body could not show."""
        return [image_problem_label(problem) for problem in self.image_problems]

    def render_links(self):
        """Render the body against the current glossary and references."""
        # Keys are cited without regard to case: [@McInnes-2007] cites the
        # reference keyed mcinnes-2007, and the linker records that key.
        folded_keys = {key.lower() for key in cited_keys_in(self.body)}
        known = (
            Reference.objects.annotate(folded_key=Lower("key"))
            .filter(folded_key__in=folded_keys)
            .values_list("key", flat=True)
            if folded_keys
            else ()
        )
        version, matcher = current_matcher()
        # Read after the version, so that a render stored as made against
        # it shows every image change counted up to it.
        images = embeddable_images(self.body)
        linker = BodyLinker(
            matcher, known, self_term_id=self.linking_self_id(), images=images
        )
        self.body_html = render_body(self.body, linker)
        self.rendering_version = RENDERING_VERSION
        self.linked_version = version
        self.citations = linker.report.citations
        self.unresolved_links = linker.report.unresolved_links
        self.unknown_citations = linker.report.unknown_citations
        self.image_problems = linker.report.image_problems
        self._linked_term_ids = linker.report.linked_term_ids
        self._embedded_slugs = linker.report.embedded_images

    def store_links(self):
        """
        After the row is saved, in its transaction: record mentions and
        embedded images, and attach cited references. A term or image
        deleted since the render is left out rather than written as a
        mention of a row that has gone.
        """
        linked = getattr(self, "_linked_term_ids", [])
        if linked:
            linked = Term.objects.filter(pk__in=linked).values_list("pk", flat=True)
        self.mentioned_terms.set(linked)
        embedded = getattr(self, "_embedded_slugs", [])
        if embedded:
            embedded = Image.objects.embeddable(embedded).values_list("pk", flat=True)
        self.embedded_images.set(embedded)
        self.attach_cited_references()

    def relink(self):
        """
        Render the body again with the current glossary, without touching
        timestamps; return the glossary version the stored body is now
        rendered against, or None if its text changed meanwhile or the row
        has gone (the newer save rendered its own text).

        The render is written only over the very text it was made from and
        only if no render against a newer glossary is stored already, with
        the row locked, so a relink that overlaps an editor's save or
        another relink never puts older links back.
        """
        source = self.body
        self.render_links()
        return self.store_render(source)

    def store_render(self, source):
        """
        The write of `relink()`: in a transaction, with the row locked,
        store the render just made from the text `source` unless the stored
        text differs or is rendered against a newer glossary already; return
        as `relink()` does.
        """
        with transaction.atomic():
            stored = (
                type(self)
                ._default_manager.select_for_update()
                .filter(pk=self.pk)
                .values("body", "linked_version")
                .first()
            )
            if stored is None or stored["body"] != source:
                return None
            if stored["linked_version"] > self.linked_version:
                return stored["linked_version"]
            type(self)._default_manager.filter(pk=self.pk).update(
                body_html=self.body_html,
                citations=self.citations,
                unresolved_links=self.unresolved_links,
                unknown_citations=self.unknown_citations,
                image_problems=self.image_problems,
                rendering_version=self.rendering_version,
                linked_version=self.linked_version,
            )
            changed_rows(type(self), [self.pk])
            self.store_links()
        return self.linked_version

    def linking_self_id(self):
        """The term whose own page this body is on, never linked to itself."""
        return None

    def reference_list_with(self, listed):
        """
        The numbered reference list the body would have once saved with the
        references `listed`, in their order: those it cites but does not
        list are added, as a save attaches them.
        """
        keys = {reference.key for reference in listed}
        missing = [key for key in dict.fromkeys(self.citations) if key not in keys]
        found = Reference.objects.in_bulk(missing, field_name="key") if missing else {}
        attached = [found[key] for key in missing if key in found]
        return number_references([*listed, *attached], self.citations)

    def attach_cited_references(self):
        raise NotImplementedError


def embeddable_images(source):
    """
    What a body's figures show of each image its `source` may embed (see
    glossary/figures.py), in one query; none for a body with no `image:`.
    """
    slugs = slugs_in(source)
    if not slugs:
        return []
    return [
        EmbeddedImage(
            slug=image.slug,
            alt_text="" if image.is_decorative else image.alt_text,
            caption=image.caption,
            credit=image.credit,
            sources=tuple(image.rendition_sources()),
        )
        for image in Image.objects.embeddable(slugs).only(
            "slug",
            "file",
            "alt_text",
            "is_decorative",
            "caption",
            "credit",
            "renditions",
        )
    ]


def linked_body_models():
    """Every installed model with a linked body (articles, terms...)."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, LinkedBody) and not model._meta.proxy
    ]


def bodies_linking_explicitly(term, names):
    """
    Every article and term whose body links to `term` with a `[[Name]]`
    link to one of `names` as typed (in any case or spacing), for warning
    an editor who takes a name or alias away.

    Only the bodies recorded as linking to the term and holding a `[[` are
    read, without their HTML: a `[[Name]]` that shows as a link to it is
    among their mentions. Looking for the names in every body would hold
    the editor's save for as long as the site is large; nor are the names
    themselves looked for in SQL, as PostgreSQL's plan tests every body for
    them before it joins the mentions. (With 7,000 bodies linking to the
    term, 140 of them by name, this takes about 35 ms on SQLite and 75 ms
    on PostgreSQL.)
    """
    wanted = {lookup_key(name) for name in names}
    if not wanted:
        return []
    found = []
    for model in linked_body_models():
        # Of thousands of bodies linking to a common term, few have any
        # [[link]]: only theirs are read, and only the matches become objects.
        with_links = model.objects.filter(mentioned_terms=term, body__contains="[[")
        pks = [
            pk
            for pk, source in with_links.values_list("pk", "body").iterator()
            if explicit_link_keys(source) & wanted
        ]
        found += model.objects.filter(pk__in=pks).defer("body_html")
    return found


class RedirectsOldSlugs(models.Model):
    """
    A row whose earlier addresses keep working: when its slug changes, the
    old slug answers with a permanent redirect to the row (see SlugRedirect).
    Each concrete model is the `target` of a SlugRedirect subclass whose
    foreign key has related_name="slug_redirects".
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.redirect_old_slug()

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        row._slug_as_loaded = row.__dict__.get("slug")
        return row

    def redirect_old_slug(self):
        """Record the slug the row was loaded with if it has just changed."""
        redirects = self.slug_redirects.model.objects
        # A row that takes an address wins over a redirect from it; each old
        # address points at the row, not at the next address, so a chain of
        # renames costs one redirect, never a hop per rename.
        redirects.filter(old_slug=self.slug).delete()
        old_slug = getattr(self, "_slug_as_loaded", None)
        if old_slug and old_slug != self.slug:
            redirects.update_or_create(old_slug=old_slug, defaults={"target": self})
        self._slug_as_loaded = self.slug


class SlugRedirect(models.Model):
    """
    An address a row used to have. Subclasses add `target`, a foreign key
    to their RedirectsOldSlugs model with related_name="slug_redirects".
    """

    old_slug = models.SlugField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.old_slug} → {self.target}"


class TermQuerySet(LinkedBodyQuerySet):
    def alphabetical(self):
        return self.order_by(Lower("name"), "pk")

    def of_kind(self, kind):
        return self.filter(kind=kind) if kind else self

    def mentioning(self, term):
        return super().mentioning(term).only("name", "slug").alphabetical()

    def in_index_order(self):
        """
        The terms as the A–Z index lists them: by heading, then by name as
        search reads it (accents, signs and spaces ignored), then by name.
        """
        return self.order_by("index_letter", "index_key", Lower("name"), "pk")

    def index_counts(self):
        """
        How many terms each A–Z heading and kind has, from one grouped
        query: {(kind, letter): count}, leaving out pairs with no terms.
        """
        rows = (
            self.order_by()
            .values_list("kind", "index_letter")
            .annotate(count=Count("pk"))
        )
        return {(kind, letter): count for kind, letter, count in rows}

    def build_matcher(self):
        """
        A Matcher over every term's name and the aliases in the search
        index. Term addresses come from reverse(), so links follow wherever
        the glossary's URLs are mounted.
        """
        # One reverse() per build, for a stand-in slug, rather than one per
        # term (about 25 µs each, a quarter of a second for 10,000 terms).
        # Slugs need no quoting in a URL, so the real one is put in its place.
        stand_in = "term-slug"
        head, _, tail = reverse(
            "glossary:detail", kwargs={"slug": stand_in}
        ).rpartition(stand_in)
        terms = [
            TermInfo(pk, name, slug, definition, f"{head}{slug}{tail}")
            for pk, name, slug, definition in Term.objects.values_list(
                "pk", "name", "slug", "definition"
            )
        ]
        names = [(term.name, term.id) for term in terms]
        # Older terms first: when two terms share an alias, the first wins.
        aliases = (
            SearchEntry.objects.filter(source=SearchEntry.Source.ALIAS)
            .order_by("term_id", "pk")
            .values_list("text", "term_id")
        )
        return Matcher(terms, [*names, *aliases])

    def search(self, text, limit=RESULT_LIMIT):
        """
        Terms matching what a reader typed, best match first (see
        glossary/search.py for the tiers), at most `limit`, as a
        TermSearchResults sequence that Paginator can page. Each term carries
        `matched_text` (the name, alias or definition that matched),
        `matched_source` and `match_tier`; the sequence says how the query
        was read when not as typed (`searched_for`, `ignored_words`). Prefix
        completions that more articles mention come first. Blank input gives
        no terms.
        """
        answer = find_answer(text, limit=limit, popularity=Term.objects.mention_counts)
        return TermSearchResults(self, answer)

    def named(self, text):
        """
        Terms whose name or one of whose aliases is `text`, ignoring case,
        accents and punctuation ("tnfα" names TNF-alpha).
        """
        key = compact(read_lookalikes(text or ""))
        if not key:
            return self.none()
        entries = SearchEntry.objects.filter(
            compact=key, source__in=[SearchEntry.Source.NAME, SearchEntry.Source.ALIAS]
        )
        return self.filter(pk__in=entries.values("term_id"))

    def mention_counts(self, term_ids):
        """
        {term id: how many bodies readers may see mention it}, for the given
        terms, counting the linked bodies other than terms (articles): each
        kind's `mentioning()` leaves out what readers may not see.
        """
        counts = {}
        for model in linked_body_models():
            if issubclass(model, Term):
                continue
            mentioning = (
                model.objects.mentioning(OuterRef("pk"))
                .order_by()
                .annotate(total=Func(F("pk"), function="COUNT"))
                .values("total")
            )
            rows = (
                Term.objects.filter(pk__in=term_ids)
                .order_by()
                .values_list("pk", Subquery(mentioning, output_field=IntegerField()))
            )
            for term_id, total in rows:
                counts[term_id] = counts.get(term_id, 0) + (total or 0)
        return counts

    def closest_to(self, text):
        """Terms whose name or alias is nearest to `text`, for "Did you mean"."""
        closest = closest_names(text)
        terms = self.in_bulk([term_id for term_id, _ in closest])
        return [(terms[term_id], name) for term_id, name in closest if term_id in terms]


class TermSearchResults(Sequence):
    """
    Search hits, best first, turned into terms only for the slice asked for:
    a results page loads its twenty terms in one query, and its length is
    known without a COUNT.
    """

    def __init__(self, queryset, answer):
        self.queryset = queryset
        self.hits = answer.hits
        # How the query was read when not as typed, for "Showing results
        # for …"; blank and empty when it was searched as typed.
        self.searched_for = answer.searched_for
        self.ignored_words = answer.ignored_words

    def __len__(self):
        return len(self.hits)

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        hits = self.hits[index]
        terms = self.queryset.in_bulk([hit.term_id for hit in hits])
        page = []
        for hit in hits:
            term = terms.get(hit.term_id)
            if term is not None:
                term.matched_text = hit.text
                term.matched_source = hit.source
                term.match_tier = int(hit.tier)
                page.append(term)
        return page


class Term(RedirectsOldSlugs, LinkedBody):
    """A glossary entry: a cytokine, a drug, a disease or a concept."""

    class Kind(models.TextChoices):
        CYTOKINE = "cytokine", "Cytokine"
        CYTOKINE_FAMILY = "cytokine-family", "Cytokine family"
        DRUG = "drug", "Drug"
        DRUG_CLASS = "drug-class", "Drug class"
        DISEASE = "disease", "Disease"
        CELL = "cell", "Cell"
        CONCEPT = "concept", "Concept"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        help_text="The term's address; filled from the name when left blank.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CONCEPT)
    aliases = models.TextField(
        blank=True,
        help_text=(
            "One per line: brand names, abbreviations and other spellings "
            "(Humira; TNF-α). Hyphens, spaces and plurals need no line of "
            "their own. An abbreviation of up to five characters typed in "
            "capitals (AS, IL-6) links only where it is written in capitals."
        ),
    )
    definition = models.TextField(
        max_length=500,
        help_text="One or two plain sentences, shown in previews and results.",
    )
    tags = TaggableManager(blank=True)
    references = models.ManyToManyField(Reference, related_name="terms", blank=True)
    # Where the A–Z index files the term and its order there, worked out
    # from the name at save (glossary.normalise.index_letter), so that a
    # page of the index reads one heading's rows by an index.
    index_letter = models.CharField(
        max_length=1,
        choices=[(letter, letter) for letter in INDEX_LETTERS],
        default=INDEX_LETTERS[-1],
        editable=False,
    )
    index_key = models.CharField(max_length=INDEX_KEY_LENGTH, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    # Saves made in the admin: a form opened at another count is stale.
    edit_count = models.PositiveIntegerField(default=0, editable=False)
    # The rows behind `tags`, kept with each version so a restore brings
    # the tags back.
    tagged_items = GenericRelation(TaggedItem)

    objects = TermQuerySet.as_manager()

    mention_label = "Glossary"

    class Meta:
        ordering = [Lower("name")]
        indexes = [
            models.Index(fields=["index_letter", "index_key"]),
            models.Index(fields=["kind", "index_letter", "index_key"]),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        self.file_in_index()
        self.aliases = "\n".join(self.alias_list)
        self.render_links()
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.sync_search_entries()
            self.store_links()
        self._loaded_link_fields = self.link_fields()

    def get_absolute_url(self):
        return reverse("glossary:detail", kwargs={"slug": self.slug})

    def clean(self):
        # Each check reports its own messages; the editor sees them all.
        errors = {}
        checks = [self.refuse_everyday_word_name]
        # The checks of aliases take time for each one, so a list over the
        # limits is refused before they run.
        alias_problem = self.alias_limit_problem()
        if alias_problem:
            errors["aliases"] = [alias_problem]
        else:
            checks += [self.refuse_everyday_word_aliases, self.clean_conflicting_names]
        for check in checks:
            try:
                check()
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    errors.setdefault(field, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def alias_limit_problem(self):
        """Why the typed aliases are too many or too long, or None."""
        aliases = self.alias_list
        if too_many := alias_count_problem(aliases):
            return too_many
        if any(len(alias) > ALIAS_MAX_LENGTH for alias in aliases):
            return f"Each alias must be at most {ALIAS_MAX_LENGTH} characters."
        return None

    def clean_conflicting_names(self):
        """
        Refuse a name or alias that another term's name or alias normalises
        to: search and linking could not tell "IL 6" from "IL-6" or "il6".
        Two spellings of one term may share a form.

        Only names and aliases new in this edit are checked: a clash already
        in the data is listed on the link-problems page and must not block
        an unrelated change, such as a new definition.
        """
        typed = {}
        for field, texts in (("name", [self.name]), ("aliases", self.alias_list)):
            for text in texts:
                typed.setdefault(SearchEntry.compact_form(text), (field, text))
        for text in self.names_as_loaded():
            typed.pop(SearchEntry.compact_form(text), None)
        typed.pop("", None)
        taken = (
            SearchEntry.objects.names()
            .filter(compact__in=typed)
            .exclude(term_id=self.pk)
            .select_related("term")
            .order_by("pk")
        )
        # One message per typed text and other term, however many of that
        # term's spellings it reads the same as; it names the closest one:
        # the same letters first, then the name, then the oldest alias.
        closest = {}
        for entry in taken:
            field, text = typed[entry.compact]
            key = (field, text, entry.term_id)
            if key not in closest or entry.is_closer_to(text, than=closest[key]):
                closest[key] = entry
        errors = {}
        for (field, text, __), entry in closest.items():
            errors.setdefault(field, []).append(entry.refusal_for(text))
        if errors:
            raise ValidationError(errors)

    def names_as_loaded(self):
        """
        The name and aliases the term had when it was read from the
        database; none for a new term.
        """
        loaded = getattr(self, "_loaded_link_fields", None)
        if loaded is None:
            return []
        name, __, aliases, __ = loaded
        return [name, *split_aliases(aliases)] if name else split_aliases(aliases)

    def names_added_since_loaded(self):
        """The name and aliases, as typed, that the term did not have when read."""
        before = set(self.names_as_loaded())
        return [name for name in [self.name, *self.alias_list] if name not in before]

    def names_dropped_since(self, names_before):
        """Which of `names_before` the term no longer has as name or alias."""
        current = {lookup_key(text) for text in [self.name, *self.alias_list]}
        return [name for name in names_before if lookup_key(name) not in current]

    def refuse_everyday_word_name(self):
        """
        Refuse a name that is an everyday English word ("And", "The"), for
        the reason aliases may not be one (see below).
        """
        if self.name and could_link_ordinary_text(self.name):
            raise ValidationError(
                {
                    "name": (
                        f"“{self.name}” is an everyday English word and would "
                        f"link ordinary text in every article. Give the term "
                        f"its fuller name, or type an abbreviation of up to "
                        f"five letters in capitals ({self.name.upper()}) to "
                        f"link it only where it is written in capitals."
                    )
                }
            )

    def refuse_everyday_word_aliases(self):
        """
        Refuse aliases that are everyday English words ("as", "All", "the"):
        each would link ordinary text in nearly every body. The same letters
        typed in capitals (AS, ALL) are an abbreviation, which links only
        where it is written in capitals, so that is allowed.
        """
        everyday = [
            alias
            for alias in split_aliases(self.aliases)
            if could_link_ordinary_text(alias)
        ]
        if everyday:
            listed = ", ".join(f"“{alias}”" for alias in everyday)
            capitals = ", ".join(alias.upper() for alias in everyday)
            raise ValidationError(
                {
                    "aliases": (
                        f"Everyday English words would link ordinary text in "
                        f"every article: {listed}. Remove them, or type an "
                        f"abbreviation of up to five letters in capitals "
                        f"({capitals}) to link it only where it is written "
                        f"in capitals."
                    )
                }
            )

    @classmethod
    def from_db(cls, db, field_names, values):
        term = super().from_db(db, field_names, values)
        term._loaded_link_fields = term.link_fields()
        return term

    def link_fields(self):
        """What links to this term show: a change re-renders other bodies."""
        return (
            self.__dict__.get("name"),
            self.__dict__.get("slug"),
            self.__dict__.get("aliases"),
            self.__dict__.get("definition"),
        )

    def has_new_link_fields(self):
        """Whether links to this term would now render differently."""
        return self.link_fields() != getattr(self, "_loaded_link_fields", None)

    def linking_self_id(self):
        return self.pk

    def mentioned_in(self):
        """
        The bodies readers may see that link to this term, for its
        "Mentioned in" list: articles (published only) first, then terms.
        """
        return [
            body
            for model in linked_body_models()
            for body in model.objects.mentioning(self)
        ]

    def bodies_linking_here(self):
        """Every article (drafts too) and term whose body links to this term."""
        return [
            body
            for model in linked_body_models()
            for body in model.objects.filter(mentioned_terms=self)
        ]

    def attach_cited_references(self):
        missing = set(self.citations) - set(
            self.references.values_list("key", flat=True)
        )
        if missing:
            self.references.add(*Reference.objects.filter(key__in=missing))

    def reference_list(self):
        """Cited references by first use, then the others by author."""
        return number_references(list(self.references.all()), self.citations)

    @property
    def alias_list(self):
        """The aliases, one per line typed, leaving out the name itself."""
        name = (self.name or "").casefold()
        return [a for a in split_aliases(self.aliases) if a.casefold() != name]

    @property
    def brand_names(self):
        """
        A drug's aliases that are brand names: those written as a name is,
        a capital then a small letter ("Humira", "Enbrel"). Abbreviations
        ("TNF-alpha", "mAb") and other spellings in small letters
        ("adalimumab-atto") are not; other kinds of term have none.
        """
        if self.kind != self.Kind.DRUG:
            return []
        return [
            alias
            for alias in self.alias_list
            if alias[:1].isupper() and alias[1:2].islower()
        ]

    def file_in_index(self):
        """
        Set where the A–Z index lists the term, from its name. save() does
        it; rows made with bulk_create() need it first.
        """
        self.index_letter = index_letter(self.name)
        self.index_key = index_key(self.name)

    def relation_groups(self, relations=None, incoming_relations=None):
        """
        Relations in both directions, grouped by label and sorted by name:
        [("inhibited by", [adalimumab, etanercept, infliximab]), ...].
        Uses the prefetched `relations` and `incoming_relations` unless
        others are given (the unsaved rows of a preview).
        """
        if relations is None:
            relations = self.relations.all()
        if incoming_relations is None:
            incoming_relations = self.incoming_relations.all()
        groups = {}
        for relation in relations:
            groups.setdefault(relation.get_kind_display(), []).append(relation.target)
        for relation in incoming_relations:
            groups.setdefault(relation.inverse_label, []).append(relation.source)
        return [
            (label, sorted(terms, key=lambda term: term.name.casefold()))
            for label, terms in groups.items()
        ]

    def sync_search_entries(self):
        """Rewrite this term's rows in the search index (name, aliases,
        definition); database triggers keep the full-text tables in step."""
        entries = [(SearchEntry.Source.NAME, self.name)]
        entries += [(SearchEntry.Source.ALIAS, alias) for alias in self.alias_list]
        entries.append((SearchEntry.Source.DEFINITION, self.definition))
        self.search_entries.all().delete()
        SearchEntry.objects.bulk_create(
            SearchEntry.for_text(self, source, text) for source, text in entries
        )


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


class TermSlugRedirect(SlugRedirect):
    """An old address of a term, answered with a redirect to its page."""

    target = models.ForeignKey(
        Term, on_delete=models.CASCADE, related_name="slug_redirects"
    )


class SearchEntryQuerySet(models.QuerySet):
    def names(self):
        """Names and aliases, the entries that must each belong to one term."""
        return self.filter(
            source__in=[SearchEntry.Source.NAME, SearchEntry.Source.ALIAS]
        ).exclude(compact="")

    def conflicting(self):
        """
        Names and aliases whose compact form another term's name or alias
        shares, ordered so that each shared form's entries come together.
        """
        shared = (
            self.names()
            .values("compact")
            .annotate(term_count=Count("term", distinct=True))
            .filter(term_count__gt=1)
            .values("compact")
        )
        return (
            self.names()
            .filter(compact__in=shared)
            .select_related("term")
            .order_by("compact", Lower("term__name"), "term_id", "pk")
        )


class SearchEntry(models.Model):
    """
    One searchable text of a term (its name, an alias or its definition) in
    normalised forms. Written by `Term.save()`; the full-text tables that
    index it are filled by database triggers (see glossary/search.py).

    The only store of aliases as rows: search reads them, and so does the
    linking matcher (`TermQuerySet.build_matcher`).
    """

    class Source(models.TextChoices):
        NAME = "name", "Name"
        ALIAS = "alias", "Alias"
        DEFINITION = "definition", "Definition"

    term = models.ForeignKey(
        Term, on_delete=models.CASCADE, related_name="search_entries"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    text = models.TextField()
    compact = models.CharField(max_length=255, db_index=True)
    words = models.TextField()

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "search entries"

    def __str__(self):
        return f"{self.text} ({self.get_source_display()} of {self.term_id})"

    @classmethod
    def for_text(cls, term, source, text):
        return cls(
            term=term,
            source=source,
            text=text,
            # Definitions are matched by words only.
            compact="" if source == cls.Source.DEFINITION else cls.compact_form(text),
            words=" ".join(normalise_words(text)),
        )

    @staticmethod
    def compact_form(text):
        """The `compact` value stored for a name or alias."""
        return compact(text)[:255]

    def is_closer_to(self, text, than):
        """
        Whether this entry names `text` better than the entry `than` does:
        the same letters first, then a name before an alias.
        """

        def closeness(entry):
            return (
                entry.text.casefold() == text.casefold(),
                entry.source == self.Source.NAME,
            )

        return closeness(self) > closeness(than)

    def refusal_for(self, text):
        """Why `text` cannot be another term's name or alias, in plain words."""
        role = "the name" if self.source == self.Source.NAME else "an alias"
        if text.casefold() == self.text.casefold():
            return f"“{text}” is already {role} of {self.term.name}."
        return (
            f"“{text}” reads the same as “{self.text}”, {role} of "
            f"{self.term.name}; search and links could not tell them apart."
        )


class GlossaryVersion(models.Model):
    """
    A count of the changes to what bodies link to: terms added, renamed,
    re-aliased, redefined or deleted, and references added, re-keyed or
    deleted. It is the key under which each process caches its matcher.

    The count moves in the transaction that makes the change, through a
    row lock, so it becomes visible only with the change and concurrent
    changes count up in the order they commit: whoever reads the count and
    then reads the glossary sees every change counted.
    """

    # The single row's id, created by the migration that made the table.
    ROW = 1

    value = models.PositiveBigIntegerField(default=0)
    # New at every change. A change that rolls back gives its count back, and
    # the next change counts to the same number; a matcher built inside the
    # rolled-back transaction must not pass for the next one's.
    stamp = models.UUIDField(default=uuid.uuid4, editable=False)

    def __str__(self):
        return f"Glossary version {self.value}"

    @classmethod
    def current(cls):
        return cls.current_and_stamp()[0]

    @classmethod
    def current_and_stamp(cls):
        return cls.objects.filter(pk=cls.ROW).values_list("value", "stamp").first() or (
            0,
            None,
        )

    @classmethod
    def bump(cls):
        """Count one change, in the caller's transaction; return the new count."""
        if not cls.objects.filter(pk=cls.ROW).update(
            value=F("value") + 1, stamp=uuid.uuid4()
        ):
            cls.objects.get_or_create(pk=cls.ROW, defaults={"value": 1})
        return cls.current()


class PendingRelinkQuerySet(models.QuerySet):
    def of_model(self, model):
        return self.filter(body_model=model._meta.label_lower)

    def request(self, bodies_by_model, version):
        """
        Queue the bodies given as {model: ids} for rendering against at
        least glossary `version`. A body already waiting stays queued once,
        for the newer of the two versions.

        A request can land after a newer one for the same body (a check
        after an editor's save reads the version, then a glossary change
        queues the body for the next): lowering the version would let a
        relink against the older glossary take the body off the queue.
        Django's bulk_create cannot keep the greater of two values on
        conflict, so the upsert is written out (`insert_keeping_newer`).
        """
        rows = [
            (model._meta.label_lower, pk)
            for model, ids in bodies_by_model.items()
            for pk in ids
        ]
        now = self.database_now()
        for start in range(0, len(rows), 500):
            batch = rows[start : start + 500]
            self.insert_keeping_newer(
                f"VALUES {', '.join(['(%s, %s, %s, %s)'] * len(batch))}",
                [value for row in batch for value in (*row, version, now)],
            )

    def request_linking(self, target_ids, version, field_name="mentioned_terms"):
        """
        Queue every body that links to one of the terms `target_ids` now
        (or, with `field_name` "embedded_images", embeds one of those
        images), as `request` does, in one statement per kind of body: the
        database copies the bodies from the mentions into the queue, so a
        save that changes a term linked from thousands of bodies neither
        reads their ids nor sends a row for each.
        """
        target_ids = list(target_ids)
        if not target_ids:
            return
        quote = connections[self.db].ops.quote_name
        now = self.database_now()
        targets = ", ".join(["%s"] * len(target_ids))
        for model in linked_body_models():
            field = model._meta.get_field(field_name)
            mentions = quote(field.remote_field.through._meta.db_table)
            # SQLite would read ON CONFLICT straight after the FROM as the
            # ON of a join; the WHERE between them settles it.
            self.insert_keeping_newer(
                "SELECT %s, linking.body_id, %s, %s FROM ("
                f"SELECT DISTINCT {quote(field.m2m_column_name())} AS body_id"
                f" FROM {mentions}"
                f" WHERE {quote(field.m2m_reverse_name())} IN ({targets})"
                ") AS linking WHERE true",
                [model._meta.label_lower, version, now, *target_ids],
            )

    def database_now(self):
        return connections[self.db].ops.adapt_datetimefield_value(timezone.now())

    def insert_keeping_newer(self, rows, params):
        """
        Insert the queue rows (body_model, body_id, version, requested_at)
        that the SQL `rows` gives (VALUES or SELECT); a body already queued
        stays queued once, for the newer version. PostgreSQL and SQLite
        read the statement alike.
        """
        connection = connections[self.db]
        table = connection.ops.quote_name(PendingRelink._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (body_model, body_id, version, requested_at)"
                f" {rows}"
                " ON CONFLICT (body_model, body_id) DO UPDATE"
                " SET version = excluded.version"
                f" WHERE {table}.version < excluded.version",
                params,
            )


class PendingRelink(models.Model):
    """
    A body waiting for the background relinker, because something it
    links to or cites changed. The row goes when the body has been stored
    rendered against glossary `version` or later.
    """

    body_model = models.CharField(max_length=100)
    body_id = models.PositiveBigIntegerField()
    version = models.PositiveBigIntegerField()
    requested_at = models.DateTimeField(auto_now=True)

    objects = PendingRelinkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["body_model", "body_id"], name="unique_pending_relink"
            )
        ]

    def __str__(self):
        return f"{self.body_model} {self.body_id}"


class PendingRelinkSearch(models.Model):
    """
    Texts whose bodies must be found and relinked: the new names and
    aliases of a term, or `@key` for a reference. Finding them means
    reading every body, so it waits for the background relinker too.
    """

    texts = models.JSONField()
    version = models.PositiveBigIntegerField()
    requested_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return ", ".join(self.texts)


_cached_matcher = None  # ((glossary version, URL prefix), Matcher)


def current_matcher():
    """
    The glossary's version and a matcher for it, rebuilt only when the
    glossary changed.

    The version is read from the database (one small query) before the
    glossary is, so each server process notices a change made by any other
    and never keys a matcher by a version newer than what it holds; the
    glossary's URL is part of the key, so remounting it rebuilds the links.
    """
    global _cached_matcher
    key = (*GlossaryVersion.current_and_stamp(), reverse("glossary:list"))
    cached = _cached_matcher
    if cached is None or cached[0] != key:
        cached = _cached_matcher = (key, Term.objects.build_matcher())
    return key[0], cached[1]
