"""
Images in an export: images/<slug>.yaml, the image's texts with the name
and SHA-256 checksum of its picture, and beside it the picture itself
(images/<slug>.png), the original exactly as uploaded. The sizes readers
are served are left out: the background task makes them again from the
original once an import has stored it.

A picture is checked on import as the admin checks an upload, so an export
cannot bring in what an editor could not.
"""

import hashlib
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile

from images.forms import UploadedImageField
from images.models import Image
from images.uploads import ACCEPTED_FORMATS
from portal.transfer.fields import Boolean, Text
from portal.transfer.kinds import ContentKind, ExportRefused


class ImageKind(ContentKind):
    folder = "images"
    model = Image
    fields = [
        Text("title", required=True),
        Text("slug", required=True),
        Text("alt_text"),
        Boolean("is_decorative"),
        Text("caption"),
        Text("credit"),
        Text("file", required=True),
        Text("sha256", required=True),
    ]

    @property
    def written_suffixes(self):
        return {
            self.suffix,
            *(f".{extension}" for extension in ACCEPTED_FORMATS.values()),
        }

    def stray_message(self):
        return (
            f"not a {self.suffix} file, nor the picture one names; {self.folder}/ "
            f"holds one {self.suffix} file per image, its picture beside it."
        )

    def is_column(self, name):
        # The column holds where this site keeps the original, under a name
        # of its own; the file names the picture beside it instead.
        return name != "file" and super().is_column(name)

    # Export

    def related_values(self, row):
        checksum = stored_checksum(row)
        if checksum is None:
            raise ExportRefused(
                f"The original of the image “{row.slug}” ({row.file.name}) is "
                f"missing from the uploaded files (MEDIA_ROOT). Restore it, or "
                f"upload the picture again in the admin, and export again."
            )
        return {"file": picture_name(row), "sha256": checksum}

    def files_of(self, row):
        # The stored original is copied as it is when the files are written.
        return [
            *super().files_of(row),
            (f"{self.folder}/{picture_name(row)}", row.file),
        ]

    # Import: reading and checking

    def read(self, directory, path, text):
        entry = super().read(directory, path, text)
        # Blank if the field is missing or wrong, which is reported already.
        if entry.values["file"]:
            self.read_picture(directory, entry)
        return entry

    def read_picture(self, directory, entry):
        """Check the picture the entry names, as the admin checks an upload."""
        name = entry.values["file"]
        if name in {".", ".."} or "\\" in name or PurePosixPath(name).name != name:
            entry.refuse(
                "file",
                f"file: “{name}” is a path; give the name of the picture beside "
                f"this file, such as {entry.key or 'chart'}.png.",
            )
            return
        picture = directory / self.folder / name
        shown = f"{self.folder}/{name}"
        if not picture.is_file():
            entry.refuse("file", f"file: {shown} is missing; put the picture there.")
            return
        entry.companions.append(picture)
        with picture.open("rb") as opened:
            checksum = sha256_of(opened)
            try:
                UploadedImageField().clean(File(opened, name=name))
            except ValidationError as error:
                entry.refuse("file", f"file: {shown}: {' '.join(error.messages)}")
        expected = entry.values["sha256"]
        if expected and expected.lower() != checksum:
            entry.refuse(
                "sha256",
                f"sha256: {shown} is not the picture that was exported (its "
                f"checksum is {checksum}). Put the exported picture back, or "
                f"give this checksum if the new picture is meant.",
            )

    def normalise(self, entry):
        super().normalise(entry)
        # As Image.save() stores it, so that a second import finds the row
        # unchanged.
        entry.values["slug"] = entry.values["slug"].lower()

    def clean_row(self, instance):
        # Alt text unless decorative (Image.clean), and the caption's length,
        # which a TextField leaves to the admin's form field.
        instance.clean()
        try:
            self.model._meta.get_field("caption").formfield().clean(instance.caption)
        except ValidationError as error:
            raise ValidationError({"caption": error.messages}) from None

    # Import: writing

    def changes(self, row, entry):
        changes = super().changes(row, entry)
        # Compared by content, so that an unchanged picture is not stored
        # again; one missing from MEDIA_ROOT is stored again.
        if stored_checksum(row) != entry.values["sha256"].lower():
            (picture,) = entry.companions
            changes["file"] = ContentFile(picture.read_bytes(), name=picture.name)
        return changes

    def save(self, row, entry):
        stores_picture = not row.file._committed
        try:
            super().save(row, entry)
        finally:
            # The picture is stored before the row is written, so it is
            # recorded even when writing the row then fails.
            if stores_picture and row.file._committed:
                entry.stored_files.append(row.file.name)


def picture_name(image):
    """The picture's name in an export: the slug, and the original's extension."""
    return f"{image.slug}{PurePosixPath(image.file.name).suffix}"


def stored_checksum(image):
    """The SHA-256 of the image's stored original, or None if there is none."""
    if not image.file:
        return None
    try:
        with image.file.storage.open(image.file.name) as stored:
            return sha256_of(stored)
    except FileNotFoundError:
        return None


def sha256_of(file):
    """The SHA-256 of an open file, read in pieces, as hex; the file is rewound."""
    file.seek(0)
    digest = hashlib.sha256()
    while piece := file.read(1 << 20):
        digest.update(piece)
    file.seek(0)
    return digest.hexdigest()
