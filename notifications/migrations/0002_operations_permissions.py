"""Operations (运营) see what each seller was told."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OPERATIONS_PERMISSIONS = ["view_notification"]


def _permissions(apps):
    app_config = apps.get_app_config("notifications")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="notifications", codename__in=OPERATIONS_PERMISSIONS
    )


def grant(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    permissions = list(_permissions(apps))
    assert len(permissions) == len(OPERATIONS_PERMISSIONS)  # noqa: S101 - a migration guard
    Group.objects.get(name="Operations").permissions.add(*permissions)


def revoke(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Group.objects.get(name="Operations").permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("accounts", "0002_staff_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
