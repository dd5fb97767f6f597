"""
Versions of articles, terms and references: kept at every admin save with
who and when, compared word by word, restored through the normal save,
and deleted rows brought back with what was saved with them.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from glossary.models import Term, TermRelation
from glossary.relinking import relink_pending
from references.models import Reference
from tests.admin_pages import (
    SAVE_AND_PUBLISH,
    admin_form,
    article_add_form,
    change_url,
    set_row,
)
from tests.factories import make_article, make_reference, make_term, sign_in
from tests.html import element, elements, form_data, hrefs, links, text

pytestmark = pytest.mark.django_db


def editor(first_name, last_name):
    """A logged-in client for a staff editor with a full name."""
    user = get_user_model().objects.create_superuser(
        first_name.lower(),
        f"{first_name.lower()}@example.org",
        "pw",
        first_name=first_name,
        last_name=last_name,
    )
    client = Client()
    sign_in(client, user)
    return client


@pytest.fixture
def anna():
    return editor("Anna", "Berg")


@pytest.fixture
def bo():
    return editor("Bo", "Chen")


def put_live(obj, data):
    """
    Press "Save and publish" for a published article: its plain save would
    wait for approval, and these editors are superusers, who may publish.
    """
    if isinstance(obj, Article) and obj.edits_need_approval:
        data.update(SAVE_AND_PUBLISH)
    return data


def save_change(client, obj, rows=(), **fields):
    """Open the change form, change `fields` (and inline rows), save it."""
    data = put_live(obj, admin_form(client, change_url(obj)))
    data.update(fields)
    for prefix, index, row in rows:
        set_row(data, prefix, index, **row)
    response = client.post(change_url(obj), data)
    assert response.status_code == 302, text(response.content.decode())[:2000]
    return response


def admin_url(obj, view, *args):
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk, *args]
    )


def history_rows(client, obj):
    """The history table as (saved by, comment) rows, newest first."""
    page = client.get(admin_url(obj, "history")).content.decode()
    rows = elements(element(page, "table", id="change-history"), "tr")[1:]
    return [
        (text(cells[2]).strip(), text(cells[3]).strip())
        for cells in (elements(row, "td") for row in rows)
    ]


def versions(obj):
    return list(Version.objects.get_for_object(obj).select_related("revision"))


def restore(client, obj, version):
    """Open "Restore this version" and save the form it shows."""
    url = admin_url(obj, "revision", version.pk)
    page = client.get(url).content.decode()
    data = put_live(obj, form_data(page, f"{obj._meta.model_name}_form"))
    response = client.post(url, data)
    assert response.status_code == 302, text(response.content.decode())[:2000]


def test_each_admin_save_keeps_a_version_with_who_and_when(anna, bo):
    response = anna.post(
        reverse("admin:articles_article_add"),
        article_add_form(anna, title="Fatigue", body="Tiredness is common."),
    )
    assert response.status_code == 302
    article = Article.objects.get(title="Fatigue")
    save_change(bo, article, summary="Why it happens.")

    rows = history_rows(bo, article)
    assert [who for who, __ in rows] == ["Bo Chen", "Anna Berg"]
    assert rows[0][1] == "Changed Summary."
    saved = versions(article)
    assert saved[0].revision.user.username == "bo"
    assert saved[0].revision.date_created >= saved[1].revision.date_created


def test_the_first_admin_save_keeps_the_row_as_it_was_before(anna):
    article = make_article(title="Sleep", body="Sleep helps.")
    assert versions(article) == []

    save_change(anna, article, body="Sleep helps, and naps too.")

    rows = history_rows(anna, article)
    assert rows == [
        ("Anna Berg", "Changed Body."),
        ("Nobody in the admin", "As it was before its first change in the admin."),
    ]


def test_saves_outside_the_admin_and_relinking_keep_no_versions(anna):
    article = make_article(title="Biologics", body="Humira is given by injection.")
    term = make_term(name="Adalimumab", definition="A medicine.")
    assert links(Article.objects.get(pk=article.pk).body_html) == []

    save_change(anna, term, aliases="Humira")
    # What the background worker does after the save commits.
    relink_pending()

    relinked = Article.objects.get(pk=article.pk)
    assert [label for __, label in links(relinked.body_html)] == ["Humira"]
    assert versions(relinked) == []
    assert len(versions(term)) == 2


def test_compare_shows_the_words_each_field_changed(anna, bo):
    first, second = make_reference(key="first-2001"), make_reference(key="second-02")
    article = make_article(title="Joints", body="Swelling comes and goes.")
    save_change(anna, article, tags="arthritis")
    save_change(
        bo,
        article,
        body="Swelling comes and stays.",
        tags="arthritis, biologics",
        rows=[
            ("reference_links", 0, {"reference": str(first.pk), "position": "1"}),
            ("reference_links", 1, {"reference": str(second.pk), "position": "2"}),
        ],
    )
    newest, older = versions(article)[:2]

    page = anna.get(
        admin_url(article, "compare"), {"old": older.pk, "new": newest.pk}
    ).content.decode()

    changes = element(page, "dl", class_="field-changes")
    labels = [text(label) for label in elements(changes, "dt")]
    assert labels == ["Body", "Tags", "Reference list"]
    body, tags, reference_list = elements(changes, "dd")
    assert [text(e) for e in elements(body, "del")] == ["goes"]
    assert [text(e) for e in elements(body, "ins")] == ["stays"]
    assert "biologics" in text(element(tags, "ins"))
    assert text(element(reference_list, "ins")) == f"{first}\n{second}"
    assert "Bo Chen" in text(page) and "Anna Berg" in text(page)


def test_compare_refuses_a_version_of_another_page(anna):
    article, other = make_article(title="One"), make_article(title="Two")
    save_change(anna, article, body="New text.")
    save_change(anna, other, body="Other text.")

    response = anna.get(
        admin_url(article, "compare"),
        {"old": versions(other)[0].pk, "new": versions(article)[0].pk},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "That is not a version of this page." in text(page)
    # The history is shown again, to choose from.
    assert element(page, "table", id="change-history")


def test_restoring_an_old_body_shows_it_linked_with_its_tags(anna, bo):
    make_term(name="Adalimumab", definition="A medicine that blocks TNF.")
    # A draft: a published article's versions are not restored directly
    # (see test_pending_edits_and_history).
    article = make_article(
        title="Biologics", body="Plain text.", status=Article.Status.DRAFT
    )
    save_change(anna, article, body="Adalimumab calms the joint.", tags="biologics")
    save_change(bo, article, body="Rest calms the joint.", tags="self-care")
    old = versions(article)[1]

    restore(anna, article, old)

    # Staff see the draft as readers will.
    page = anna.get(article.get_absolute_url()).content.decode()
    assert "calms the joint." in text(page)
    assert "Rest calms" not in text(page)
    assert [label for __, label in links(page, css_class="term-link")] == ["Adalimumab"]
    article.refresh_from_db()
    assert list(article.mentioned_terms.values_list("name", flat=True)) == [
        "Adalimumab"
    ]
    assert list(article.tags.names()) == ["biologics"]
    assert history_rows(anna, article)[0][0] == "Anna Berg"
    assert history_rows(anna, article)[0][1].startswith(
        "Restored the version saved by Anna Berg"
    )


def test_restoring_brings_back_the_reference_list(anna):
    kept, added = make_reference(key="kept-2001"), make_reference(key="added-2002")
    article = make_article(
        title="Tests", references=[kept], status=Article.Status.DRAFT
    )
    save_change(anna, article, summary="A first summary.")
    save_change(
        anna,
        article,
        rows=[("reference_links", 1, {"reference": str(added.pk), "position": "2"})],
    )
    assert article.ordered_references() == [kept, added]

    restore(anna, article, versions(article)[1])

    assert Article.objects.get(pk=article.pk).ordered_references() == [kept]


def test_restoring_a_term_relinks_the_pages_that_mention_its_old_name(anna, client):
    term = make_term(name="Tocilizumab", aliases="Actemra", definition="A medicine.")
    article = make_article(title="IL-6", body="Actemra blocks a messenger.")
    save_change(anna, term, aliases="RoActemra")
    relink_pending()
    page = client.get(article.get_absolute_url()).content.decode()
    assert links(page, css_class="term-link") == []

    restore(anna, term, versions(term)[1])
    relink_pending()

    page = client.get(article.get_absolute_url()).content.decode()
    assert [label for __, label in links(page, css_class="term-link")] == ["Actemra"]


def delete(client, obj):
    response = client.post(admin_url(obj, "delete"), {"post": "yes"})
    assert response.status_code == 302


def recover(client, model, name):
    """Find `name` in the deleted list, open it and save the form."""
    opts = model._meta
    listing = client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_recoverlist")
    ).content.decode()
    rows = elements(element(listing, "table", id="change-history"), "tr")[1:]
    (url,) = [hrefs(row)[0] for row in rows if text(elements(row, "td")[0]) == name]
    page = client.get(url).content.decode()
    response = client.post(url, form_data(page, f"{opts.model_name}_form"))
    assert response.status_code == 302, text(response.content.decode())[:2000]


def test_a_deleted_term_comes_back_with_aliases_relations_and_tags(anna, client):
    tnf = make_term(name="TNF-alpha", definition="A messenger.")
    arthritis = make_term(name="Rheumatoid arthritis", definition="A disease.")
    term = make_term(name="Adalimumab", definition="A medicine.")
    save_change(
        anna,
        term,
        aliases="Humira",
        tags="biologics",
        rows=[("relations", 0, {"kind": "inhibits", "target": str(tnf.pk)})],
    )
    save_change(
        anna,
        arthritis,
        rows=[("relations", 0, {"kind": "treats", "target": str(term.pk)})],
    )
    article = make_article(title="Biologics", body="Humira is an injection.")
    delete(anna, term)
    relink_pending()
    page = client.get(article.get_absolute_url()).content.decode()
    assert links(page, css_class="term-link") == []

    recover(anna, Term, "Adalimumab")
    relink_pending()

    back = Term.objects.get(name="Adalimumab")
    assert back.alias_list == ["Humira"]
    assert list(back.tags.names()) == ["biologics"]
    assert sorted(str(relation) for relation in TermRelation.objects.all()) == [
        "Adalimumab inhibits TNF-alpha",
        "Rheumatoid arthritis treats Adalimumab",
    ]
    page = client.get(article.get_absolute_url()).content.decode()
    assert links(page, css_class="term-link") == [(back.get_absolute_url(), "Humira")]
    term_page = text(client.get(back.get_absolute_url()).content.decode())
    assert "Humira" in term_page and "TNF-alpha" in term_page


def test_a_deleted_article_comes_back_with_its_reference_list_and_tags(anna, client):
    listed = make_reference(key="listed-2001")
    article = make_article(title="Morning stiffness", references=[listed])
    save_change(
        anna, article, tags="symptoms", body="Stiff for an hour [@listed-2001]."
    )
    delete(anna, article)

    recover(anna, Article, "Morning stiffness")

    back = Article.objects.get(title="Morning stiffness")
    assert back.ordered_references() == [listed]
    assert list(back.tags.names()) == ["symptoms"]
    page = client.get(back.get_absolute_url()).content.decode()
    assert "Stiff for an hour" in text(page)
    assert "#ref-listed-2001" in [href.split("/")[-1] for href, __ in links(page)]


def test_a_deleted_reference_comes_back_and_its_citations_resolve(anna, client):
    reference = make_reference(key="doe-2020", title="A study of sleep")
    save_change(anna, reference, title="A study of sleep and joints")
    listed_as = str(Reference.objects.get(pk=reference.pk))
    term = make_term(name="Fatigue", body="Common in arthritis [@doe-2020].")
    delete(anna, reference)
    relink_pending()
    assert Term.objects.get(pk=term.pk).unknown_citations == ["doe-2020"]

    recover(anna, Reference, listed_as)
    relink_pending()

    assert Reference.objects.get(key="doe-2020").title == "A study of sleep and joints"
    assert Term.objects.get(pk=term.pk).unknown_citations == []


def test_restoring_leaves_out_a_relation_to_a_term_deleted_since(anna):
    gone = make_term(name="Etanercept", definition="A medicine.")
    term = make_term(name="TNF inhibitor", definition="A kind of medicine.")
    save_change(
        anna,
        term,
        rows=[("relations", 0, {"kind": "related-to", "target": str(gone.pk)})],
    )
    save_change(anna, term, definition="A kind of medicine that blocks TNF.")
    delete(anna, gone)

    restore(anna, term, versions(term)[1])

    term.refresh_from_db()
    assert term.definition == "A kind of medicine."
    assert list(term.relations.all()) == []
