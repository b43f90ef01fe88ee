"""The customs facts of 2026-12 (DOMAIN.md §5), as data operations edit from here on: the
rules with their effective dates, FX rates to compare amounts in a threshold's currency,
the descriptions ICS2 refuses, and the permissions of the Operations group.

FX rates are indicative (CNY per unit, 2026-12-01): operations replace them with the rates
their finance uses; a shipment keeps the rates it was declared with.
"""

import datetime
from decimal import Decimal

from django.contrib.auth.management import create_permissions
from django.db import migrations

EU = [
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
]
RULES = [
    # UPU: an HS code of at least 6 digits on every commercial item.
    {
        "kind": "hs_code",
        "number": 6,
        "effective_from": datetime.date(2025, 9, 1),
        "source": "UPU Convention, customs data (2025-09-01)",
    },
    # UPU: CN22 up to 300 SDR, CN23 above.
    {
        "kind": "cn23_above",
        "amount": Decimal("300.00"),
        "currency": "XDR",
        "effective_from": datetime.date(2021, 1, 1),
        "source": "UPU Convention art. 20",
    },
    # EU: IOSS for consignments up to €150 (since 2021-07-01).
    {
        "kind": "ioss_limit",
        "countries": EU,
        "amount": Decimal("150.00"),
        "currency": "EUR",
        "effective_from": datetime.date(2021, 7, 1),
        "source": "EU VAT e-commerce package",
    },
    # EU: product identifiers on B2C items from 2026-11-01.
    {
        "kind": "product_ids",
        "countries": EU,
        "effective_from": datetime.date(2026, 11, 1),
        "source": "ICS2 release 3 data requirements",
    },
    # UK: the seller's or marketplace's VAT number up to £135 (since 2021-01-01).
    {
        "kind": "uk_vat_limit",
        "countries": ["GB"],
        "amount": Decimal("135.00"),
        "currency": "GBP",
        "effective_from": datetime.date(2021, 1, 1),
        "source": "HMRC VAT and overseas goods",
    },
]
RATES = {  # CNY per unit
    "USD": "7.1000",
    "EUR": "7.7000",
    "GBP": "9.0000",
    "XDR": "9.6000",
    "SGD": "5.3000",
    "MYR": "1.6000",
    "THB": "0.2000",
    "JPY": "0.0480",
    "HKD": "0.9100",
}
GENERIC = [
    "gift",
    "gifts",
    "item",
    "items",
    "goods",
    "sample",
    "samples",
    "n/a",
    "na",
    "parts",
    "accessories",
    "accessory",
    "product",
    "products",
    "merchandise",
    "stuff",
    "other",
    "others",
    "general merchandise",
    "commodity",
    "present",
]
OPERATIONS = [
    "view_customsrule",
    "add_customsrule",
    "change_customsrule",
    "view_fxrate",
    "add_fxrate",
    "change_fxrate",
    "view_genericterm",
    "add_genericterm",
    "change_genericterm",
    "delete_genericterm",
    "view_taxregistration",
]


def load(apps, schema_editor) -> None:
    CustomsRule = apps.get_model("customs", "CustomsRule")
    FxRate = apps.get_model("customs", "FxRate")
    GenericTerm = apps.get_model("customs", "GenericTerm")
    for rule in RULES:
        CustomsRule.objects.create(**rule)
    for currency, rate in RATES.items():
        FxRate.objects.create(
            currency=currency, cny_per_unit=Decimal(rate), effective_from=datetime.date(2020, 1, 1)
        )
    GenericTerm.objects.bulk_create(GenericTerm(term=term) for term in GENERIC)
    app_config = apps.get_app_config("customs")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    operations, _created = Group.objects.get_or_create(name="Operations")
    operations.permissions.add(
        *Permission.objects.filter(content_type__app_label="customs", codename__in=OPERATIONS)
    )


def unload(apps, schema_editor) -> None:
    for name in ("CustomsRule", "FxRate", "GenericTerm"):
        apps.get_model("customs", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("customs", "0001_initial"),
        ("accounts", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(load, unload)]
