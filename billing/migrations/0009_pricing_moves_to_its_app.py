"""Rate cards, lanes, bands, zones, peak seasons and green discounts move to the ``pricing``
app. Their tables stay (``pricing`` 0001 takes them over and 0002 renames them): this
migration only forgets them in billing's state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0008_statement_line_no_fk_checks"),
        ("pricing", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="GreenDiscount",
                ),
                migrations.RemoveField(
                    model_name="lane",
                    name="card",
                ),
                migrations.RemoveField(
                    model_name="lane",
                    name="zone",
                ),
                migrations.RemoveField(
                    model_name="weightband",
                    name="lane",
                ),
                migrations.DeleteModel(
                    name="PeakSeason",
                ),
                migrations.RemoveField(
                    model_name="ratecard",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="zonecountry",
                    name="zone",
                ),
                migrations.DeleteModel(
                    name="Lane",
                ),
                migrations.DeleteModel(
                    name="WeightBand",
                ),
                migrations.DeleteModel(
                    name="RateCard",
                ),
                migrations.DeleteModel(
                    name="Zone",
                ),
                migrations.DeleteModel(
                    name="ZoneCountry",
                ),
            ],
            database_operations=[],
        ),
    ]
