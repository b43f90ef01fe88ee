"""A lane says whether it carries lithium batteries (the gate's ``battery_not_on_lane``). The
demo card's lanes to South-East Asia do not: the demo's carrier there flies them as
general cargo."""

from django.db import migrations, models


def demo_sea_lanes_refuse_batteries(apps, schema_editor) -> None:
    Lane = apps.get_model("pricing", "Lane")
    Lane.objects.filter(zone__code="sea").update(accepts_batteries=False)


class Migration(migrations.Migration):
    dependencies = [
        ("pricing", "0002_tables_and_permissions_move"),
    ]

    operations = [
        migrations.AddField(
            model_name="lane",
            name="accepts_batteries",
            field=models.BooleanField(
                default=True,
                help_text="Whether parcels with lithium batteries (in or with equipment) may use it.",
                verbose_name="accepts lithium batteries",
            ),
        ),
        migrations.RunPython(demo_sea_lanes_refuse_batteries, migrations.RunPython.noop),
    ]
