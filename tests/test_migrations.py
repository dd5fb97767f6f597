"""
Migrations: the models and the migrations agree, and a database created
before references had an app of their own migrates forward with its content.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import Article, ArticleReference, Reviewer
from glossary.models import Term
from references.models import Reference

# The last migrations before `references` became an app.
BEFORE_REFERENCES_APP = [
    ("articles", "0002_linked_body"),
    ("glossary", "0005_trigram_vocabulary"),
    ("references", None),
]


def test_models_and_migrations_agree(db):
    output = io.StringIO()
    call_command("makemigrations", check=True, dry_run=True, stdout=output)
    assert "No changes detected" in output.getvalue()


def migrate(targets):
    """Migrate the test database to `targets`; return the models there."""
    executor = MigrationExecutor(connection)
    return executor.migrate(targets).apps


@pytest.mark.django_db(transaction=True)
def test_database_from_before_the_move_keeps_every_reference():
    old = migrate(BEFORE_REFERENCES_APP)
    OldReference = old.get_model("articles", "Reference")
    OldArticle = old.get_model("articles", "Article")
    OldTerm = old.get_model("glossary", "Term")
    OldMention = old.get_model("glossary", "Mention")
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="articles", model="reference"
    )
    permission = Permission.objects.create(
        content_type=content_type, codename="cite_reference", name="Can cite"
    )
    reference = OldReference.objects.create(
        key="mcinnes-2007", title="Cytokines in the pathogenesis", year=2007
    )
    article = OldArticle.objects.create(title="What are cytokines?", slug="cyto")
    article.reference_links.create(reference=reference, position=1)
    term = OldTerm.objects.create(name="Adalimumab", slug="adalimumab")
    term.references.add(reference)
    blocker = OldTerm.objects.create(name="TNF blocker", slug="tnf-blocker")
    OldMention.objects.create(term=term, article=article)
    OldMention.objects.create(term=term, in_term=blocker)

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    moved = Reference.objects.get(key="mcinnes-2007")
    assert moved.pk == reference.pk
    assert moved.title == "Cytokines in the pathogenesis"
    link = ArticleReference.objects.get(article_id=article.pk)
    assert link.reference == moved and link.position == 1
    assert list(Term.objects.get(pk=term.pk).references.all()) == [moved]
    assert [a.pk for a in Term.objects.get(pk=term.pk).mentioned_in_articles.all()] == [
        article.pk
    ]
    assert [t.pk for t in Term.objects.get(pk=term.pk).mentioned_in_terms.all()] == [
        blocker.pk
    ]
    assert list(Article.objects.get(pk=article.pk).mentioned_terms.all()) == [
        Term.objects.get(pk=term.pk)
    ]
    content_type.refresh_from_db()
    assert content_type.app_label == "references"
    permission.refresh_from_db()
    assert permission.content_type_id == content_type.pk


@pytest.mark.django_db(transaction=True)
def test_typed_medical_reviewers_become_records_and_statuses_keep_their_meaning():
    old = migrate([("articles", "0011_edit_count")])
    OldArticle = old.get_model("articles", "Article")
    typed = {
        "draft-one": ("draft", "Dr Jane Roe, MD"),
        "published-one": ("published", " dr jane  roe, MD"),
        "panel": ("published", "Medical review panel"),
        "unreviewed": ("draft", ""),
    }
    for slug, (status, reviewer) in typed.items():
        OldArticle.objects.create(
            title=slug, slug=slug, status=status, medical_reviewer=reviewer
        )

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    articles = {
        article.slug: article
        for article in Article.objects.select_related("medical_reviewer")
    }
    assert {slug: article.status for slug, article in articles.items()} == {
        slug: status for slug, (status, __) in typed.items()
    }
    assert str(articles["draft-one"].medical_reviewer) == "Dr Jane Roe, MD"
    assert (
        articles["published-one"].medical_reviewer
        == articles["draft-one"].medical_reviewer
    )
    assert str(articles["panel"].medical_reviewer) == "Medical review panel"
    assert articles["unreviewed"].medical_reviewer is None
    assert Reviewer.objects.count() == 2

    back = migrate([("articles", "0012_publishing_workflow")])
    names = dict(
        back.get_model("articles", "Article").objects.values_list(
            "slug", "medical_reviewer"
        )
    )
    assert names == {
        "draft-one": "Dr Jane Roe, MD",
        "published-one": "Dr Jane Roe, MD",
        "panel": "Medical review panel",
        "unreviewed": "",
    }
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
