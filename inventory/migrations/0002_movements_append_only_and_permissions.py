"""Stock movements are append-only, enforced by PostgreSQL (a trigger refuses UPDATE and
DELETE: a correction is a new movement); operations' permissions on the warehouse network.

Operations (运营) manage warehouses, receive inbound notices, adjust stock and view the
rest; finance (财务) views stock and movements."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION inventory_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% on % is refused: stock movements are append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""
TRIGGER = """
CREATE TRIGGER inventory_stockmovement_append_only
BEFORE UPDATE OR DELETE ON inventory_stockmovement
FOR EACH ROW EXECUTE FUNCTION inventory_refuse_change();
"""
BACKWARD = [
    "DROP TRIGGER IF EXISTS inventory_stockmovement_append_only ON inventory_stockmovement;",
    "DROP FUNCTION IF EXISTS inventory_refuse_change();",
]
VIEW = [
    "warehouse",
    "sku",
    "stock",
    "stockmovement",
    "inbound",
    "inboundline",
    "campaign",
    "presalelock",
    "routedorder",
    "allocation",
    "allocationline",
]
GRANTS = {
    "Operations": [
        *(f"view_{model}" for model in VIEW),
        "add_warehouse",
        "change_warehouse",
        "change_inbound",
        "change_stock",
    ],
    "Finance": ["view_warehouse", "view_stock", "view_stockmovement", "view_sku"],
}


def grant(apps, schema_editor) -> None:
    app_config = apps.get_app_config("inventory")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in GRANTS.items():
        permissions = list(
            Permission.objects.filter(content_type__app_label="inventory", codename__in=codenames)
        )
        assert len(permissions) == len(codenames)  # noqa: S101 - a migration guard
        Group.objects.get(name=group_name).permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0001_initial"),
        ("accounts", "0002_staff_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunSQL([FUNCTION, TRIGGER], BACKWARD),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
