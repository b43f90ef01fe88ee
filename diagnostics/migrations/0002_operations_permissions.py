"""Operations run the diagnostics tool for any seller, read its runs and the watch's
warnings; Finance sees none of it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OPERATIONS = ["view_diagnosticrun", "run_diagnostics", "view_watchwarning"]


def grant(apps, schema_editor) -> None:
    app_config = apps.get_app_config("diagnostics")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get(name="Operations").permissions.add(
        *Permission.objects.filter(content_type__app_label="diagnostics", codename__in=OPERATIONS)
    )


def revoke(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get(name="Operations").permissions.remove(
        *Permission.objects.filter(content_type__app_label="diagnostics", codename__in=OPERATIONS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("diagnostics", "0001_initial"),
        ("accounts", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
