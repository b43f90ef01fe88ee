"""The pricing data held in memory, so that a quote never touches the database once warm.

``pricing_table()`` returns an immutable snapshot of every rate card (with its lanes and
bands), the origins, the zone rules, the peak seasons and the green discounts. It is loaded once per
process and reloaded when it changes:

- in this process, at once: saving or deleting any pricing row calls
  ``pricing_cache_invalidate()`` (see ``billing.signals``), and again after the commit;
- in other processes (web workers, Celery), within ``CHECK_INTERVAL_S``: the invalidation
  writes a new version token to Django's cache (Redis), which each process compares with its
  own at most once per interval.

The cards are few (one per price change), so all of them are held and the card in force is
found by date with a binary search.
"""

import logging
import threading
import time
import uuid
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.cache import cache

from .models import (
    GreenDiscount,
    Lane,
    Origin,
    OriginKind,
    PeakSeason,
    RateCard,
    Region,
    WeightBand,
    Zone,
    ZoneCountry,
)

logger = logging.getLogger(__name__)

VERSION_KEY = "billing:pricing-version"
# How stale another process's change may be seen here, at most (seconds).
CHECK_INTERVAL_S = 1.0
HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class LaneRates:
    label: str  # "east/us-west/standard"
    origin: str
    zone: str
    service: str
    max_weight_g: int
    volumetric_divisor: int
    transit_days: int
    customs_clearance_hours: int
    accepts_batteries: bool
    bounds_g: tuple[int, ...]  # ascending band upper bounds
    prices: tuple[Decimal, ...]  # base freight of each band


@dataclass(frozen=True, slots=True)
class OriginInfo:
    """Where a lane starts, as quotes, labels and customs read it."""

    code: str
    name: str  # a Chinese region's translated label is ``label``
    kind: str  # OriginKind
    country: str
    address: str

    @property
    def is_overseas(self) -> bool:
        return self.kind == OriginKind.WAREHOUSE

    @property
    def label(self) -> str:
        if self.kind == OriginKind.CHINA and self.code in Region.values:
            return str(Region(self.code).label)
        return self.name


@dataclass(frozen=True, slots=True)
class CardRates:
    id: int
    name: str
    effective_from: date
    lanes: dict[tuple[str, str, str], LaneRates]  # (origin, zone code, service) →


@dataclass(frozen=True, slots=True)
class PeakRule:
    start: tuple[int, int]  # (month, day), inclusive
    end: tuple[int, int]  # inclusive; before start when the season runs over the new year
    rate: Decimal  # 0.128 for 12.8 %

    def covers(self, day: date) -> bool:
        md = (day.month, day.day)
        if self.start <= self.end:
            return self.start <= md <= self.end
        return md >= self.start or md <= self.end


@dataclass(frozen=True, slots=True)
class PricingTable:
    cards: tuple[CardRates, ...]  # ascending effective_from
    card_dates: tuple[date, ...]
    cards_by_id: dict[int, CardRates]
    origins: dict[str, OriginInfo]  # code →
    zone_by_country: dict[str, str]  # whole countries
    zone_by_first_digit: dict[str, dict[str, str]]  # country → first postcode digit → zone
    zone_names: dict[str, str]
    peaks: tuple[PeakRule, ...]
    green_dates: tuple[date, ...]
    green_rates: tuple[Decimal, ...]  # 0.03 for 3 %

    def card_on(self, day: date) -> CardRates | None:
        """The card in force on ``day``: the latest ``effective_from`` ≤ day."""
        i = bisect_right(self.card_dates, day)
        return self.cards[i - 1] if i else None

    def peak_rate_on(self, day: date) -> Decimal:
        return max((p.rate for p in self.peaks if p.covers(day)), default=Decimal(0))

    def green_rate_on(self, day: date) -> Decimal:
        i = bisect_right(self.green_dates, day)
        return self.green_rates[i - 1] if i else Decimal(0)

    def serves_country(self, country: str) -> bool:
        return country in self.zone_by_country or country in self.zone_by_first_digit

    @property
    def served_countries(self) -> list[str]:
        return sorted({*self.zone_by_country, *self.zone_by_first_digit})


