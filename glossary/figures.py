"""
Images in bodies. `![](image:slug)` shows an uploaded image (images app) as
a figure: its sizes in `srcset`, its alt text (or the embed's own), caption
and credit. Every other image an editor writes is never shown, so that no
page makes readers' browsers fetch from another server (a tracker, say):
Markdown images with any other address (`https:`, `//host`, `data:`, a
path), given inline or by a reference definition (`[fig]: image:slug`
is an uploaded image too), and `<img>` typed as HTML. Readers see "Image
not shown: alt (external)" in their place; the body's link problems name
them, telling the editor to upload the image. A new slug is written into
the bodies that embed the old one with `re_embed`.

Imports no models: the images a body embeds are looked up before it is
rendered and passed in as EmbeddedImage values.
"""

import re
from dataclasses import dataclass
from html import escape, unescape

from glossary.citing import CODE_OR_ESCAPE
from glossary.markers import marked, staff_only
from images.embedding import EMBED_SCHEME, embed_code, embedded_slug

# The column bodies are set in (portal/static/portal/site.css, `.wrap`:
# 46rem less its padding), so that a browser picks the smallest file that
# fills it on every screen.
SIZES = "(min-width: 46rem) 44rem, calc(100vw - 2rem)"
# How much of an external address a link problem keeps.
SOURCE_SHOWN_LENGTH = 120

# An <img> typed as HTML, as browsers read one (they read <image> as <img>
# too), up to the end of the tag.
RAW_IMAGE = re.compile(r"<im(?:g|age)(?=[\s/>])[^>]*>?", re.IGNORECASE)
RAW_ATTRIBUTE = r"(?:^|[\s/\"']){name}\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))"
RAW_SRC = re.compile(RAW_ATTRIBUTE.format(name="src"), re.IGNORECASE)
RAW_ALT = re.compile(RAW_ATTRIBUTE.format(name="alt"), re.IGNORECASE)

# What comes before an uploaded image's address: a Markdown image's alt
# text (brackets in it balanced, one level deep) and opening parenthesis,
# `![alt](`, or a reference definition's label, `[label]: `, at the start
# of a line (in a quote too); either may put the address in <angle
# brackets>.
IMAGE_ALT = r"(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*"
DEFINITION_LABEL = r"(?:[^\[\]\\]|\\.)+"
BEFORE_ADDRESS = (
    rf"(?:!\[{IMAGE_ALT}\]\(|^(?:[ \t]*>)*[ ]{{0,3}}\[{DEFINITION_LABEL}\]:)\s*<?"
)


@dataclass(frozen=True)
class EmbeddedImage:
    """
    What a figure shows of an uploaded image. `sources` holds (URL, width,
    height) of each size made so far, narrowest first; none while the
    background task is still making them.
    """

    slug: str
    alt_text: str
    caption: str = ""
    credit: str = ""
    sources: tuple = ()


class Figures:
    """
    Renders the images of one body, noting in its LinkReport the images
    it embeds and every image it could not show.
    """

    def __init__(self, images, report):
        self.images = {image.slug: image for image in images}
        self.report = report

    def image(self, src, alt, standalone):
        """
        HTML for a Markdown image with address `src` and alt text `alt`,
        and whether it is a block (a figure): an image alone in its
        paragraph is; elsewhere (within text, a link or a heading) it is
        the <img> alone.
        """
        slug = embedded_slug(src or "")
        if slug is None:
            self.report.image_problems.append(["external", shortened(src or "")])
            return not_shown(alt), False
        image = self.images.get(slug)
        if image is None:
            self.report.image_problems.append(["missing", slug])
            return self.missing(slug, alt), False
        self.report.embedded_images.append(slug)
        shown = img(image, alt.strip() or image.alt_text)
        if not standalone:
            return shown, False
        return f'<figure class="body-image">{shown}{figcaption(image)}</figure>', True

    def missing(self, slug, alt):
        title = escape(
            f"No image has the slug “{slug}”: upload it under Images, or "
            f"correct the slug."
        )
        if alt.strip():
            return marked(escape(alt), "missing-image", title)
        return staff_only(
            f'<span class="missing-image" title="{title}">'
            f"{escape(embed_code(slug))}</span>"
        )

    def raw_html(self, html):
        """
        `html` typed by an editor with each <img> in it replaced by the
        text readers see instead, to be sanitised with the rest.
        """
        if "<im" not in html.lower():
            return html

        def replace(match):
            tag = match.group()
            self.report.image_problems.append(
                ["external", shortened(attribute(RAW_SRC, tag) or tag)]
            )
            return not_shown(attribute(RAW_ALT, tag))

        return RAW_IMAGE.sub(replace, html)


def re_embed(source, old_slug, new_slug):
    """
    `source` with every image that embeds `old_slug` (in any case, with or
    without its own alt text or a title, or through a reference
    definition) embedding `new_slug` instead; links, other text, code and
    escaped brackets stay as typed.
    """
    embed = re.compile(
        rf"{CODE_OR_ESCAPE}|(?P<address>{BEFORE_ADDRESS}{re.escape(EMBED_SCHEME)})"
        rf"{re.escape(old_slug)}(?=[\s)>]|\Z)",
        re.IGNORECASE | re.MULTILINE,
    )

    def rewrite(match):
        if match.group("address") is None:
            return match.group()
        return f"{match.group('address')}{new_slug}"

    return embed.sub(rewrite, source)


def image_problem_label(problem):
    """How the admin names a stored image problem (LinkReport.image_problems)."""
    kind, text = problem
    if kind == "missing":
        return f"{embed_code(text)} (no such image)"
    return f"image {text} (external: upload it)"


def img(image, alt):
    if not image.sources:
        # Shown until the background task has made the sizes, a moment
        # after the upload; the body is rendered again then.
        return (
            f'<span class="image-pending">Image being prepared: '
            f"{escape(alt or image.slug)}</span>"
        )
    url, width, height = image.sources[-1]
    srcset = ""
    if len(image.sources) > 1:
        candidates = ", ".join(f"{escape(u)} {w}w" for u, w, __ in image.sources)
        srcset = f' srcset="{candidates}" sizes="{SIZES}"'
    return (
        f'<img src="{escape(url)}"{srcset} width="{width}" height="{height}" '
        f'alt="{escape(alt)}" loading="lazy" decoding="async">'
    )


def figcaption(image):
    parts = []
    if image.caption:
        parts.append(escape(image.caption))
    if image.credit:
        parts.append(f'<span class="image-credit">{escape(image.credit)}</span>')
    if not parts:
        return ""
    return f"<figcaption>{' — '.join(parts)}</figcaption>"


def not_shown(alt):
    described = f": {escape(alt.strip())}" if alt and alt.strip() else ""
    return f'<span class="image-not-shown">Image not shown{described} (external)</span>'


def shortened(text):
    text = " ".join(text.split())
    if len(text) <= SOURCE_SHOWN_LENGTH:
        return text
    return text[: SOURCE_SHOWN_LENGTH - 1] + "…"


def attribute(pattern, tag):
    match = pattern.search(tag)
    if match is None:
        return ""
    return unescape(next(value for value in match.groups() if value is not None))
