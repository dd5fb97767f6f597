"""
How a body names an uploaded image: `![](image:slug)`, or with its own alt
text `![alt text](image:slug)`. The glossary's renderer reads this syntax
(glossary/figures.py); the admin shows editors the code to copy. Slugs are
read in any case, as they are stored in lower case.
"""

import re
from urllib.parse import unquote

from django.dispatch import Signal

EMBED_SCHEME = "image:"
EMBEDDED_SLUG = re.compile(r"image:\s*([\w-]+)", re.IGNORECASE)

# Sent by Image.save() inside the save's transaction when the slug has
# changed, with `image` and `old_slug`, for the apps whose bodies embed
# images, which this app never imports. Receivers that rewrite the embeds
# of the old slug return the pages they changed, as (model label, primary
# key) pairs, so that the editor can be told how many: a page two
# receivers change (an article, and its changes waiting for approval)
# counts once.
slug_changed = Signal()


def embed_code(slug):
    """What an editor types to embed the image with `slug`."""
    return f"![]({EMBED_SCHEME}{slug})"


def embedded_slug(src):
    """
    The slug an image's address names if it is `image:slug` (any case), or
    None for any other address, which is never an uploaded image.
    """
    if not src[: len(EMBED_SCHEME)].lower() == EMBED_SCHEME:
        return None
    return unquote(src[len(EMBED_SCHEME) :]).strip().lower()


def slugs_in(source):
    """Every slug `source` may embed, lower-cased, for looking them up at once."""
    return {slug.lower() for slug in EMBEDDED_SLUG.findall(source or "")}
