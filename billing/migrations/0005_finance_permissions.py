"""Finance (财务) works the statements in the admin: views every settlement row, records
payments and top-ups, switches a seller's settlement mode and exports statements.
Operations (运营) may look at accounts and statements but record no money."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Finance": [
        "view_settlementaccount",
        "change_settlementaccount",
        "view_settlementmodechange",
        "view_ledgerentry",
        "view_statement",
        "view_statementline",
        "view_overduestatement",
        "export_statement",
        "view_payment",
        "add_payment",
        "view_topup",
        "add_topup",
    ],
    "Operations": [
        "view_settlementaccount",
        "view_statement",
    ],
}


def grant(apps, schema_editor) -> None:
    app_config = apps.get_app_config("billing")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in GRANTS.items():
        permissions = list(
            Permission.objects.filter(content_type__app_label="billing", codename__in=codenames)
        )
        assert len(permissions) == len(codenames)  # noqa: S101 - a migration guard
        Group.objects.get(name=group_name).permissions.add(*permissions)


def revoke(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in GRANTS.items():
        Group.objects.get(name=group_name).permissions.remove(
            *Permission.objects.filter(content_type__app_label="billing", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0004_append_only_triggers"),
        ("accounts", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
