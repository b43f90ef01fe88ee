"""An approved application points at the store it opened (stores 0002 made them with the
application's own id)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("onboarding", "0002_staff_permissions"),
        ("stores", "0002_stores_from_approved_applications"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="opened_store",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="application",
                to="stores.store",
                verbose_name="store in service",
            ),
        ),
        migrations.RunSQL(
            "UPDATE onboarding_application SET opened_store_id = id "
            "WHERE id IN (SELECT id FROM stores_store);",
            migrations.RunSQL.noop,
        ),
    ]
