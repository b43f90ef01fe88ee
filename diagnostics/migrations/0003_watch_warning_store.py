"""Watch warnings point at stores (ids kept by stores 0002); only stores in trial or
active were ever watched."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("diagnostics", "0002_operations_permissions"),
        ("stores", "0002_stores_from_approved_applications"),
    ]

    operations = [
        migrations.RunSQL(
            "DELETE FROM diagnostics_watchwarning "
            "WHERE store_id NOT IN (SELECT id FROM stores_store);",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="watchwarning",
            name="store",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="stores.store",
                verbose_name="store",
            ),
        ),
    ]
