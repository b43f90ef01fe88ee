"""Operations search every seller's shipments by order or tracking number, exact or by the
beginning: pattern-ops indexes serve both, in any collation. Built concurrently, so that a
table of millions of rows keeps taking orders while they are made."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("shipments", "0002_staff_permissions"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="shipment",
            index=models.Index(
                fields=["order_number"],
                name="shipment_order_number_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        AddIndexConcurrently(
            model_name="shipment",
            index=models.Index(
                fields=["tracking_number"],
                name="shipment_tracking_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
    ]
