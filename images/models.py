"""
Images that article and term bodies embed by slug: `![](image:slug)`.

Every field is plain, for export and import: the original's path under
MEDIA_ROOT (`file`), the texts readers see, its size in pixels as shown,
and the renditions made from it (`renditions`, a list of {"name", "width",
"height"} with each file's path under MEDIA_ROOT).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.text import slugify

from editorial.links import link_address
from editorial.slugs import unique_slug
from images.embedding import slug_changed
from images.renditions import rendition_prefix
from images.uploads import inspect_upload

ORIGINALS_FOLDER = "images/originals"
# How an editor embeds an image in a body; glossary/figures.py reads it.
EMBED_SCHEME = "image:"
# Attempts at a slug filled from the title when another editor's upload
# takes the same one at the same moment.
SLUG_ATTEMPTS = 3


def original_name(image, filename):
    """
    Where an upload is stored: under a random name, since the name it was
    uploaded under can say more than it should ("jane-smith-biopsy.jpg")
    and would let anyone guess its address, with the extension of the
    format read from the file rather than the one it was named with.
    """
    return f"{ORIGINALS_FOLDER}/{uuid.uuid4().hex}.{image.upload_facts.extension}"


class ImageQuerySet(models.QuerySet):
    def embeddable(self, slugs):
        """The images that `![](image:slug)` names for each of `slugs`."""
        return self.filter(slug__in={slug.lower() for slug in slugs})


class Image(models.Model):
    """An uploaded picture, shown in bodies as a figure in several sizes."""

    title = models.CharField(
        max_length=200, help_text="For finding the image in the admin."
    )
    slug = models.SlugField(
        max_length=100,
        unique=True,
        blank=True,
        help_text=(
            "What a body types to embed the image: ![](image:slug). Filled "
            "from the title when left blank."
        ),
    )
    file = models.ImageField(
        upload_to=original_name,
        max_length=200,
        help_text=(
            "A JPEG, PNG, WebP or GIF (not SVG). Readers are served smaller "
            "copies without the file's hidden details (camera, GPS position)."
        ),
    )
    alt_text = models.CharField(
        "Alt text",
        max_length=400,
        blank=True,
        help_text=(
            "What the image shows, for readers who cannot see it, in a "
            "sentence or two: “X-ray of a hand with swollen finger joints”, "
            "not “image of a hand”. Say what matters for the article; a "
            "chart's alt text gives its main finding. Leave blank only for "
            "a decorative image."
        ),
    )
    is_decorative = models.BooleanField(
        "Decorative",
        default=False,
        help_text=(
            "Tick only if the image adds nothing readers need (an ornament); "
            "screen readers then skip it. A body can still give an embed its "
            "own alt text: ![alt text](image:slug)."
        ),
    )
    caption = models.TextField(
        max_length=500,
        blank=True,
        help_text="Shown under the image, for every reader.",
    )
    credit = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who made the image, and its licence (“Photo: J. Doe, CC BY 4.0”).",
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    renditions = models.JSONField(
        default=list,
        editable=False,
        help_text="The sizes readers are served: [{name, width, height}].",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="uploaded_images",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = ImageQuerySet.as_manager()

    # After a save that changed the slug: the old slug and how many pages
    # embedding it were rewritten to embed the new one.
    renamed_from = ""
    re_embedded_page_count = 0

    class Meta:
        ordering = ["-uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_decorative=True) | ~Q(alt_text=""),
                name="image_has_alt_text_unless_decorative",
            ),
            models.CheckConstraint(
                condition=Q(is_decorative=False) | Q(alt_text=""),
                name="decorative_image_has_no_alt_text",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            # The admin's form read the upload already; code that saves a
            # file directly has it read here.
            uploaded = self.file.file
            self.upload_facts = getattr(uploaded, "image_facts", None) or (
                inspect_upload(uploaded)
            )
            self.width, self.height = self.upload_facts.width, self.upload_facts.height
        self.slug = (self.slug or "").lower()
        old_slug = self.loaded_value("slug")
        with transaction.atomic():
            self.save_filling_slug(*args, **kwargs)
            # The embeds move with the slug in the same transaction, so
            # that no reader ever sees a body embed a slug that has gone.
            if old_slug and old_slug != self.slug:
                replies = slug_changed.send(
                    sender=type(self), image=self, old_slug=old_slug
                )
                self.renamed_from = old_slug
                self.re_embedded_page_count = len(
                    {page for __, pages in replies for page in pages or ()}
                )
        self._loaded_fields = self.shown_fields()

    def save_filling_slug(self, *args, **kwargs):
        """Save; a blank slug is filled from the title, taken ones skipped."""
        fills_slug = not self.slug
        for attempt in range(1, SLUG_ATTEMPTS + 1):
            if fills_slug:
                self.slug = unique_slug(self, self.slug_source())
            try:
                with transaction.atomic():
                    super().save(*args, **kwargs)
                return
            except IntegrityError:
                # Another upload took the filled slug between the check
                # and the write: fill it again.
                taken = Image.objects.exclude(pk=self.pk).filter(slug=self.slug)
                if not fills_slug or attempt == SLUG_ATTEMPTS or not taken.exists():
                    raise

    def clean(self):
        # Slugs are stored in lower case (bodies embed them in any case):
        # a slug typed in capitals is checked for a clash as it will be
        # stored, so that another image's slug is refused, never a 500.
        self.slug = (self.slug or "").lower()
        self.alt_text = " ".join(self.alt_text.split())
        if self.is_decorative and self.alt_text:
            raise ValidationError(
                {
                    "alt_text": (
                        "A decorative image is shown without alt text. Clear "
                        "the alt text, or untick Decorative if the image tells "
                        "readers something."
                    )
                }
            )
        if not self.is_decorative and not self.alt_text:
            raise ValidationError(
                {
                    "alt_text": (
                        "Describe what the image shows for readers who cannot "
                        "see it, or tick Decorative if it adds nothing they need."
                    )
                }
            )

    def slug_source(self):
        """The title, or the uploaded file's name for a title with no letters."""
        if slugify(self.title):
            return self.title
        return (getattr(self.file, "name", "") or "").rsplit("/", 1)[-1].rsplit(".")[0]

    @property
    def embed_code(self):
        """What an editor types to embed the image in a body."""
        return f"![]({EMBED_SCHEME}{self.slug})"

    def rendition_sources(self):
        """
        (URL, width, height) of each rendition made, narrowest first; only
        those whose URL is a web address or a path of this site, so that a
        stored name can never make a `javascript:` or `data:` source.
        """
        storage = self.file.storage
        sources = [
            (link_address(storage.url(item["name"])), item["width"], item["height"])
            for item in sorted(self.renditions, key=lambda item: item["width"])
        ]
        return [source for source in sources if source[0]]

    def has_current_renditions(self):
        """Whether the renditions were made from the file the image has now."""
        prefix = rendition_prefix(self.file.name)
        return bool(self.renditions) and all(
            item["name"].startswith(prefix) for item in self.renditions
        )

    def store_renditions(self, source_name, made):
        """
        Record renditions `made` from the original `source_name`, with the
        row locked, unless the image has been deleted or given another file
        meanwhile. Returns the names of the files no longer used: the older
        renditions, or `made` itself if it was not stored.
        """
        made_names = [item["name"] for item in made]
        with transaction.atomic():
            current = (
                Image.objects.select_for_update()
                .filter(pk=self.pk, file=source_name)
                .first()
            )
            if current is None:
                return made_names
            replaced = [item["name"] for item in current.renditions]
            current.renditions = made
            current.save(update_fields=["renditions", "modified_at"])
        return [name for name in replaced if name not in made_names]

    def stored_file_names(self):
        """The original's name and every rendition's."""
        return [self.file.name, *(item["name"] for item in self.renditions)]

    @classmethod
    def from_db(cls, db, field_names, values):
        image = super().from_db(db, field_names, values)
        image._loaded_fields = image.shown_fields()
        return image

    def shown_fields(self):
        """What bodies embedding the image show: a change renders them again."""
        values = self.__dict__
        file = values.get("file")
        return {
            "slug": values.get("slug"),
            "file": getattr(file, "name", file),
            "alt_text": values.get("alt_text"),
            "is_decorative": values.get("is_decorative"),
            "caption": values.get("caption"),
            "credit": values.get("credit"),
            "renditions": values.get("renditions"),
        }

    def loaded_value(self, name):
        """The value field `name` had when read; None for a new image."""
        return getattr(self, "_loaded_fields", {}).get(name)

    def changed_shown_fields(self):
        """The names of the shown fields that differ from what was read."""
        loaded = getattr(self, "_loaded_fields", None)
        if loaded is None:
            return set(self.shown_fields())
        now = self.shown_fields()
        return {name for name, value in now.items() if loaded.get(name) != value}

    def bodies_embedding(self):
        """
        Every article (drafts too) and term whose body embeds this image,
        found through the relations the linked bodies declare to it, so
        that this app imports none of them.
        """
        return [
            body
            for relation in self._meta.related_objects
            if relation.many_to_many
            and relation.related_name
            and relation.related_name.startswith("embedded_in_")
            for body in getattr(self, relation.get_accessor_name()).all()
        ]