def pricing_table_load() -> PricingTable:
    """Read every pricing row (eight queries) into a ``PricingTable``."""
    bands: dict[int, list[tuple[int, Decimal]]] = {}
    for lane_id, up_to_g, price in WeightBand.objects.order_by("lane_id", "up_to_g").values_list(
        "lane_id", "up_to_g", "price"
    ):
        bands.setdefault(lane_id, []).append((up_to_g, price))
    lanes: dict[int, dict[tuple[str, str, str], LaneRates]] = {}
    for lane in Lane.objects.values(
        "id",
        "card_id",
        "origin",
        "zone__code",
        "service",
        "max_weight_g",
        "volumetric_divisor",
        "transit_days",
        "customs_clearance_hours",
        "accepts_batteries",
    ):
        lane_bands = bands.get(lane["id"], [])
        # The origin's code (the foreign key's ``to_field``; the stubs assume an integer).
        origin = str(lane["origin"])
        key = (origin, lane["zone__code"], lane["service"])
        lanes.setdefault(lane["card_id"], {})[key] = LaneRates(
            label="/".join(key),
            origin=origin,
            zone=lane["zone__code"],
            service=lane["service"],
            max_weight_g=lane["max_weight_g"],
            volumetric_divisor=lane["volumetric_divisor"],
            transit_days=lane["transit_days"],
            customs_clearance_hours=lane["customs_clearance_hours"],
            accepts_batteries=lane["accepts_batteries"],
            bounds_g=tuple(b for b, _ in lane_bands),
            prices=tuple(p for _, p in lane_bands),
        )
    cards = tuple(
        CardRates(
            id=card.id,
            name=card.name,
            effective_from=card.effective_from,
            lanes=lanes.get(card.id, {}),
        )
        for card in RateCard.objects.order_by("effective_from").only("id", "name", "effective_from")
    )
    zone_by_country: dict[str, str] = {}
    zone_by_first_digit: dict[str, dict[str, str]] = {}
    for country, digits, zone in ZoneCountry.objects.values_list(
        "country", "postcode_first_digits", "zone__code"
    ):
        if digits:
            for digit in digits:
                zone_by_first_digit.setdefault(country, {})[digit] = zone
        else:
            zone_by_country[country] = zone
    greens = list(
        GreenDiscount.objects.order_by("effective_from").values_list(
            "effective_from", "discount_pct"
        )
    )
    return PricingTable(
        cards=cards,
        card_dates=tuple(card.effective_from for card in cards),
        cards_by_id={card.id: card for card in cards},
        origins={
            code: OriginInfo(code=code, name=name, kind=kind, country=country, address=address)
            for code, name, kind, country, address in Origin.objects.values_list(
                "code", "name", "kind", "country", "address"
            )
        },
        zone_by_country=zone_by_country,
        zone_by_first_digit=zone_by_first_digit,
        zone_names=dict(Zone.objects.values_list("code", "name")),
        peaks=tuple(
            PeakRule(start=(sm, sd), end=(em, ed), rate=pct / HUNDRED)
            for sm, sd, em, ed, pct in PeakSeason.objects.filter(is_active=True).values_list(
                "start_month", "start_day", "end_month", "end_day", "surcharge_pct"
            )
        ),
        green_dates=tuple(d for d, _ in greens),
        green_rates=tuple(pct / HUNDRED for _, pct in greens),
    )


class _Holder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.table: PricingTable | None = None
        self.version: str | None = None
        self.checked_at = 0.0


_holder = _Holder()


def _shared_version() -> str | None:
    try:
        version: str | None = cache.get(VERSION_KEY)  # a hex string, or None when missing
        return version
    except Exception:  # Redis down: keep pricing with what this process has
        logger.warning("pricing cache version unavailable", exc_info=True)
        return _holder.version


def pricing_table() -> PricingTable:
    """The pricing data, from memory; reloaded after a change (see the module docstring)."""
    holder = _holder
    table = holder.table
    now = time.monotonic()
    if table is not None and now - holder.checked_at < CHECK_INTERVAL_S:
        return table
    with holder.lock:
        version = _shared_version()
        if holder.table is None or version != holder.version:
            holder.table = pricing_table_load()
            holder.version = version
        holder.checked_at = time.monotonic()
        return holder.table


def pricing_cache_clear_local() -> None:
    """Forget this process's copy; the next quote reloads it."""
    with _holder.lock:
        _holder.table = None
        _holder.version = None


def pricing_cache_invalidate() -> None:
    """Pricing data changed: reload here now, and in every other process soon."""
    pricing_cache_clear_local()
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.warning("pricing cache version not published", exc_info=True)
