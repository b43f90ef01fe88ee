"""Pricing data for tests. The demo card (migration 0002, from 2024-08-01) is always there;
``card_with_lane`` adds a later card with one lane on a demo zone."""

from datetime import date
from decimal import Decimal

from pricing.models import Lane, RateCard, WeightBand, Zone

FUTURE = date(2030, 1, 1)


def card_with_lane(
    *,
    effective_from: date = FUTURE,
    origin: str = "east",
    zone: str = "us-west",
    bands: tuple[tuple[int, str], ...] = ((500, "56.00"), (1000, "80.00"), (2000, "120.00")),
    max_weight_g: int = 2000,
    volumetric_divisor: int = 5000,
    name: str = "Test card",
) -> RateCard:
    card = RateCard.objects.create(name=name, effective_from=effective_from)
    lane = Lane.objects.create(
        card=card,
        origin_id=origin,
        zone=Zone.objects.get(code=zone),
        max_weight_g=max_weight_g,
        volumetric_divisor=volumetric_divisor,
        transit_days=8,
        customs_clearance_hours=24,
    )
    WeightBand.objects.bulk_create(
        WeightBand(lane=lane, up_to_g=bound, price=Decimal(price)) for bound, price in bands
    )
    return card
