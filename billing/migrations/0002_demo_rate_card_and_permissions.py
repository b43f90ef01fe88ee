"""The demo rate card, zones, peak season and green discount; staff permissions.

The card holds the article's reference point: East China → US West, 500 g standard small
parcel = ¥28.50, in force from 2024-08-01. Prices are handling + a rate per kg (cheaper per
kg above 2 kg), scaled by destination zone and origin region; bands go by 100 g up to 2 kg,
then by 500 g up to the 30 kg maximum.

US zones follow the first digit of the ZIP code: 0–3 East, 4–7 Central, 8–9 West.

Operations (运营) may view, add and change every pricing table; Finance (财务) may view them.
Nobody deletes through the admin: a card in force stays as it was.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.management import create_permissions
from django.db import migrations

# The 27 member states of the European Union.
EU_MEMBERS = (
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
)
ZONES = {
    "us-west": ("US West", [("US", "89")]),
    "us-central": ("US Central", [("US", "4567")]),
    "us-east": ("US East", [("US", "0123")]),
    "uk": ("United Kingdom", [("GB", "")]),
    "eu": (
        "European Union",
        [(c, "") for c in EU_MEMBERS],
    ),
    "sea": ("South-East Asia", [(c, "") for c in ("SG", "MY", "TH", "VN", "PH", "ID")]),
}
# zone: (price factor, transit days, customs clearance hours)
ZONE_TERMS = {
    "us-west": (Decimal("1.00"), 8, 24),
    "us-central": (Decimal("1.06"), 9, 24),
    "us-east": (Decimal("1.12"), 10, 24),
    "uk": (Decimal("0.92"), 7, 24),
    "eu": (Decimal("0.96"), 9, 36),
    "sea": (Decimal("0.55"), 5, 12),
}
# origin: (price factor, extra transit days)
ORIGINS = {
    "east": (Decimal("1.00"), 0),
    "south": (Decimal("1.02"), 0),
    "north": (Decimal("1.05"), 1),
}
HANDLING = Decimal("14.00")
PER_KG = Decimal("29.00")  # up to 2 kg
PER_KG_OVER_2 = Decimal("26.00")
BOUNDS = [*range(100, 2001, 100), *range(2500, 30001, 500)]
MAX_WEIGHT_G = 30000

PERMISSION_MODELS = [
    "ratecard",
    "lane",
    "weightband",
    "zone",
    "zonecountry",
    "peakseason",
    "greendiscount",
]
GRANTS = {
    "Operations": [
        f"{verb}_{model}" for model in PERMISSION_MODELS for verb in ("view", "add", "change")
    ],
    "Finance": [f"view_{model}" for model in PERMISSION_MODELS],
}


def band_price(up_to_g: int, factor: Decimal) -> Decimal:
    kg = Decimal(up_to_g) / 1000
    amount = HANDLING + PER_KG * min(kg, 2) + PER_KG_OVER_2 * max(kg - 2, 0)
    return (amount * factor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def create_demo(apps, schema_editor) -> None:
    Zone = apps.get_model("billing", "Zone")
    ZoneCountry = apps.get_model("billing", "ZoneCountry")
    RateCard = apps.get_model("billing", "RateCard")
    Lane = apps.get_model("billing", "Lane")
    WeightBand = apps.get_model("billing", "WeightBand")
    PeakSeason = apps.get_model("billing", "PeakSeason")
    GreenDiscount = apps.get_model("billing", "GreenDiscount")

    zones = {}
    for code, (name, rules) in ZONES.items():
        zones[code] = Zone.objects.create(code=code, name=name)
        ZoneCountry.objects.bulk_create(
            ZoneCountry(zone=zones[code], country=country, postcode_first_digits=digits)
            for country, digits in rules
        )
    card = RateCard.objects.create(
        name="Standard small parcel 2024",
        effective_from=date(2024, 8, 1),
        notes="Demo card: East China → US West, 500 g = ¥28.50 (the article, Aug 2024).",
    )
    for origin, (origin_factor, extra_days) in ORIGINS.items():
        for code, (zone_factor, days, customs_hours) in ZONE_TERMS.items():
            lane = Lane.objects.create(
                card=card,
                origin=origin,
                zone=zones[code],
                service="standard",
                max_weight_g=MAX_WEIGHT_G,
                volumetric_divisor=8000,
                transit_days=days + extra_days,
                customs_clearance_hours=customs_hours,
            )
            WeightBand.objects.bulk_create(
                WeightBand(
                    lane=lane, up_to_g=bound, price=band_price(bound, origin_factor * zone_factor)
                )
                for bound in BOUNDS
            )
    PeakSeason.objects.create(
        name="Peak season (旺季)",
        start_month=11,
        start_day=1,
        end_month=12,
        end_day=31,
        surcharge_pct=Decimal("12.80"),
    )
    GreenDiscount.objects.create(effective_from=date(2024, 8, 1), discount_pct=Decimal("3.00"))


def delete_demo(apps, schema_editor) -> None:
    for model in (
        "WeightBand",
        "Lane",
        "RateCard",
        "ZoneCountry",
        "Zone",
        "PeakSeason",
        "GreenDiscount",
    ):
        apps.get_model("billing", model).objects.all().delete()


def grant(apps, schema_editor) -> None:
    app_config = apps.get_app_config("billing")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in GRANTS.items():
        permissions = list(
            Permission.objects.filter(content_type__app_label="billing", codename__in=codenames)
        )
        assert len(permissions) == len(codenames)  # noqa: S101 - a migration guard
        Group.objects.get(name=group_name).permissions.add(*permissions)


def revoke(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in GRANTS.items():
        Group.objects.get(name=group_name).permissions.remove(
            *Permission.objects.filter(content_type__app_label="billing", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0001_initial"),
        ("accounts", "0002_staff_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_demo, delete_demo),
        migrations.RunPython(grant, revoke),
    ]
