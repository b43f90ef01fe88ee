"""Writing rate cards: a card once in force is never edited; the next version is a copy."""

from datetime import date, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from accounts.models import User
from core.timezones import today_shanghai

from ..exceptions import InvalidEffectiveDate, RateCardInForce
from ..models import Lane, RateCard, WeightBand
from ..rates import pricing_cache_invalidate


def rate_card_check_editable(*, card: RateCard, today: date | None = None) -> None:
    """Refuse any change to a card in force (or past): it has priced shipments.

    Checks the date stored in the database, not the one being edited, so that moving a
    card in force into the future is refused too.
    """
    today = today or today_shanghai()
    if card.pk is None:
        return
    stored = RateCard.objects.filter(pk=card.pk).values_list("effective_from", flat=True).first()
    if stored is not None and stored <= today:
        raise RateCardInForce


def rate_card_check_effective_from(*, effective_from: date, today: date | None = None) -> None:
    """A new or changed card takes effect after today: history is never repriced."""
    if effective_from <= (today or today_shanghai()):
        raise InvalidEffectiveDate


def rate_card_save(
    *, card: RateCard, user: User | AnonymousUser | None = None, today: date | None = None
) -> RateCard:
    """Create or change a card that is not yet in force."""
    rate_card_check_editable(card=card, today=today)
    rate_card_check_effective_from(effective_from=card.effective_from, today=today)
    if card.pk is None and isinstance(user, User):
        card.created_by = user
    card.save()
    return card


def rate_card_next_free_date(*, today: date | None = None) -> date:
    """Tomorrow, or the day after the latest card if that is later."""
    candidate = (today or today_shanghai()) + timedelta(days=1)
    latest = (
        RateCard.objects.order_by("-effective_from")
        .values_list("effective_from", flat=True)
        .first()
    )
    if latest is not None and latest >= candidate:
        candidate = latest + timedelta(days=1)
    return candidate


@transaction.atomic
def rate_card_duplicate(
    *,
    card: RateCard,
    effective_from: date | None = None,
    user: User | AnonymousUser | None = None,
    today: date | None = None,
) -> RateCard:
    """Copy ``card`` with its lanes and bands as the next version, not yet in force.

    Operations then edit the copy in the admin until its ``effective_from`` arrives.
    """
    effective_from = effective_from or rate_card_next_free_date(today=today)
    rate_card_check_effective_from(effective_from=effective_from, today=today)
    copy = RateCard.objects.create(
        name=card.name,
        effective_from=effective_from,
        notes=card.notes,
        created_by=user if isinstance(user, User) else None,
    )
    lanes = list(card.lanes.all())
    bands = list(WeightBand.objects.filter(lane__card=card))
    new_lanes = Lane.objects.bulk_create(
        Lane(
            card=copy,
            origin_id=lane.origin_id,
            zone_id=lane.zone_id,
            service=lane.service,
            max_weight_g=lane.max_weight_g,
            volumetric_divisor=lane.volumetric_divisor,
            transit_days=lane.transit_days,
            customs_clearance_hours=lane.customs_clearance_hours,
            accepts_batteries=lane.accepts_batteries,
        )
        for lane in lanes
    )
    new_lane_of = {old.pk: new.pk for old, new in zip(lanes, new_lanes, strict=True)}
    WeightBand.objects.bulk_create(
        WeightBand(lane_id=new_lane_of[band.lane_id], up_to_g=band.up_to_g, price=band.price)
        for band in bands
    )
    pricing_cache_invalidate()
    transaction.on_commit(pricing_cache_invalidate)
    return copy
