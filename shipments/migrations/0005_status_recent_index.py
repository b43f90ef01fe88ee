"""Operations filter the Shipment changelist by status across every seller, newest first:
an index in that order lets PostgreSQL read the first page instead of sorting every parcel
of that status (status=customs went over 150 ms at p95 with a million shipments). Built
concurrently, like 0003."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("shipments", "0004_seller_delivered_index"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="shipment",
            index=models.Index(
                fields=["status", "-created_at", "-id"], name="shipment_status_recent"
            ),
        ),
    ]
