"""A rule kind for customs unions, and the EU's: a parcel between two of its members (from an
overseas warehouse in Germany to France) crosses no customs border, so no customs rule
applies to it. A parcel inside one country (from a US warehouse to a US address) crosses
none either; that needs no rule."""

import datetime

from django.db import migrations, models

# The customs union's members (TFEU art. 28), as the IOSS area of migration 0002 lists them.
EU = [
    *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"),
    *("IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"),
]


def eu_customs_union(apps, schema_editor) -> None:
    apps.get_model("customs", "CustomsRule").objects.create(
        kind="customs_union",
        countries=EU,
        effective_from=datetime.date(2020, 2, 1),
        source="EU customs union, TFEU art. 28 (27 members since 2020-02-01)",
    )


def eu_customs_union_remove(apps, schema_editor) -> None:
    apps.get_model("customs", "CustomsRule").objects.filter(kind="customs_union").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("customs", "0002_facts_of_2026_12"),
    ]

    operations = [
        migrations.AlterField(
            model_name="customsrule",
            name="kind",
            field=models.CharField(
                choices=[
                    ("hs_code", "HS code required (minimum digits)"),
                    ("cn23_above", "CN23 instead of CN22 above this value"),
                    ("ioss_limit", "IOSS: consignments up to this value"),
                    ("uk_vat_limit", "UK VAT number: consignments up to this value"),
                    ("product_ids", "Product identifiers (SKU, GTIN or MPN) per item"),
                    ("customs_union", "Customs union: no border between these countries"),
                ],
                max_length=20,
                verbose_name="rule",
            ),
        ),
        migrations.RunPython(eu_customs_union, eu_customs_union_remove),
    ]
