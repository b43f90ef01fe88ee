"""The pricing models, taken over from billing with their tables and rows (state only: the
tables are still ``billing_*`` here; 0002 renames them)."""

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("billing", "0008_statement_line_no_fk_checks"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Zone",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("code", models.SlugField(max_length=20, unique=True, verbose_name="code")),
                        ("name", models.CharField(max_length=100, verbose_name="name")),
                    ],
                    options={
                        "verbose_name": "destination zone",
                        "verbose_name_plural": "destination zones",
                        "db_table": "billing_zone",
                        "ordering": ["code"],
                    },
                ),
                migrations.CreateModel(
                    name="GreenDiscount",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "effective_from",
                            models.DateField(unique=True, verbose_name="effective from"),
                        ),
                        (
                            "discount_pct",
                            models.DecimalField(
                                decimal_places=2,
                                max_digits=5,
                                validators=[
                                    django.core.validators.MinValueValidator(Decimal("0")),
                                    django.core.validators.MaxValueValidator(Decimal("3.00")),
                                ],
                                verbose_name="discount (%)",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "green discount",
                        "verbose_name_plural": "green discounts",
                        "db_table": "billing_greendiscount",
                        "ordering": ["-effective_from"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("discount_pct__gte", 0), ("discount_pct__lte", Decimal("3.00"))
                                ),
                                name="billing_green_discount_at_most_3_pct",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="PeakSeason",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="name")),
                        (
                            "start_month",
                            models.PositiveSmallIntegerField(
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(12),
                                ],
                                verbose_name="start month",
                            ),
                        ),
                        (
                            "start_day",
                            models.PositiveSmallIntegerField(
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(31),
                                ],
                                verbose_name="start day",
                            ),
                        ),
                        (
                            "end_month",
                            models.PositiveSmallIntegerField(
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(12),
                                ],
                                verbose_name="end month",
                            ),
                        ),
                        (
                            "end_day",
                            models.PositiveSmallIntegerField(
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(31),
                                ],
                                verbose_name="end day",
                            ),
                        ),
                        (
                            "surcharge_pct",
                            models.DecimalField(
                                decimal_places=2,
                                max_digits=5,
                                validators=[
                                    django.core.validators.MinValueValidator(Decimal("0")),
                                    django.core.validators.MaxValueValidator(Decimal("100")),
                                ],
                                verbose_name="surcharge (%)",
                            ),
                        ),
                        ("is_active", models.BooleanField(default=True, verbose_name="active")),
                    ],
                    options={
                        "verbose_name": "peak season",
                        "verbose_name_plural": "peak seasons",
                        "db_table": "billing_peakseason",
                        "ordering": ["start_month", "start_day"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("surcharge_pct__gte", 0), ("surcharge_pct__lte", 100)
                                ),
                                name="billing_peak_surcharge_range",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("end_day__gte", 1),
                                    ("end_day__lte", 31),
                                    ("end_month__gte", 1),
                                    ("end_month__lte", 12),
                                    ("start_day__gte", 1),
                                    ("start_day__lte", 31),
                                    ("start_month__gte", 1),
                                    ("start_month__lte", 12),
                                ),
                                name="billing_peak_dates_range",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="RateCard",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="name")),
                        (
                            "effective_from",
                            models.DateField(
                                help_text="Shipments dated from this day (Asia/Shanghai) are priced with this card.",
                                unique=True,
                                verbose_name="effective from",
                            ),
                        ),
                        ("notes", models.TextField(blank=True, verbose_name="notes")),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "rate card",
                        "verbose_name_plural": "rate cards",
                        "db_table": "billing_ratecard",
                        "ordering": ["-effective_from"],
                    },
                ),
                migrations.CreateModel(
                    name="Lane",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "origin",
                            models.CharField(
                                choices=[
                                    ("east", "East China (华东)"),
                                    ("south", "South China (华南)"),
                                    ("north", "North China (华北)"),
                                    ("central", "Central China (华中)"),
                                    ("southwest", "Southwest China (西南)"),
                                ],
                                max_length=12,
                                verbose_name="origin region",
                            ),
                        ),
                        (
                            "service",
                            models.CharField(
                                choices=[("standard", "Standard small parcel")],
                                default="standard",
                                max_length=12,
                                verbose_name="service",
                            ),
                        ),
                        (
                            "max_weight_g",
                            models.PositiveIntegerField(
                                help_text="Chargeable weight above this is refused.",
                                verbose_name="maximum weight (g)",
                            ),
                        ),
                        (
                            "volumetric_divisor",
                            models.PositiveIntegerField(
                                default=8000,
                                help_text="Volumetric weight (kg) = length × width × height (cm) / divisor.",
                                verbose_name="volumetric divisor",
                            ),
                        ),
                        (
                            "transit_days",
                            models.PositiveSmallIntegerField(
                                verbose_name="promised transit time (days)"
                            ),
                        ),
                        (
                            "customs_clearance_hours",
                            models.PositiveSmallIntegerField(
                                verbose_name="expected customs clearance (hours)"
                            ),
                        ),
                        (
                            "card",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="lanes",
                                to="pricing.ratecard",
                                verbose_name="rate card",
                            ),
                        ),
                        (
                            "zone",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="lanes",
                                to="pricing.zone",
                                verbose_name="destination zone",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "lane",
                        "verbose_name_plural": "lanes",
                        "db_table": "billing_lane",
                        "ordering": ["card", "origin", "zone__code", "service"],
                    },
                ),
                migrations.CreateModel(
                    name="ZoneCountry",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "country",
                            models.CharField(
                                help_text="ISO 3166-1 alpha-2 code, e.g. US, DE, SG.",
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
                            "postcode_first_digits",
                            models.CharField(
                                blank=True,
                                help_text="Empty: the whole country. Otherwise the postcodes starting with one of these digits, e.g. 0123 for US East (ZIP 0xxxx to 3xxxx).",
                                max_length=10,
                                validators=[
                                    django.core.validators.RegexValidator("^\\d*$", "Digits only.")
                                ],
                                verbose_name="postcode first digits",
                            ),
                        ),
                        (
                            "zone",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="countries",
                                to="pricing.zone",
                                verbose_name="zone",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "zone country",
                        "verbose_name_plural": "zone countries",
                        "db_table": "billing_zonecountry",
                        "ordering": ["country", "postcode_first_digits"],
                    },
                ),
                migrations.CreateModel(
                    name="WeightBand",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("up_to_g", models.PositiveIntegerField(verbose_name="up to (g)")),
                        (
                            "price",
                            models.DecimalField(
                                decimal_places=2, max_digits=14, verbose_name="price (RMB)"
                            ),
                        ),
                        (
                            "lane",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="bands",
                                to="pricing.lane",
                                verbose_name="lane",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "weight band",
                        "verbose_name_plural": "weight bands",
                        "db_table": "billing_weightband",
                        "ordering": ["lane", "up_to_g"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("lane", "up_to_g"), name="billing_band_unique"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("up_to_g__gt", 0)),
                                name="billing_band_bound_positive",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("price__gte", 0)),
                                name="billing_band_price_not_negative",
                            ),
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="lane",
                    constraint=models.UniqueConstraint(
                        fields=("card", "origin", "zone", "service"), name="billing_lane_unique"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="lane",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("origin__in", ["east", "south", "north", "central", "southwest"])
                        ),
                        name="billing_lane_origin_known",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="lane",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("service__in", ["standard"])),
                        name="billing_lane_service_known",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="lane",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("max_weight_g__gt", 0)),
                        name="billing_lane_max_weight_positive",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="lane",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("volumetric_divisor__gt", 0)),
                        name="billing_lane_divisor_positive",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="zonecountry",
                    constraint=models.UniqueConstraint(
                        fields=("country", "postcode_first_digits"),
                        name="billing_zonecountry_unique_rule",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="zonecountry",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("country__regex", "^[A-Z]{2}$")),
                        name="billing_zonecountry_country_iso",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="zonecountry",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("postcode_first_digits__regex", "^[0-9]*$")),
                        name="billing_zonecountry_digits_only",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
