"""Operations and finance see stores and their service's audit trail (read-only: the
review, the trial's evaluation and the health check move them)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Operations": ["view_store", "view_storeevent"],
    "Finance": ["view_store"],
}


def grant(apps, schema_editor) -> None:
    app_config = apps.get_app_config("stores")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="stores", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("stores", "0003_sender_in_latin_letters"),
        ("accounts", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
