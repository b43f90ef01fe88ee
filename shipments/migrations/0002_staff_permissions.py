"""Operations follow shipments, record tracking events and see refused orders and bulk files;
Finance sees shipments (the charges behind statements) but changes none."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OPERATIONS = [
    "view_shipment",
    "change_shipment",
    "view_shipmentevent",
    "add_shipmentevent",
    "view_refusedorder",
    "view_shipmentimport",
    "view_notification",
]
FINANCE = ["view_shipment"]


def grant(apps, schema_editor) -> None:
    app_config = apps.get_app_config("shipments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Operations", OPERATIONS), ("Finance", FINANCE)):
        Group.objects.get(name=name).permissions.add(
            *Permission.objects.filter(content_type__app_label="shipments", codename__in=codenames)
        )


def revoke(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Operations", OPERATIONS), ("Finance", FINANCE)):
        Group.objects.get(name=name).permissions.remove(
            *Permission.objects.filter(content_type__app_label="shipments", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("shipments", "0001_initial"),
        ("accounts", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
