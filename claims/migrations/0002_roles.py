"""Create the newsroom's two roles as groups with their permissions.

Reporters log sources and claims; editors can in addition judge and publish
them and curate the shared vocabularies. Administrators are superusers.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER_PERMISSIONS = [
    "sources.add_outlet",
    "sources.change_outlet",
    "sources.view_outlet",
    "sources.add_article",
    "sources.change_article",
    "sources.view_article",
    "sources.add_actor",
    "sources.change_actor",
    "sources.view_actor",
    "sources.view_independencegroup",
    "claims.add_claim",
    "claims.change_claim",
    "claims.view_claim",
    "claims.add_attribution",
    "claims.change_attribution",
    "claims.delete_attribution",
    "claims.view_attribution",
    "claims.add_corroboration",
    "claims.change_corroboration",
    "claims.delete_corroboration",
    "claims.view_corroboration",
    "claims.add_evidenceitem",
    "claims.change_evidenceitem",
    "claims.view_evidenceitem",
    "claims.view_topic",
    "claims.view_region",
    "claims.view_reviewevent",
]

EDITOR_PERMISSIONS = REPORTER_PERMISSIONS + [
    "claims.publish_claim",
    "claims.set_claim_status",
    "claims.send_back_claim",
    "claims.correct_claim",
    "claims.withdraw_claim",
    "claims.add_topic",
    "claims.change_topic",
    "claims.add_region",
    "claims.change_region",
    "sources.add_independencegroup",
    "sources.change_independencegroup",
]

ROLES = {"Reporters": REPORTER_PERMISSIONS, "Editors": EDITOR_PERMISSIONS}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; make
    # sure they exist now so the groups can reference them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("sources", "0001_initial"),
        ("claims", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
