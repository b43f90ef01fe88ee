"""Shipments, refused orders and files point at stores (``stores.Store``) instead of
applications: the ids stay (stores 0002 kept them). A refusal or a file of a seller whose
application was never approved has no store: it keeps its evidence and loses the link."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("shipments", "0005_status_recent_index"),
        ("stores", "0002_stores_from_approved_applications"),
    ]

    operations = [
        migrations.RunSQL(
            """
            ALTER TABLE shipments_shipmentimport ALTER COLUMN store_id DROP NOT NULL;
            UPDATE shipments_refusedorder SET store_id = NULL
             WHERE store_id IS NOT NULL AND store_id NOT IN (SELECT id FROM stores_store);
            UPDATE shipments_shipmentimport SET store_id = NULL
             WHERE store_id IS NOT NULL AND store_id NOT IN (SELECT id FROM stores_store);
            """,
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="refusedorder",
            name="store",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="stores.store",
                verbose_name="store",
            ),
        ),
        migrations.AlterField(
            model_name="shipment",
            name="store",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="shipments",
                to="stores.store",
                verbose_name="store",
            ),
        ),
        migrations.AlterField(
            model_name="shipmentimport",
            name="store",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="stores.store",
                verbose_name="store",
            ),
        ),
    ]
