"""The pricing tables take their app's name (``billing_ratecard`` → ``pricing_ratecard``
…; PostgreSQL renames in place, rows, ids and foreign keys untouched), and their content
types move with them, so the permissions operations hold (``change_ratecard`` …) stay
granted: they are now ``pricing.*``."""

from django.db import migrations

MODELS = ["greendiscount", "lane", "peakseason", "ratecard", "weightband", "zone", "zonecountry"]


def move_content_types(apps, schema_editor, *, source="billing", target="pricing") -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        # A database that already made the target type (post_migrate) keeps the old one's
        # permissions by deleting the empty new type first.
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue
        ContentType.objects.filter(app_label=target, model=model).delete()
        old.app_label = target
        old.save(update_fields=["app_label"])


def move_content_types_back(apps, schema_editor) -> None:
    move_content_types(apps, schema_editor, source="pricing", target="billing")


class Migration(migrations.Migration):
    dependencies = [
        ("pricing", "0001_initial"),
        ("billing", "0009_pricing_moves_to_its_app"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(
            name="greendiscount",
            table=None,
        ),
        migrations.AlterModelTable(
            name="lane",
            table=None,
        ),
        migrations.AlterModelTable(
            name="peakseason",
            table=None,
        ),
        migrations.AlterModelTable(
            name="ratecard",
            table=None,
        ),
        migrations.AlterModelTable(
            name="weightband",
            table=None,
        ),
        migrations.AlterModelTable(
            name="zone",
            table=None,
        ),
        migrations.AlterModelTable(
            name="zonecountry",
            table=None,
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
