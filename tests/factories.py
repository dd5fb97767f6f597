"""Plain functions that build rows with sensible defaults for tests."""

import itertools
import time
from io import BytesIO

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django.utils.text import slugify
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image as PillowImage

from articles.models import Article, ArticleReference
from glossary.models import Term
from images.models import Image
from images.tasks import make_renditions
from portal.sign_in.two_factor import DEVICE_NAME, confirmed_device
from references.models import Reference

_numbers = itertools.count(1)


def make_reference(**overrides):
    number = next(_numbers)
    values = {
        "key": f"ref-{number}",
        "kind": Reference.Kind.JOURNAL_ARTICLE,
        "authors": "Doe J, Roe R",
        "title": f"A study number {number}",
        "container": "J Test Med",
        "year": 2020,
    }
    values.update(overrides)
    return Reference.objects.create(**values)


def make_article(references=(), tags=(), **overrides):
    number = next(_numbers)
    values = {
        "title": f"Article {number}",
        "summary": "A short summary.",
        "body": "Some text.",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - timezone.timedelta(days=1),
    }
    values.update(overrides)
    article = Article.objects.create(**values)
    for position, reference in enumerate(references, start=1):
        ArticleReference.objects.create(
            article=article, reference=reference, position=position
        )
    if tags:
        article.tags.set(list(tags))
    return article


def make_term(**overrides):
    number = next(_numbers)
    values = {
        "name": f"Term {number}",
        "kind": Term.Kind.CONCEPT,
        "definition": "A thing used in tests.",
    }
    values.update(overrides)
    return Term.objects.create(**values)


def make_terms(names, **overrides):
    """
    Terms named `names`, written at once with bulk_create: no search rows,
    links or versions, just what the A–Z index lists.
    """
    terms = []
    for name in names:
        values = {
            "name": name,
            "slug": f"{slugify(name) or 'term'}-{next(_numbers)}",
            "kind": Term.Kind.CONCEPT,
            "definition": "A thing used in tests.",
        }
        values.update(overrides)
        term = Term(**values)
        term.file_in_index()
        terms.append(term)
    return Term.objects.bulk_create(terms)


def image_bytes(image_format="PNG", size=(1200, 800), **save_options):
    """A picture encoded as `image_format`, with Pillow's save options."""
    picture = PillowImage.new("RGB", size, (30, 110, 170))
    # A second colour, so that encoders cannot reduce it to nothing.
    picture.paste((240, 200, 40), (0, 0, size[0] // 2, size[1] // 2))
    buffer = BytesIO()
    picture.save(buffer, image_format, **save_options)
    return buffer.getvalue()


def image_upload(name="chart.png", content=None, content_type="image/png"):
    """A file as the browser uploads it."""
    return SimpleUploadedFile(name, content or image_bytes(), content_type)


def make_image(with_sizes=True, **overrides):
    """An uploaded image; `with_sizes` makes its renditions as the task does."""
    number = next(_numbers)
    values = {
        "title": f"Chart {number}",
        "alt_text": "Bar chart of IL-6 levels falling after treatment.",
        "file": image_upload(),
    }
    values.update(overrides)
    image = Image.objects.create(**values)
    if with_sizes:
        make_renditions.call(image.pk)
        image.refresh_from_db()
    return image


def make_user(username, *groups, **fields):
    """A staff user in the named groups (see portal/roles.py), not a superuser."""
    user = User.objects.create_user(
        username, password="pw-12345", is_staff=True, **fields
    )
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


def give_device(user):
    """`user`'s confirmed authenticator app, made if they have none."""
    return confirmed_device(user) or TOTPDevice.objects.create(
        user=user, name=DEVICE_NAME, confirmed=True
    )


def current_code(device):
    """
    A code `device` accepts now: the current one, or the next (within the
    device's tolerance) when the current one was used already, as codes
    are accepted once.
    """
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, user):
    """
    `client` signed in as `user` the way the admin's sign-in leaves a
    session: logged in, with the code of their authenticator app (given
    one) accepted, so that two-factor authentication is passed.
    """
    device = give_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def logged_in(user):
    """A browser session of `user`, signed in (see sign_in)."""
    return sign_in(Client(), user)


def sign_in_browser(context, site_url, user):
    """
    Sign `user` in to the site at `site_url` in a Playwright browser
    `context`: the session of `logged_in`, given to the browser as its
    cookie. The one place browser tests sign in without the form.
    """
    session = logged_in(user).cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": session.key, "value": session.value, "url": site_url}]
    )
