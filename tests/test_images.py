"""
Uploaded images: the admin's add form refuses what is not a safe image of
an accepted kind with a message and keeps what was typed; the background
task makes WebP sizes without the file's hidden details; bodies embed
images as figures by slug, and show no image from anywhere else.
"""

import struct
import zlib

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import reverse
from PIL import Image as PillowImage

from glossary.models import Term
from images import renditions, tasks
from images.models import Image
from tests.admin_pages import admin_form, change_url, image_add_form
from tests.factories import (
    image_bytes,
    image_upload,
    make_article,
    make_image,
    make_term,
)
from tests.html import element, elements, links, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

ADD_URL = reverse("admin:images_image_add")
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def png_claiming(width, height):
    """A tiny PNG whose header claims `width` × `height` pixels."""

    def chunk(kind, data):
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 16))
        + chunk(b"IEND", b"")
    )


def photo_with_gps(size=(1200, 800), orientation=None):
    exif = PillowImage.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (51.0, 30.0, 12.0)
    if orientation:
        exif[ORIENTATION] = orientation
    return image_bytes("JPEG", size, exif=exif.tobytes())


def upload(client, capture, **fields):
    """Post the image add form as the browser does; the page shown after."""
    data = image_add_form(client, **fields)
    with capture(execute=True):
        response = client.post(ADD_URL, data, follow=True)
    return response


