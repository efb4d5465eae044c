"""The secretariat sees sign-in lockouts and lifts them (deletes them): tracker/core/roles.py."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from tracker.core.roles import ensure_roles


def give_roles_their_rights(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), missing_ok=True)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0005_translatable_labels"),
        ("goals", "0013_translatable_labels"),
        ("partners", "0003_report_per_member_and_year"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(give_roles_their_rights, migrations.RunPython.noop)]
