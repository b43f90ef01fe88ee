"""Ledger entries and statement lines carry the order and tracking numbers and the price
parts of the shipment they charge or refund, copied when written: statements and finance's
exports read them from billing's own rows, never from shipments. Existing rows are filled in
once from their shipments (the append-only triggers stand aside for that one UPDATE)."""

from django.db import migrations, models

BACKFILL = """
ALTER TABLE billing_ledgerentry DISABLE TRIGGER billing_ledgerentry_append_only;
ALTER TABLE billing_statementline DISABLE TRIGGER billing_statementline_append_only;
UPDATE billing_ledgerentry e
   SET order_number = sh.order_number,
       tracking_number = sh.tracking_number,
       base = CASE WHEN e.kind = 'charge' THEN sh.base END,
       fulfillment_adjustment = CASE WHEN e.kind = 'charge' THEN sh.fulfillment_adjustment END,
       peak_adjustment = CASE WHEN e.kind = 'charge' THEN sh.peak_adjustment END,
       green_discount = CASE WHEN e.kind = 'charge' THEN sh.green_discount END
  FROM shipments_shipment sh
 WHERE sh.id = e.shipment_id;
UPDATE billing_statementline l
   SET order_number = e.order_number,
       tracking_number = e.tracking_number,
       base = e.base,
       fulfillment_adjustment = e.fulfillment_adjustment,
       peak_adjustment = e.peak_adjustment,
       green_discount = e.green_discount
  FROM billing_ledgerentry e
 WHERE e.id = l.entry_id AND e.shipment_id IS NOT NULL;
ALTER TABLE billing_ledgerentry ENABLE TRIGGER billing_ledgerentry_append_only;
ALTER TABLE billing_statementline ENABLE TRIGGER billing_statementline_append_only;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0009_pricing_moves_to_its_app"),
        ("shipments", "0005_status_recent_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="ledgerentry",
            name="base",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="base freight"
            ),
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="fulfillment_adjustment",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=14,
                null=True,
                verbose_name="fulfilment-score adjustment",
            ),
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="green_discount",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=14,
                null=True,
                verbose_name="green discount",
            ),
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="order_number",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=64, verbose_name="order number"
            ),
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="peak_adjustment",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=14,
                null=True,
                verbose_name="peak-season surcharge",
            ),
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="tracking_number",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=32, verbose_name="tracking number"
            ),
        ),
        migrations.AddField(
            model_name="statementline",
            name="base",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="base freight"
            ),
        ),
        migrations.AddField(
            model_name="statementline",
            name="fulfillment_adjustment",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=14,
                null=True,
                verbose_name="fulfilment-score adjustment",
            ),
        ),
        migrations.AddField(
            model_name="statementline",
            name="green_discount",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=14,
                null=True,
                verbose_name="green discount",
            ),
        ),
        migrations.AddField(
            model_name="statementline",
            name="order_number",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=64, verbose_name="order number"
            ),
        ),
        migrations.AddField(
            model_name="statementline",
            name="peak_adjustment",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=14,
                null=True,
                verbose_name="peak-season surcharge",
            ),
        ),
        migrations.AddField(
            model_name="statementline",
            name="tracking_number",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=32, verbose_name="tracking number"
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
