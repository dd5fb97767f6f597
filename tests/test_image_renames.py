"""
A new slug for an image in the admin: every article and term body that
embeds the old one (and every change waiting for approval) embeds the new
one instead, so readers keep seeing the figure, and the editor is told how
many pages changed.
"""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, PendingRevision
from glossary.models import Term
from tests.admin_pages import admin_form, change_url
from tests.factories import logged_in, make_article, make_image, make_term
from tests.html import element, elements, form_data, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def success_messages(page):
    return [text(li).strip() for li in elements(page, "li", class_="success")]


def rename_in_admin(client, image, new_slug, capture):
    """Post the image's change form with `new_slug`; the page shown after."""
    url = change_url(image)
    data = admin_form(client, url)
    data["slug"] = new_slug
    with capture(execute=True):
        response = client.post(url, data, follow=True)
    assert response.redirect_chain, response.content.decode()[:3000]
    return response.content.decode()


def reader_figures(client, body):
    """(alt, caption) of each figure a visitor sees on `body`'s page."""
    page = client.get(body.get_absolute_url()).content.decode()
    return [
        (element(figure, "img").attrs["alt"], text(element(figure, "figcaption")))
        for figure in elements(element(page, "div", class_="body"), "figure")
    ]


@pytest.fixture
def knee():
    return make_image(
        slug="knee",
        title="Knee",
        alt_text="Swollen knee joint, seen from the side.",
        caption="A knee in a flare.",
    )


def test_renamed_image_keeps_its_figures_for_readers(
    staff_client, client, django_capture_on_commit_callbacks, knee
):
    article = make_article(
        title="Knee pain", body="Before.\n\n![](image:Knee)\n\nAfter."
    )
    term = make_term(name="Knee joint", body='![Bent knee](image:knee "Bent")')
    page = rename_in_admin(
        staff_client, knee, "knee-joint", django_capture_on_commit_callbacks
    )

    assert (
        "2 articles or terms embedding “image:knee” now embed “image:knee-joint”."
        in success_messages(page)
    )
    article.refresh_from_db()
    assert article.body == "Before.\n\n![](image:knee-joint)\n\nAfter."
    assert article.image_problems == []
    assert Term.objects.get(pk=term.pk).body == (
        '![Bent knee](image:knee-joint "Bent")'
    )
    staff_page = staff_client.get(article.get_absolute_url()).content.decode()
    assert elements(staff_page, "span", class_="missing-image") == []
    problems = staff_client.get(reverse("admin:link-problems")).content.decode()
    assert "Knee pain" not in text(problems)
    client.logout()
    assert reader_figures(client, article) == [
        ("Swollen knee joint, seen from the side.", "A knee in a flare.")
    ]
    assert reader_figures(client, term) == [("Bent knee", "A knee in a flare.")]


def test_renaming_rewrites_every_form_of_embed_and_nothing_else(
    staff_client, client, django_capture_on_commit_callbacks, knee
):
    make_image(slug="knee-2")
    untouched = (
        "Code `![](image:knee)`, escaped \\![](image:knee), a link "
        "[x](image:knee), the text image:knee and ![](image:knee-2).\n\n"
        "```\n![](image:knee)\n```\n"
    )
    article = make_article(
        body=(
            "![](IMAGE:Knee)\n\n"
            '![Left [inner] side](image:knee "Title")\n\n'
            "![](<image:knee>)\n\n"
            "![Knee][fig]\n\n"
            "> ![](image:knee)\n\n"
            "Stray ``ticks, then ![](image:knee).\n\n"
            f"{untouched}\n"
            "[fig]: image:knee\n"
        )
    )
    draft = make_article(body="![](image:knee)", status=Article.Status.DRAFT)
    term = make_term(body="Shown inline ![](image:knee) in a sentence.")
    make_article(body="![](image:knee-2)")
    page = rename_in_admin(
        staff_client, knee, "knee-joint", django_capture_on_commit_callbacks
    )

    assert (
        "3 articles or terms embedding “image:knee” now embed “image:knee-joint”."
        in success_messages(page)
    )
    article.refresh_from_db()
    assert article.body == (
        "![](IMAGE:knee-joint)\n\n"
        '![Left [inner] side](image:knee-joint "Title")\n\n'
        "![](<image:knee-joint>)\n\n"
        "![Knee][fig]\n\n"
        "> ![](image:knee-joint)\n\n"
        "Stray ``ticks, then ![](image:knee-joint).\n\n"
        f"{untouched}\n"
        "[fig]: image:knee-joint\n"
    )
    assert Article.objects.get(pk=draft.pk).body == "![](image:knee-joint)"
    assert Term.objects.get(pk=term.pk).body == (
        "Shown inline ![](image:knee-joint) in a sentence."
    )
    assert [alt for alt, __ in reader_figures(client, article)] == [
        "Swollen knee joint, seen from the side.",
        "Left [inner] side",
        "Swollen knee joint, seen from the side.",
        "Knee",
        "Swollen knee joint, seen from the side.",
    ]
    assert article.image_problems == []


