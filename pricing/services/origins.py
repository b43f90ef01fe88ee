"""Writing origins and lanes: an overseas warehouse becomes an origin, and its last-mile
lanes are added to a card not yet in force, priced then like any lane."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction

from ..models import Lane, Origin, RateCard, Service, WeightBand, Zone
from .rate_cards import rate_card_check_editable


def origin_create(*, code: str, name: str, kind: str, country: str, address: str = "") -> Origin:
    """A new origin, checked as the admin checks it (code, kind, country)."""
    origin = Origin(code=code, name=name, kind=kind, country=country, address=address)
    origin.full_clean()
    origin.save()
    return origin


@transaction.atomic
def lane_add(
    *,
    card: RateCard,
    origin: Origin,
    zone: Zone,
    bands: Sequence[tuple[int, Decimal]],
    transit_days: int,
    customs_clearance_hours: int = 0,
    max_weight_g: int | None = None,
    volumetric_divisor: int = 8000,
    accepts_batteries: bool = True,
    service: str = Service.STANDARD,
    today: date | None = None,
) -> Lane:
    """Add a lane with its weight bands (``(up to g, price)``, ascending) to a card not yet
    in force on ``today``; ``max_weight_g`` defaults to the last band's bound."""
    rate_card_check_editable(card=card, today=today)
    if not bands:
        raise ValueError("a lane needs at least one weight band")
    lane = Lane.objects.create(
        card=card,
        origin=origin,
        zone=zone,
        service=service,
        max_weight_g=max_weight_g or bands[-1][0],
        volumetric_divisor=volumetric_divisor,
        transit_days=transit_days,
        customs_clearance_hours=customs_clearance_hours,
        accepts_batteries=accepts_batteries,
    )
    WeightBand.objects.bulk_create(
        WeightBand(lane=lane, up_to_g=bound, price=price) for bound, price in bands
    )
    return lane
