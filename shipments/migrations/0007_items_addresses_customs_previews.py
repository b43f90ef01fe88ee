"""Customs on every shipment: item lines (``ShipmentItem``), the address a destination needs
(line 2, state, e-mail), the incoterm, the IOSS / UK VAT number used, the CN22/CN23 form and
the FX rates compared; bulk files previewed before they are sent. Shipments made before keep
their one contents line and value (no item is invented for them). Operations may view items.
"""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def grant(apps, schema_editor) -> None:
    app_config = apps.get_app_config("shipments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.get(content_type__app_label="shipments", codename="view_shipmentitem")
    for name in ("Operations", "Finance"):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(view)


class Migration(migrations.Migration):
    dependencies = [
        ("shipments", "0006_store_is_a_store"),
    ]

    operations = [
        migrations.AddField(
            model_name="shipment",
            name="address2",
            field=models.CharField(blank=True, max_length=300, verbose_name="address line 2"),
        ),
        migrations.AddField(
            model_name="shipment",
            name="customs_form",
            field=models.CharField(default="CN22", max_length=4, verbose_name="customs form"),
        ),
        migrations.AddField(
            model_name="shipment",
            name="fx_rates",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="CNY per unit of each currency the customs values were compared in.",
                verbose_name="exchange rates used",
            ),
        ),
        migrations.AddField(
            model_name="shipment",
            name="incoterm",
            field=models.CharField(
                choices=[
                    ("DDU", "DDU: duties and taxes paid by the recipient"),
                    ("DDP", "DDP: duties and taxes paid by the seller"),
                ],
                default="DDU",
                max_length=3,
                verbose_name="incoterm",
            ),
        ),
        migrations.AddField(
            model_name="shipment",
            name="ioss_number",
            field=models.CharField(blank=True, max_length=12, verbose_name="IOSS number"),
        ),
        migrations.AddField(
            model_name="shipment",
            name="recipient_email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="recipient e-mail"),
        ),
        migrations.AddField(
            model_name="shipment",
            name="state",
            field=models.CharField(blank=True, max_length=10, verbose_name="state or province"),
        ),
        migrations.AddField(
            model_name="shipment",
            name="uk_vat_number",
            field=models.CharField(blank=True, max_length=14, verbose_name="UK VAT number"),
        ),
        migrations.AddField(
            model_name="shipmentimport",
            name="header",
            field=models.JSONField(blank=True, default=list, verbose_name="header"),
        ),
        migrations.AddField(
            model_name="shipmentimport",
            name="preview",
            field=models.JSONField(blank=True, default=dict, verbose_name="preview"),
        ),
        migrations.AddField(
            model_name="shipmentimport",
            name="shipments_created",
            field=models.PositiveIntegerField(default=0, verbose_name="shipments created"),
        ),
        migrations.AlterField(
            model_name="shipmentimport",
            name="rows_created",
            field=models.PositiveIntegerField(default=0, verbose_name="rows created"),
        ),
        migrations.AlterField(
            model_name="shipmentimport",
            name="status",
            field=models.CharField(
                choices=[
                    ("previewing", "Checking the file"),
                    ("previewed", "Waiting for your confirmation"),
                    ("queued", "Queued"),
                    ("running", "Running"),
                    ("done", "Done"),
                    ("failed", "Failed"),
                    ("discarded", "Discarded"),
                ],
                default="previewing",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.CreateModel(
            name="ShipmentItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(verbose_name="line")),
                (
                    "description",
                    models.CharField(max_length=200, verbose_name="description (English)"),
                ),
                (
                    "description_zh",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="description (Chinese)"
                    ),
                ),
                ("quantity", models.PositiveIntegerField(verbose_name="quantity")),
                (
                    "unit_value",
                    models.DecimalField(decimal_places=2, max_digits=14, verbose_name="unit value"),
                ),
                ("currency", models.CharField(max_length=3, verbose_name="currency")),
                ("unit_weight_g", models.PositiveIntegerField(verbose_name="unit weight (g)")),
                ("hs_code", models.CharField(blank=True, max_length=10, verbose_name="HS code")),
                (
                    "origin_country",
                    models.CharField(default="CN", max_length=2, verbose_name="country of origin"),
                ),
                ("sku", models.CharField(blank=True, max_length=64, verbose_name="SKU")),
                ("gtin", models.CharField(blank=True, max_length=14, verbose_name="GTIN/EAN")),
                (
                    "mpn",
                    models.CharField(
                        blank=True, max_length=64, verbose_name="manufacturer part number"
                    ),
                ),
                (
                    "contains_battery",
                    models.BooleanField(default=False, verbose_name="contains lithium batteries"),
                ),
                (
                    "shipment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="shipments.shipment",
                        verbose_name="shipment",
                    ),
                ),
            ],
            options={
                "verbose_name": "item",
                "verbose_name_plural": "items",
                "ordering": ["shipment", "position"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("shipment", "position"), name="shipment_item_line"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("position__gte", 1), ("position__lte", 200)),
                        name="shipment_item_position_range",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("quantity__gte", 1)),
                        name="shipment_item_quantity_positive",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("unit_value__gt", 0)),
                        name="shipment_item_value_positive",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("unit_weight_g__gte", 1)),
                        name="shipment_item_weight_positive",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("hs_code", ""), ("hs_code__regex", "^[0-9]{6,10}$"), _connector="OR"
                        ),
                        name="shipment_item_hs_code_digits",
                    ),
                ],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