@pytest.mark.parametrize(
    "name, content, content_type, extension",
    [
        ("photo.jpg", image_bytes("JPEG"), "image/jpeg", "jpg"),
        ("chart.png", image_bytes("PNG"), "image/png", "png"),
        ("diagram.webp", image_bytes("WEBP"), "image/webp", "webp"),
        ("animation.gif", image_bytes("GIF"), "image/gif", "gif"),
        # Named for the wrong format: stored as the format it is.
        ("mislabelled.png", image_bytes("JPEG"), "image/png", "jpg"),
    ],
)
def test_upload_of_accepted_image_is_saved_with_its_sizes(
    staff_client,
    django_capture_on_commit_callbacks,
    name,
    content,
    content_type,
    extension,
):
    response = upload(
        staff_client,
        django_capture_on_commit_callbacks,
        file=image_upload(name, content, content_type),
    )
    assert response.redirect_chain, text(response.content.decode())[:2000]
    image = Image.objects.get()
    assert image.slug == "il-6-levels-after-treatment"
    assert image.file.name.startswith("images/originals/")
    assert image.file.name.endswith(f".{extension}")
    assert name.split(".")[0] not in image.file.name
    assert (image.width, image.height) == (1200, 800)
    assert [(item["width"], item["height"]) for item in image.renditions] == [
        (480, 320),
        (960, 640),
        (1200, 800),
    ]
    for item in image.renditions:
        assert item["name"].startswith("images/renditions/")
        with default_storage.open(item["name"]) as file, PillowImage.open(file) as made:
            assert (made.format, made.size) == ("WEBP", (item["width"], item["height"]))


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(
    "name, content, limits, message",
    [
        ("logo.svg", SVG, {}, "SVG images are not accepted: they can carry scripts"),
        ("logo.png", SVG, {}, "SVG images are not accepted"),
        (
            "evil.png",
            b"Dear editor, this is a letter, not a picture.\n",
            {},
            "This file is not a JPEG, PNG, WebP or GIF image",
        ),
        (
            "cut-off.jpg",
            image_bytes("JPEG")[:1500],
            {},
            "The file could not be read to the end as an image: it is damaged",
        ),
        (
            "scan.bmp",
            image_bytes("BMP", (40, 30)),
            {},
            "This is a BMP image; only JPEG, PNG, WebP or GIF images are accepted",
        ),
        (
            "huge.png",
            image_bytes("PNG"),
            {"IMAGE_MAX_FILE_SIZE": 1000},
            "an image can be at most 1000\xa0bytes",
        ),
        (
            "wide.png",
            image_bytes("PNG", (2000, 1000)),
            {"IMAGE_MAX_PIXELS": 1_000_000},
            "The image is 2,000 × 1,000 pixels (2 million); the most is 1 million",
        ),
        (
            "bomb.png",
            png_claiming(100_000, 100_000),
            {},
            "The image has far more pixels than the 40 million",
        ),
    ],
)
def test_upload_that_is_not_a_safe_image_is_refused_with_typed_fields_kept(
    staff_client, django_capture_on_commit_callbacks, name, content, limits, message
):
    with override_settings(**limits):
        response = upload(
            staff_client,
            django_capture_on_commit_callbacks,
            file=image_upload(name, content),
            slug="my-chart",
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert not response.redirect_chain
    assert message in text(element(page, "div", class_="field-file"))
    assert element(page, "input", name="title").attrs["value"] == (
        "IL-6 levels after treatment"
    )
    assert element(page, "input", name="slug").attrs["value"] == "my-chart"
    assert element(page, "textarea", name="caption").text.strip() == (
        "IL-6 in patients’ blood before and after treatment."
    )
    assert Image.objects.count() == 0
    assert not default_storage.exists("images/originals")


def test_upload_without_alt_text_is_refused_unless_decorative(
    staff_client, django_capture_on_commit_callbacks
):
    response = upload(
        staff_client,
        django_capture_on_commit_callbacks,
        file=image_upload(),
        alt_text=" ",
    )
    page = response.content.decode()
    assert "Describe what the image shows for readers who cannot see it" in text(
        element(page, "div", class_="field-alt_text")
    )
    assert (
        element(page, "input", name="credit").attrs["value"]
        == "Chart: J. Doe, CC BY 4.0"
    )

    response = upload(
        staff_client,
        django_capture_on_commit_callbacks,
        file=image_upload(),
        alt_text="",
        is_decorative="on",
    )
    assert response.redirect_chain
    assert Image.objects.get().is_decorative is True


def test_decorative_image_with_alt_text_is_refused(
    staff_client, django_capture_on_commit_callbacks
):
    response = upload(
        staff_client,
        django_capture_on_commit_callbacks,
        file=image_upload(),
        is_decorative="on",
    )
    assert "A decorative image is shown without alt text" in text(
        response.content.decode()
    )


def test_served_sizes_carry_no_gps_and_stand_upright(settings):
    image = make_image(file=image_upload("phone.jpg", photo_with_gps((1200, 800), 6)))
    with (
        default_storage.open(image.file.name) as file,
        PillowImage.open(file) as original,
    ):
        assert original.getexif().get_ifd(GPS_IFD)
    # Taken on its side (orientation 6): shown 800 wide, 1200 high.
    assert (image.width, image.height) == (800, 1200)
    assert [item["width"] for item in image.renditions] == [480, 800]
    for item in image.renditions:
        with default_storage.open(item["name"]) as file, PillowImage.open(file) as made:
            assert made.height > made.width
            assert "exif" not in made.info
            assert "xmp" not in made.info
            assert not made.getexif()


def test_sizes_are_never_wider_than_the_original():
    image = make_image(file=image_upload(content=image_bytes("PNG", (300, 200))))
    assert [(item["width"], item["height"]) for item in image.renditions] == [
        (300, 200)
    ]


def test_slug_is_filled_from_title_with_clashes_numbered():
    first = make_image(title="Joint X-ray", with_sizes=False)
    second = make_image(title="Joint X-ray", with_sizes=False)
    unnamed = make_image(
        title="αβγ", file=image_upload("knee-scan.png"), with_sizes=False
    )
    assert (first.slug, second.slug) == ("joint-x-ray", "joint-x-ray-2")
    assert unnamed.slug == "knee-scan"


def figure_of(page):
    return element(element(page, "div", class_="body"), "figure")


def test_embedded_image_renders_as_figure_with_sizes_alt_caption_and_credit(client):
    image = make_image(
        slug="il6-chart", caption="IL-6 falls after treatment.", credit="Chart: J. Doe"
    )
    article = make_article(body="Before.\n\n![](image:IL6-Chart)\n\nAfter.")
    page = client.get(article.get_absolute_url()).content.decode()
    figure = figure_of(page)
    img = element(figure, "img")
    urls = [default_storage.url(item["name"]) for item in image.renditions]
    assert img.attrs["src"] == urls[-1]
    assert img.attrs["srcset"] == f"{urls[0]} 480w, {urls[1]} 960w, {urls[2]} 1200w"
    assert img.attrs["sizes"]
    assert (img.attrs["width"], img.attrs["height"]) == ("1200", "800")
    assert img.attrs["alt"] == "Bar chart of IL-6 levels falling after treatment."
    assert (img.attrs["loading"], img.attrs["decoding"]) == ("lazy", "async")
    assert element(figure, "figcaption").text == (
        "IL-6 falls after treatment. — Chart: J. Doe"
    )
    # A figure stands in place of its paragraph, never inside one.
    assert [p.text for p in elements(element(page, "div", class_="body"), "p")] == [
        "Before.",
        "After.",
    ]
    assert client.get(urls[0]).status_code == 200


def test_embed_gives_its_own_alt_text_and_decorative_images_none(client):
    make_image(slug="hand-xray")
    make_image(slug="ornament", alt_text="", is_decorative=True)
    term = make_term(
        body="![Hand X-ray with swollen knuckles](image:hand-xray)\n\n"
        "![](image:ornament)"
    )
    page = client.get(term.get_absolute_url()).content.decode()
    assert [img.attrs["alt"] for img in elements(page, "img")] == [
        "Hand X-ray with swollen knuckles",
        "",
    ]


def test_image_in_a_sentence_or_link_is_an_img_without_figure(client):
    make_image(slug="icon")
    article = make_article(body="See [![](image:icon)](https://example.org) and this.")
    page = client.get(article.get_absolute_url()).content.decode()
    body = element(page, "div", class_="body")
    assert elements(body, "figure") == []
    ((href, __),) = links(body)
    assert href == "https://example.org"
    assert element(body, "img").attrs["alt"]


def test_image_still_being_sized_shows_no_img_until_its_sizes_are_made(
    client, django_capture_on_commit_callbacks
):
    image = make_image(slug="fresh", with_sizes=False)
    article = make_article(body="![](image:fresh)")
    page = client.get(article.get_absolute_url()).content.decode()
    assert elements(page, "img") == []
    assert "Image being prepared" in text(figure_of(page))

    with django_capture_on_commit_callbacks(execute=True):
        tasks.make_renditions.call(image.pk)
    page = client.get(article.get_absolute_url()).content.decode()
    assert element(figure_of(page), "img").attrs["srcset"]


def test_unknown_slug_is_a_link_problem_not_a_broken_image(staff_client):
    article = make_article(title="Joint pain", body="Look:\n\n![](image:no-such-chart)")
    staff_page = staff_client.get(article.get_absolute_url()).content.decode()
    marker = element(staff_page, "span", class_="missing-image")
    assert "No image has the slug “no-such-chart”" in marker.attrs["title"]
    problems = staff_client.get(reverse("admin:link-problems")).content.decode()
    row = [tr for tr in elements(problems, "tr") if "Joint pain" in tr.text]
    assert "![](image:no-such-chart) (no such image)" in row[0].text

    staff_client.logout()
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert elements(page, "img") == []
    assert "no-such-chart" not in page


REMOTE = "tracker.example"
REMOTE_SPELLINGS = [
    f"![x](https://{REMOTE}/p.gif)",
    f"![x](HTTPS://{REMOTE.upper()}/P.GIF)",
    f"![x](//{REMOTE}/p.gif)",
    "![x](data:image/gif;base64,R0lGODlhAQABAAAAACw=)",
    f"![x](&#104;ttps://{REMOTE}/p.gif)",
    f"![x][pixel]\n\n[pixel]: https://{REMOTE}/p.gif",
    f"[![x](https://{REMOTE}/p.gif)](https://example.org/)",
    f"| a | b |\n|---|---|\n| ![x](https://{REMOTE}/p.gif) | c |",
    f'<img src="https://{REMOTE}/p.gif" alt="x">',
    f"<IMG SRC=https://{REMOTE}/p.gif>",
    f'<img src="&#104;ttps://{REMOTE}/p.gif">',
    f"<p>Text <img\nsrc='//{REMOTE}/p.gif'></p>",
    f"<image src=https://{REMOTE}/p.gif>",
    f'<picture><source srcset="https://{REMOTE}/p.gif"><img src="https://{REMOTE}/p.gif"></picture>',
    f'<a href="https://example.org/"><img src="https://{REMOTE}/p.gif"></a>',
    "![x](chart.png)",
]


@pytest.mark.parametrize("body", REMOTE_SPELLINGS)
def test_no_image_from_elsewhere_reaches_a_page(client, body):
    article = make_article(body=f"Intro.\n\n{body}\n")
    term = make_term(body=f"Term body.\n\n{body}\n")
    for url in (article.get_absolute_url(), term.get_absolute_url()):
        page = client.get(url).content.decode()
        assert elements(element(page, "div", class_="body"), "img") == []
        assert REMOTE not in page.lower()
        assert "data:image" not in page
        assert "Image not shown" in text(element(page, "div", class_="body"))
    for body_row in (article, term):
        body_row.refresh_from_db()
        assert [kind for kind, __ in body_row.image_problems] == ["external"] * len(
            body_row.image_problems
        )
        assert body_row.image_problems


def test_external_image_is_named_on_the_link_problems_page(staff_client):
    make_article(title="Tracked", body=f"![x](https://{REMOTE}/p.gif)")
    problems = staff_client.get(reverse("admin:link-problems")).content.decode()
    row = [tr for tr in elements(problems, "tr") if "Tracked" in tr.text]
    assert f"image https://{REMOTE}/p.gif (external: upload it)" in row[0].text


def test_saving_a_body_with_an_external_image_warns_the_editor(staff_client):
    article = make_article(title="Tracked")
    url = change_url(article)
    data = admin_form(staff_client, url)
    data["body"] = f"![x](https://{REMOTE}/p.gif)"
    page = staff_client.post(url, data, follow=True).content.decode()
    (warning,) = [li.text for li in elements(page, "li", class_="warning")]
    assert f"image https://{REMOTE}/p.gif (external: upload it)" in warning
    assert "upload images under Images" in warning


def test_remote_images_in_definitions_summaries_stay_text(client):
    typed = f'![x](https://{REMOTE}/p.gif) <img src="https://{REMOTE}/q.gif">'
    make_term(name="Trackerin", definition=f"A made-up protein. {typed}")
    make_article(title="Tracked summary", summary=f"Summary {typed}")
    suggest = client.get(reverse("glossary:suggest"), {"q": "trackerin"})
    # Plain text, which suggest.js puts on the page as text.
    assert suggest.json()["results"][0]["definition"] == f"A made-up protein. {typed}"
    feed = client.get(reverse("articles:feed")).content.decode()
    # Escaped twice, so that a feed reader shows the text, not an image.
    assert "&lt;img" not in feed.replace("&amp;lt;img", "")
    for url in ("/glossary/trackerin/", "/articles/", "/search/?q=trackerin"):
        page = client.get(url).content.decode()
        assert elements(page, "img") == [], url


def test_new_image_shows_in_bodies_that_named_its_slug_before(
    staff_client, client, django_capture_on_commit_callbacks
):
    article = make_article(body="![](image:il-6-levels-after-treatment)")
    assert article.image_problems
    upload(staff_client, django_capture_on_commit_callbacks, file=image_upload())
    page = client.get(article.get_absolute_url()).content.decode()
    assert element(figure_of(page), "img").attrs["alt"].startswith("Bar chart: IL-6")
    article.refresh_from_db()
    assert article.image_problems == []


def test_changing_alt_text_and_caption_in_admin_rerenders_the_pages(
    staff_client, client, django_capture_on_commit_callbacks
):
    image = make_image(slug="knee")
    article = make_article(body="![](image:knee)")
    term = make_term(body="![](image:knee)")
    url = change_url(image)
    data = admin_form(staff_client, url)
    data.update(alt_text="Swollen knee joint, seen from the side.", caption="A knee.")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, data, follow=True)
    assert response.redirect_chain
    assert "are being updated in the background" in text(response.content.decode())
    for body in (article, term):
        figure = figure_of(client.get(body.get_absolute_url()).content.decode())
        assert element(figure, "img").attrs["alt"] == (
            "Swollen knee joint, seen from the side."
        )
        assert element(figure, "figcaption").text == "A knee."


