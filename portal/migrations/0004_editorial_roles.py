from django.db import migrations

from portal.roles import sync_roles


class Migration(migrations.Migration):
    """
    The Editors, Publishers and Medical reviewers groups (portal/roles.py),
    after every app whose permissions they hold. A later change of the
    roles adds a migration that calls sync_roles again.
    """

    dependencies = [
        ("portal", "0003_about_policy_disclaimer_privacy_accessibility_pages"),
        ("articles", "0015_remove_typed_medical_reviewer"),
        ("glossary", "0015_edit_count"),
        ("references", "0004_edit_count"),
        ("images", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
