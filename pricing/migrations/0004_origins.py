"""Origins become data that pricing owns (``Origin``): the five Chinese regions that were
the choices of ``Lane.origin`` are loaded as rows, and the column becomes a foreign key to
the origin's code. The column keeps its name and its values, so every lane, its bands and
every shipment's ``origin`` stay as they were. Operations may view, add and change
origins; finance may view them (as every pricing table)."""

import django.core.validators
import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# The regions of ``pricing.models.Region`` as they stood: (code, name). The portal shows a
# region's translated label; the name is what the admin lists.
REGIONS = [
    ("east", "华东 East China"),
    ("south", "华南 South China"),
    ("north", "华北 North China"),
    ("central", "华中 Central China"),
    ("southwest", "西南 Southwest China"),
]
GRANTS = {
    "Operations": ["view_origin", "add_origin", "change_origin"],
    "Finance": ["view_origin"],
}


def regions_load(apps, schema_editor) -> None:
    Origin = apps.get_model("pricing", "Origin")
    Lane = apps.get_model("pricing", "Lane")
    Origin.objects.bulk_create(
        Origin(code=code, name=name, kind="china", country="CN") for code, name in REGIONS
    )
    # A guard: every lane's origin is one of them before the column becomes a foreign key.
    unknown = set(Lane.objects.values_list("origin", flat=True)) - {code for code, _ in REGIONS}
    assert not unknown, unknown  # noqa: S101 - a migration guard


def regions_unload(apps, schema_editor) -> None:
    apps.get_model("pricing", "Origin").objects.filter(kind="china").delete()


def grant(apps, schema_editor) -> None:
    app_config = apps.get_app_config("pricing")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in GRANTS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        permissions = Permission.objects.filter(
            content_type__app_label="pricing", codename__in=codenames
        )
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("pricing", "0003_lane_accepts_batteries"),
        ("accounts", "0002_staff_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="Origin",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        help_text="Kept on every shipment from here; never changed once lanes use it.",
                        max_length=10,
                        unique=True,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[a-z0-9][a-z0-9-]*$",
                                "Lower-case letters, digits and hyphens, e.g. wh-uslax.",
                            )
                        ],
                        verbose_name="code",
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[("china", "Chinese region"), ("warehouse", "Overseas warehouse")],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "country",
                    models.CharField(
                        help_text="Where parcels leave from: CN for a Chinese region.",
                        max_length=2,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[A-Z]{2}$", "Two capital letters (ISO 3166-1)."
                            )
                        ],
                        verbose_name="country",
                    ),
                ),
                (
                    "address",
                    models.TextField(
                        blank=True,
                        help_text="An overseas warehouse's address, printed as the sender's on its labels; empty for a Chinese region (the store's address is printed).",
                        verbose_name="dispatch address",
                    ),
                ),
            ],
            options={
                "verbose_name": "origin",
                "verbose_name_plural": "origins",
                "ordering": ["kind", "code"],
            },
        ),
        migrations.RemoveConstraint(
            model_name="lane",
            name="billing_lane_origin_known",
        ),
        migrations.AddConstraint(
            model_name="origin",
            constraint=models.CheckConstraint(
                condition=models.Q(("code__regex", "^[a-z0-9][a-z0-9-]*$")),
                name="pricing_origin_code",
            ),
        ),
        migrations.AddConstraint(
            model_name="origin",
            constraint=models.CheckConstraint(
                condition=models.Q(("country__regex", "^[A-Z]{2}$")),
                name="pricing_origin_country_iso",
            ),
        ),
        migrations.AddConstraint(
            model_name="origin",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["china", "warehouse"])), name="pricing_origin_kind"
            ),
        ),
        migrations.AddConstraint(
            model_name="origin",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "china"), _negated=True), ("country", "CN"), _connector="OR"
                ),
                name="pricing_origin_china_in_cn",
            ),
        ),
        migrations.RunPython(regions_load, regions_unload),
        migrations.AlterField(
            model_name="lane",
            name="origin",
            field=models.ForeignKey(
                db_column="origin",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lanes",
                to="pricing.origin",
                to_field="code",
                verbose_name="origin",
            ),
        ),
        migrations.AlterModelOptions(
            name="lane",
            options={
                "ordering": ["card", "origin_id", "zone__code", "service"],
                "verbose_name": "lane",
                "verbose_name_plural": "lanes",
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
