"""The warehouse network for tests: origins and last-mile lanes on the demo card (added as
operations would to a card not yet in force), warehouses, SKUs, and stock brought in the
real way (an inbound notice declared and received)."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from accounts.models import Seller
from inventory.models import Sku, Stock, Warehouse
from inventory.services import (
    SkuInput,
    SkuQuantity,
    inbound_declare,
    inbound_receive,
    sku_save,
    warehouse_create,
)
from pricing.models import Origin, OriginKind, RateCard, Zone
from pricing.rates import pricing_cache_clear_local
from pricing.services import lane_add, origin_create

DEMO_CARD_FROM = datetime.date(2024, 8, 1)
BEFORE_THE_CARD = datetime.date(2024, 7, 1)  # "today" as operations added the lanes
BANDS = ((500, "18.00"), (1000, "28.00"), (2000, "48.00"), (5000, "96.00"), (30000, "400.00"))
_codes = itertools.count(1)

# code: (name, country, serves, {zone: (price factor, transit days, customs hours)})
NETWORK = {
    "US-LAX": (
        "US West (Ontario, CA)",
        "US",
        ["US"],
        {"us-west": ("1.00", 2, 0), "us-central": ("1.10", 3, 0), "us-east": ("1.20", 4, 0)},
    ),
    "US-NJ": (
        "US East (Edison, NJ)",
        "US",
        ["US"],
        {"us-west": ("1.20", 4, 0), "us-central": ("1.10", 3, 0), "us-east": ("1.00", 2, 0)},
    ),
    "DE-FRA": (
        "Germany (Frankfurt)",
        "DE",
        ["DE", "FR", "IT", "ES", "NL", "PL", "GB", "US"],
        {
            "eu": ("1.00", 3, 0),
            "uk": ("1.25", 4, 24),
            "us-west": ("2.20", 6, 24),
            "us-central": ("2.20", 6, 24),
            "us-east": ("2.10", 5, 24),
        },
    ),
}


def origin_code(code: str) -> str:
    return "wh-" + code.lower().replace("-", "")[:7]


def warehouse(code: str = "US-LAX", **overrides: object) -> Warehouse:
    """A warehouse of ``NETWORK`` with its origin and lanes on the demo card."""
    found = Warehouse.objects.filter(code=code).first()
    if found is not None:
        return found
    name, country, serves, lanes = NETWORK[code]
    origin = Origin.objects.filter(code=origin_code(code)).first() or origin_create(
        code=origin_code(code),
        name=name,
        kind=OriginKind.WAREHOUSE,
        country=country,
        address=f"Jingluo {name} fulfilment centre",
    )
    card = RateCard.objects.get(effective_from=DEMO_CARD_FROM)
    for zone_code, (factor, days, customs_hours) in lanes.items():
        lane_add(
            card=card,
            origin=origin,
            zone=Zone.objects.get(code=zone_code),
            bands=[(bound, Decimal(price) * Decimal(factor)) for bound, price in BANDS],
            transit_days=days,
            customs_clearance_hours=customs_hours,
            today=BEFORE_THE_CARD,
        )
    pricing_cache_clear_local()
    values: dict[str, object] = {
        "code": code,
        "name": name,
        "country": country,
        "serves": serves,
        "origin": origin,
        "cutoff": datetime.time(23, 59),
        "time_zone": "UTC",
    }
    values.update(overrides)
    return warehouse_create(**values)  # type: ignore[arg-type]


def sku(seller: Seller, code: str | None = None, **fields: object) -> Sku:
    values: dict[str, object] = {
        "code": code or f"SKU-{next(_codes):04d}",
        "name_en": "Cotton T-shirt",
        "name_zh": "棉质T恤",
        "unit_weight_g": "200",
        "unit_value": "12.50",
        "currency": "USD",
        "hs_code": "610910",
    }
    values.update(fields)
    return sku_save(seller=seller, data=SkuInput(**values), on=timezone.localdate())  # type: ignore[arg-type]


def stock_in(
    where: Warehouse, item: Sku, quantity: int, *, at: datetime.datetime | None = None
) -> Stock:
    """``quantity`` units declared and received in full at ``where``."""
    inbound = inbound_declare(
        seller=item.seller,
        warehouse=where,
        lines=[SkuQuantity(item.code, quantity)],
        at=at,
    )
    line = inbound.lines.get()
    inbound_receive(inbound=inbound, quantities={line.pk: quantity}, close=True, at=at)
    return Stock.objects.get(warehouse=where, sku=item)
