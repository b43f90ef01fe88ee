"""The dashboard's on-time rate reads a seller's deliveries of the last 30 days: a partial
index on delivered shipments serves it (a big seller's dashboard went from 285 ms to 22 ms
at p95 in bench/bench_shipment_pages.py). Built concurrently, like 0003."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("shipments", "0003_search_indexes"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="shipment",
            index=models.Index(
                condition=models.Q(("delivered_at__isnull", False)),
                fields=["seller", "delivered_at"],
                name="shipment_seller_delivered",
            ),
        ),
    ]
