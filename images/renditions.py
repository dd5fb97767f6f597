"""
The sizes readers are served: WebP files at a few widths, made from the
original by the background task (images/tasks.py), never in a request.

Only these are ever served. The original stays as uploaded (for export and
for making new sizes later) and is never linked from a page: re-encoding
drops its EXIF, XMP and comments (a phone photo's GPS position among them)
after turning the picture upright as its EXIF orientation says. Each width
is WebP alone, which every current browser shows; JPEG copies would double
the work and storage for browsers from before 2020, which show the alt
text instead.
"""

from io import BytesIO
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as Pillow
from PIL import ImageOps, ImageSequence

RENDITIONS_FOLDER = "images/renditions"
# Photographs (JPEG, lossy WebP) are encoded lossy; drawings, charts and
# screenshots (PNG, GIF) losslessly, so that text and lines stay sharp.
LOSSY_FORMATS = {"JPEG", "WEBP"}
LOSSY_QUALITY = 80


def rendition_widths(original_width, widths=None):
    """
    The widths made for an image `original_width` pixels wide: each
    configured width narrower than it, and the original's own width up to
    the widest configured. Never wider than the original.
    """
    widths = widths or settings.IMAGE_RENDITION_WIDTHS
    largest = min(original_width, max(widths))
    return sorted({width for width in widths if width < largest} | {largest})


def rendition_prefix(source_name):
    """How the names of the renditions of the original `source_name` start."""
    return f"{RENDITIONS_FOLDER}/{PurePosixPath(source_name).stem}-"


def make_renditions(source_name):
    """
    Write the renditions of the stored original `source_name` and return
    them as [{"name", "width", "height"}], narrowest first.
    """
    with default_storage.open(source_name) as file, Pillow.open(file) as picture:
        frames = upright_frames(picture)
        icc_profile = picture.info.get("icc_profile")
        lossless = picture.format not in LOSSY_FORMATS
        duration = picture.info.get("duration")
    width, height = frames[0].size
    made = []
    for target in rendition_widths(width):
        size = (target, max(1, round(height * target / width)))
        resized = [
            frame if frame.size == size else frame.resize(size, reducing_gap=3.0)
            for frame in frames
        ]
        name = default_storage.save(
            f"{rendition_prefix(source_name)}{target}w.webp",
            ContentFile(encode_webp(resized, icc_profile, lossless, duration)),
        )
        made.append({"name": name, "width": size[0], "height": size[1]})
    return made


def upright_frames(picture):
    """Every frame, in a mode WebP stores, turned as EXIF orientation says."""
    has_alpha = picture.mode in {"RGBA", "LA", "PA"} or "transparency" in picture.info
    mode = "RGBA" if has_alpha else "RGB"
    if getattr(picture, "n_frames", 1) == 1:
        return [ImageOps.exif_transpose(picture).convert(mode)]
    return [frame.convert(mode) for frame in ImageSequence.Iterator(picture)]


def encode_webp(frames, icc_profile, lossless, duration):
    """
    WebP bytes for `frames` (several for an animation). Nothing of the
    original's metadata but its colour profile is written.
    """
    options = {"lossless": True} if lossless else {"quality": LOSSY_QUALITY}
    if icc_profile:
        options["icc_profile"] = icc_profile
    if len(frames) > 1:
        options.update(
            save_all=True, append_images=frames[1:], duration=duration or 100, loop=0
        )
    buffer = BytesIO()
    frames[0].save(buffer, "WEBP", method=4, **options)
    return buffer.getvalue()


def delete_files(names):
    """Delete stored files by name; one that has gone already is skipped."""
    for name in names:
        if name:
            default_storage.delete(name)
