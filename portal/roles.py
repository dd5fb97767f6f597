"""
The editorial roles, as groups of permissions: Editors write, Publishers
also approve, publish and delete, Medical reviewers read and record
medical reviews. A user gets a role by joining its group (admin: Users,
the user, Groups).

This module is the one definition of the groups. `sync_roles` makes the
groups exactly as defined here; a migration calls it, and a later
migration calls it again when the definitions change (a new app's models,
say). A permission of an app not installed yet is skipped, so each role
can name the models other apps add later.
"""

from django.contrib.auth.management import create_permissions

# Models editors write, with the models edited inline on their pages.
EDITED_MODELS = [
    "articles.article",
    "articles.articlereference",
    "glossary.term",
    "glossary.termrelation",
    "references.reference",
    "taggit.tag",
    "images.image",
    "portal.page",
]


def model_permissions(actions, models):
    return [
        f"{model.split('.')[0]}.{action}_{model.split('.')[1]}"
        for model in models
        for action in actions
    ]


EDITORS = model_permissions(["view", "add", "change"], EDITED_MODELS)

ROLES = {
    "Editors": EDITORS,
    "Publishers": [
        *EDITORS,
        *model_permissions(["delete"], EDITED_MODELS),
        *model_permissions(["view", "add", "change", "delete"], ["articles.reviewer"]),
        "articles.publish_article",
    ],
    "Medical reviewers": [
        *model_permissions(["view"], [*EDITED_MODELS, "articles.reviewer"]),
        "articles.review_article",
    ],
}


def sync_roles(apps, schema_editor=None):
    """
    Make each group of ROLES hold exactly its permissions, creating the
    groups and, first, the permissions themselves (Django makes them only
    after all migrations have run). `apps` is a migration's app registry
    or django.apps.apps.
    """
    for app_config in apps.get_app_configs():
        # create_permissions skips an app without a models module; a
        # migration's app registry has none.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ROLES.items():
        group, __ = Group.objects.get_or_create(name=name)
        permissions = [
            permission
            for label in wanted
            if (permission := find_permission(Permission, label)) is not None
        ]
        group.permissions.set(permissions)


def find_permission(Permission, label):
    """The permission "app.codename", or None if its app is not installed."""
    app_label, codename = label.split(".")
    return Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
