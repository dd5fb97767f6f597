from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_medical_reviewer_names_to_records"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="article",
            name="medical_reviewer_name",
        ),
    ]
