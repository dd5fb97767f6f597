"""
What an uploaded file must be to become an image on the site, checked with
Pillow in the editor's request, before anything is stored: a JPEG, PNG,
WebP or GIF (never SVG, which can carry scripts) within the size and pixel
limits of the settings, that decodes from start to end. The file is read
once; nothing here resizes it (see images/renditions.py).
"""

import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image as Pillow
from PIL import UnidentifiedImageError

# Pillow's format names, with the extension a stored original gets: the
# format read from the file decides it, never the name it was uploaded
# under ("evil.png" that is a JPEG is stored as .jpg).
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
ACCEPTED_NAMES = "JPEG, PNG, WebP or GIF"

# EXIF orientations that turn the picture a quarter: a phone photo taken
# upright is stored on its side with one of these, and shown upright.
ORIENTATION_TAG = 0x0112
QUARTER_TURNS = {5, 6, 7, 8}

# Read errors of a damaged or cut-off file: Pillow raises OSError for a
# truncated one, the others for broken headers and chunks.
UNREADABLE = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError)


@dataclass(frozen=True)
class ImageFacts:
    """What reading an upload found: its format and size as shown."""

    format: str
    width: int
    height: int
    frames: int = 1

    @property
    def extension(self):
        return ACCEPTED_FORMATS[self.format]


def millions(pixels):
    return f"{pixels / 1_000_000:,.1f}".removesuffix(".0")


def looks_like_svg(file, head):
    name = (getattr(file, "name", "") or "").lower()
    start = head.lstrip().lower()
    return (
        name.endswith((".svg", ".svgz"))
        or start.startswith(b"<svg")
        or (start.startswith(b"<?xml") and b"<svg" in head.lower())
    )


def inspect_upload(file):
    """
    The ImageFacts of an uploaded `file`, or a ValidationError whose
    message tells the editor what to do instead. The file is left at its
    start.
    """
    max_size = settings.IMAGE_MAX_FILE_SIZE
    if file.size > max_size:
        raise ValidationError(
            f"The file is {filesizeformat(file.size)}; an image can be at most "
            f"{filesizeformat(max_size)}. Save it smaller (about 3,000 pixels "
            f"across is plenty for any screen) and upload it again.",
            code="file_too_large",
        )
    file.seek(0)
    head = file.read(1024)
    file.seek(0)
    if looks_like_svg(file, head):
        raise ValidationError(
            "SVG images are not accepted: they can carry scripts that would "
            "run in readers' browsers. Export the picture as PNG and upload "
            "that.",
            code="svg",
        )
    try:
        facts = read_image(file)
    finally:
        file.seek(0)
    return facts


def read_image(file):
    # Pillow warns about images over its own pixel limit and refuses those
    # over twice it, before decoding anything; both are refusals here.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Pillow.DecompressionBombWarning)
        try:
            with Pillow.open(file) as picture:
                return check_picture(picture)
        except (Pillow.DecompressionBombError, Pillow.DecompressionBombWarning):
            raise ValidationError(
                f"The image has far more pixels than the "
                f"{millions(settings.IMAGE_MAX_PIXELS)} million an image may "
                f"have. Make it smaller and upload it again.",
                code="too_many_pixels",
            ) from None
        except UnidentifiedImageError:
            raise ValidationError(
                f"This file is not a {ACCEPTED_NAMES} image (a renamed "
                f"document, perhaps). Upload the picture itself, saved in "
                f"one of those formats.",
                code="not_an_image",
            ) from None
        except UNREADABLE:
            raise ValidationError(
                "The file could not be read to the end as an image: it is "
                "damaged or incomplete. Export the picture again and upload "
                "the new file.",
                code="damaged",
            ) from None


def check_picture(picture):
    if picture.format not in ACCEPTED_FORMATS:
        raise ValidationError(
            f"This is a {picture.format} image; only {ACCEPTED_NAMES} images "
            f"are accepted. Save it in one of those formats and upload it again.",
            code="format",
        )
    width, height = picture.size
    frames = getattr(picture, "n_frames", 1)
    pixels = width * height * frames
    max_pixels = settings.IMAGE_MAX_PIXELS
    if pixels > max_pixels:
        in_frames = f" in its {frames:,} frames" if frames > 1 else ""
        raise ValidationError(
            f"The image is {width:,} × {height:,} pixels{in_frames} "
            f"({millions(pixels)} million); the most is "
            f"{millions(max_pixels)} million pixels. Make it smaller and "
            f"upload it again.",
            code="too_many_pixels",
        )
    if picture.getexif().get(ORIENTATION_TAG) in QUARTER_TURNS:
        width, height = height, width
    if picture.format == "JPEG":
        # Decoding at an eighth of the size reads every block of the file,
        # which finds a cut-off or damaged one, in a fraction of the time.
        picture.draft(picture.mode, (picture.width // 8, picture.height // 8))
    for frame in range(frames):
        picture.seek(frame)
        picture.load()
    return ImageFacts(picture.format, width, height, frames)
