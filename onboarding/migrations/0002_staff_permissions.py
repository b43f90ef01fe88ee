"""Operations review applications and see documents; Finance sees neither."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OPERATIONS = [
    "view_application",
    "view_applicationcheck",
    "view_applicationevent",
    "view_document",
    "view_documentaccess",
    "review_application",
    "view_full_id_number",
    "enter_document_fields",
    "reinstate_service",
]


def grant(apps, schema_editor) -> None:
    app_config = apps.get_app_config("onboarding")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    operations = Group.objects.get(name="Operations")
    operations.permissions.add(
        *Permission.objects.filter(content_type__app_label="onboarding", codename__in=OPERATIONS)
    )


def revoke(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get(name="Operations").permissions.remove(
        *Permission.objects.filter(content_type__app_label="onboarding", codename__in=OPERATIONS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("onboarding", "0001_initial"),
        ("accounts", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
