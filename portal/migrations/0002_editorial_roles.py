from django.db import migrations

from portal.roles import sync_roles


class Migration(migrations.Migration):
    """
    The Editors, Publishers and Medical reviewers groups (portal/roles.py),
    after every app whose permissions they hold. A later change of the
    roles adds a migration that calls sync_roles again.
    """

    dependencies = [
        ("portal", "0001_demo_row"),
        ("articles", "0013_remove_typed_medical_reviewer"),
        ("glossary", "0013_background_relinking"),
        ("references", "0003_key_unique_ignoring_case_and_pasted_pmid"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