def test_admin_pages_show_thumbnail_embed_code_and_where_it_is_shown(staff_client):
    image = make_image(slug="knee", title="Knee")
    article = make_article(title="Knee pain", body="![](image:knee)")
    listing = staff_client.get(reverse("admin:images_image_changelist"))
    thumbnail = element(
        element(listing.content.decode(), class_="field-thumbnail"), "img"
    )
    assert thumbnail.attrs["src"] == default_storage.url(image.renditions[0]["name"])
    found = staff_client.get(reverse("admin:images_image_changelist"), {"q": "knee"})
    assert "Knee" in text(element(found.content.decode(), "table", id="result_list"))

    page = staff_client.get(change_url(image)).content.decode()
    assert element(page, "code", class_="embed-code").text == "![](image:knee)"
    assert links(element(page, "div", class_="field-used_in")) == [
        (change_url(article), "Knee pain")
    ]


def test_delete_page_lists_bodies_showing_the_image_which_then_report_it(
    staff_client, client, django_capture_on_commit_callbacks
):
    image = make_image(slug="knee", title="Knee")
    article = make_article(title="Knee pain", body="![](image:knee)")
    term = make_term(name="Knee joint", body="![Knee](image:knee)")
    names = image.stored_file_names()
    url = reverse("admin:images_image_delete", args=[image.pk])
    page = staff_client.get(url).content.decode()
    listed = element(page, "div", class_="image-shown-in")
    assert "2 pages show “Knee”" in listed.text
    assert links(listed) == [
        (article.get_absolute_url(), "Knee pain"),
        (term.get_absolute_url(), "Knee joint"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {"post": "yes"})
    assert not Image.objects.exists()
    assert not any(default_storage.exists(name) for name in names)
    article.refresh_from_db()
    assert article.image_problems == [["missing", "knee"]]
    client.logout()
    visitor_page = client.get(term.get_absolute_url()).content.decode()
    assert elements(visitor_page, "img") == []
    assert "Knee" in text(element(visitor_page, "div", class_="body"))
    assert Term.objects.get(pk=term.pk).embedded_images.count() == 0


def test_sizes_made_from_a_replaced_file_are_thrown_away():
    image = make_image(slug="knee", with_sizes=False)
    old_name = image.file.name
    made = renditions.make_renditions(old_name)
    image.file = image_upload("new.png")
    image.save()
    unused = image.store_renditions(old_name, made)
    image.refresh_from_db()
    assert image.renditions == []
    assert unused == [item["name"] for item in made]


def test_media_is_not_served_by_django_unless_configured(client, settings):
    image = make_image()
    url = default_storage.url(image.renditions[0]["name"])
    settings.SERVE_MEDIA = False
    assert client.get(url).status_code == 404


def test_originals_are_neither_linked_in_the_admin_nor_served(staff_client, client):
    image = make_image(title="Knee photo")
    page = staff_client.get(change_url(image)).content.decode()
    original = image.file.url
    assert original not in page
    assert client.get(original).status_code == 404
    dotted = original.replace("/originals/", "/./originals/")
    assert client.get(dotted).status_code == 404
    rendition = image.renditions[0]["name"]
    assert client.get(f"{settings.MEDIA_URL}{rendition}").status_code == 200