def test_renaming_with_nothing_embedding_says_so(
    staff_client, django_capture_on_commit_callbacks, knee
):
    page = rename_in_admin(
        staff_client, knee, "knee-x-ray", django_capture_on_commit_callbacks
    )
    assert (
        "0 articles or terms embedding “image:knee” now embed “image:knee-x-ray”."
        in success_messages(page)
    )


def test_rewritten_bodies_keep_no_version_of_the_rewrite(
    staff_client, django_capture_on_commit_callbacks, knee
):
    term = make_term(name="Knee joint", body="![](image:knee)")
    url = change_url(term)
    data = admin_form(staff_client, url)
    data["definition"] = "The joint between thigh and shin."
    staff_client.post(url, data)
    saved = list(Version.objects.get_for_object(term))
    rename_in_admin(
        staff_client, knee, "knee-joint", django_capture_on_commit_callbacks
    )

    # Only what editors saved is in the history.
    assert list(Version.objects.get_for_object(term)) == saved
    assert saved[0].field_dict["body"] == "![](image:knee)"
    assert Term.objects.get(pk=term.pk).body == "![](image:knee-joint)"


def test_changes_waiting_for_approval_embed_the_new_slug_when_approved(
    editor, publisher, staff_client, client, django_capture_on_commit_callbacks, knee
):
    article = make_article(title="Knee pain", body="Rest helps.\n\n![](image:knee)")
    url = change_url(article)
    data = admin_form(logged_in(editor), url)
    data["body"] = "Rest and ice help.\n\n![Iced knee](image:knee)"
    logged_in(editor).post(url, data)
    # Read by the publisher before the rename, approved after it.
    approver = logged_in(publisher)
    review = approver.get(
        reverse("admin:articles_article_review", args=[article.pk])
    ).content.decode()
    approval = form_data(review, "approve-form")

    page = rename_in_admin(
        staff_client, knee, "knee-joint", django_capture_on_commit_callbacks
    )
    # The live body and the one waiting are one page.
    assert (
        "1 article or term embedding “image:knee” now embeds “image:knee-joint”."
        in success_messages(page)
    )
    assert PendingRevision.objects.get(article=article).content["body"] == (
        "Rest and ice help.\n\n![Iced knee](image:knee-joint)"
    )
    with django_capture_on_commit_callbacks(execute=True):
        approver.post(
            reverse("admin:articles_article_approve", args=[article.pk]), approval
        )

    article.refresh_from_db()
    assert article.body == "Rest and ice help.\n\n![Iced knee](image:knee-joint)"
    assert article.image_problems == []
    assert reader_figures(client, article) == [("Iced knee", "A knee in a flare.")]


@pytest.mark.parametrize("typed", ["knee-2", "Knee-2", "KNEE-2"])
def test_slug_another_image_has_is_refused_with_the_typed_slug_kept(
    staff_client, knee, typed
):
    make_image(slug="knee-2")
    article = make_article(body="![](image:knee)")
    url = change_url(knee)
    data = admin_form(staff_client, url)
    data["slug"] = typed
    response = staff_client.post(url, data)

    assert response.status_code == 200
    page = response.content.decode()
    errors = element(page, "ul", id="id_slug_error")
    assert text(errors).strip() == "Image with this Slug already exists."
    assert element(page, "input", name="slug").attrs["value"] == typed
    assert Article.objects.get(pk=article.pk).body == "![](image:knee)"
