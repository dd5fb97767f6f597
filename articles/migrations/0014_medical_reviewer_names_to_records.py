from django.db import migrations


def names_to_records(apps, schema_editor):
    """
    One reviewer record for each name typed as a medical reviewer, however
    its case and spacing differ between articles (the first spelling met
    wins), linked from the articles that named it.
    """
    Article = apps.get_model("articles", "Article")
    Reviewer = apps.get_model("articles", "Reviewer")
    records = {}
    articles = Article.objects.exclude(medical_reviewer_name="").order_by("pk")
    for article in articles.only("pk", "medical_reviewer_name"):
        name = " ".join(article.medical_reviewer_name.split())
        if not name:
            continue
        reviewer = records.get(name.casefold())
        if reviewer is None:
            reviewer = records[name.casefold()] = Reviewer.objects.create(name=name)
        Article.objects.filter(pk=article.pk).update(medical_reviewer=reviewer)


def records_to_names(apps, schema_editor):
    """Back to typed names: each article's reviewer as readers saw it."""
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.filter(medical_reviewer__isnull=False).select_related(
        "medical_reviewer"
    ):
        reviewer = article.medical_reviewer
        name = reviewer.name
        if reviewer.credentials:
            name = f"{name}, {reviewer.credentials}"
        Article.objects.filter(pk=article.pk).update(medical_reviewer_name=name[:200])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_medical_reviewer_record"),
    ]

    operations = [
        migrations.RunPython(names_to_records, records_to_names),
    ]
