"""The price of a parcel: ``quote()``.

    chargeable weight = max(actual g, ⌈L × W × H cm / divisor × 1000⌉ g)
    base  = price of the smallest band whose upper bound ≥ chargeable weight
    total = base × (1 + (100 − score) × 0.0015) × (1 + peak) × (1 − green)

The total is computed exactly and rounded once, to the fen, half up (``round_fen``).

The breakdown adds up to the total exactly by rounding *running totals*, not the parts:
with the exact amounts after each factor

    c1 = base × (1 + (100 − score) × 0.0015),  c2 = c1 × (1 + peak),  c3 = c2 × (1 − green)

the parts are ``fulfillment_adjustment = round(c1) − base``, ``peak_adjustment =
round(c2) − round(c1)``, ``green_discount = round(c3) − round(c2)`` and ``total = round(c3)``.
The sum telescopes to the total; each part is within one fen of its exact amount, keeps its
sign (rounding is monotonic) and is exactly zero when its rate is zero. It is also what the
seller can check by hand: the price after the score, after the peak surcharge, after the
green discount.
"""

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import ROUND_CEILING, Context, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from core.money import round_fen
from core.timezones import shanghai_date

from ..countries import ISO_CODES, country_name
from ..exceptions import (
    InvalidDimensions,
    InvalidPostcode,
    InvalidScore,
    InvalidWeight,
    LaneNotServed,
    NoRateCardInForce,
    OverMaxWeight,
    UnknownCountry,
    UnknownOrigin,
)
from ..models import Service
from ..rates import PricingTable, pricing_table

# Each point of fulfilment score below 100 adds 0.15 % to the price.
SCORE_RATE_PER_POINT = Decimal("0.0015")
MAX_SIDE_CM = Decimal(200)
ONE = Decimal(1)
HUNDRED = Decimal(100)
ZERO_FEN = Decimal("0.00")
# Exact products: prices have at most 14 digits and rates a few decimals.
_EXACT = Context(prec=60)
# Postcode formats checked where the zone depends on the postcode.
POSTCODE_FORMATS = {"US": re.compile(r"\d{5}(?:-\d{4})?")}


@dataclass(frozen=True, slots=True)
class FeeBreakdown:
    base: Decimal
    fulfillment_adjustment: Decimal
    peak_adjustment: Decimal
    green_discount: Decimal  # zero or negative
    total: Decimal


@dataclass(frozen=True, slots=True)
class Quote:
    card_id: int
    lane: str  # "east/us-west/standard"
    origin: str
    zone: str
    country: str
    on_date: date  # Asia/Shanghai
    actual_weight_g: int
    volumetric_weight_g: int  # 0 without dimensions
    chargeable_weight_g: int
    band_up_to_g: int
    score: Decimal
    peak_rate: Decimal  # 0.128 for 12.8 %
    green_rate: Decimal  # 0.03 for 3 %, 0 unless asked
    transit_days: int
    customs_clearance_hours: int
    accepts_batteries: bool
    base: Decimal
    fulfillment_adjustment: Decimal
    peak_adjustment: Decimal
    green_discount: Decimal
    total: Decimal

    def as_json(self) -> dict[str, str | int]:
        """The command's and API's view: money as strings with two decimals."""
        return {
            "lane": self.lane,
            "chargeable_weight_g": self.chargeable_weight_g,
            "base": str(self.base),
            "fulfillment_adjustment": str(self.fulfillment_adjustment),
            "peak_adjustment": str(self.peak_adjustment),
            "green_discount": str(self.green_discount),
            "total": str(self.total),
        }

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def fee_breakdown(*, base: Decimal, score: Decimal, peak: Decimal, green: Decimal) -> FeeBreakdown:
    """The formula on a base freight; rates as fractions (0.128, 0.03). See the module doc."""
    mul = _EXACT.multiply
    c1 = mul(base, ONE + mul(HUNDRED - score, SCORE_RATE_PER_POINT))
    c2 = mul(c1, ONE + peak)
    c3 = mul(c2, ONE - green)
    base = round_fen(base)
    r1 = round_fen(c1)
    r2 = round_fen(c2)
    total = round_fen(c3)
    return FeeBreakdown(
        base=base,
        fulfillment_adjustment=r1 - base,
        peak_adjustment=r2 - r1,
        green_discount=total - r2,
        total=total,
    )


def _check_weight(weight_g: object) -> int:
    if isinstance(weight_g, bool) or not isinstance(weight_g, int) or weight_g <= 0:
        raise InvalidWeight
    return weight_g


def _check_dims(dims_cm: Iterable[object] | None) -> tuple[Decimal, Decimal, Decimal] | None:
    if dims_cm is None:
        return None
    try:
        sides = [Decimal(str(side)) for side in dims_cm]
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidDimensions from None
    if len(sides) != 3 or not all(side.is_finite() and 0 < side <= MAX_SIDE_CM for side in sides):
        raise InvalidDimensions
    length, width, height = sides
    return length, width, height


def _check_score(score: object) -> Decimal:
    try:
        value = Decimal(str(score))
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidScore from None
    if not value.is_finite() or not 0 <= value <= HUNDRED:
        raise InvalidScore
    return value


def _not_served(country: str) -> LaneNotServed:
    return LaneNotServed(
        _(
            "No line serves %(country)s: we carry to the US, the EU, the UK and "
            "South-East Asia only."
        )
        % {"country": country_name(country)}
    )


def parcel_check(
    *, country: str, postcode: str, weight_g: object, dims_cm: Iterable[object] | None = None
) -> tuple[str, str, int, tuple[Decimal, Decimal, Decimal] | None]:
    """Check a parcel's input before any price is looked for: a whole positive weight,
    sensible dimensions, a known country and, where the zone depends on it, a valid
    postcode. Returns ``(country, postcode, weight_g, sides)`` normalised; raises the
    ``QuoteRefused`` subclass that says what is wrong."""
    grams = _check_weight(weight_g)
    sides = _check_dims(dims_cm)
    country = (country or "").strip().upper()
    if country not in ISO_CODES:
        raise UnknownCountry
    postcode = (postcode or "").strip()
    pattern = POSTCODE_FORMATS.get(country)
    if pattern and not pattern.fullmatch(postcode):
        raise _invalid_postcode(country, postcode)
    return country, postcode, grams, sides


def _invalid_postcode(country: str, postcode: str) -> InvalidPostcode:
    if country == "US":
        return InvalidPostcode(
            _("A US address needs a valid 5-digit ZIP code, e.g. 94105 (got “%(postcode)s”).")
            % {"postcode": postcode}
        )
    return InvalidPostcode()


def _zone(table: PricingTable, country: str, postcode: str) -> str:
    zone = table.zone_by_country.get(country)
    if zone is not None:
        return zone
    by_digit = table.zone_by_first_digit.get(country)
    if by_digit is None:
        raise _not_served(country)
    pattern = POSTCODE_FORMATS.get(country)
    if (pattern and not pattern.fullmatch(postcode)) or not postcode[:1].isdigit():
        raise _invalid_postcode(country, postcode)
    zone = by_digit.get(postcode[0])
    if zone is None:
        raise _not_served(country)
    return zone


def volumetric_weight_g(sides: tuple[Decimal, Decimal, Decimal], divisor: int) -> int:
    """L × W × H cm / divisor is kilograms; in grams, rounded up to the gram."""
    length, width, height = sides
    grams = _EXACT.divide(_EXACT.multiply(length * width * height, 1000), divisor)
    return int(grams.to_integral_value(rounding=ROUND_CEILING))


def quote(
    *,
    origin: str,
    country: str,
    postcode: str = "",
    weight_g: int,
    dims_cm: Iterable[object] | None = None,
    score: Decimal = HUNDRED,
    on_date: date | datetime,
    green: bool = False,
    service: str = Service.STANDARD,
) -> Quote:
    """Price a parcel with the rate card in force on ``on_date`` (Asia/Shanghai).

    ``origin`` is an origin's code (a Chinese region or an overseas warehouse: lanes from
    either are priced alike); ``dims_cm`` is (length, width, height) in cm or None;
    ``score`` the seller's fulfilment score (0–100); ``green`` whether the green discount
    applies (carbon account bound and a new-energy vehicle). Raises a ``QuoteRefused``
    subclass with a message for the seller: bad input, destination not served, over the
    maximum weight.
    """
    day = shanghai_date(on_date)
    weight_g = _check_weight(weight_g)
    sides = _check_dims(dims_cm)
    score = _check_score(score)
    table = pricing_table()
    start = table.origins.get(origin)
    if start is None:
        raise UnknownOrigin
    country = (country or "").strip().upper()
    if country not in ISO_CODES:
        raise UnknownCountry
    postcode = (postcode or "").strip()

    zone = _zone(table, country, postcode)
    card = table.card_on(day)
    if card is None:
        raise NoRateCardInForce
    lane = card.lanes.get((origin, zone, service))
    if lane is None:
        raise LaneNotServed(
            _("No line from %(origin)s serves %(country)s yet.")
            % {"origin": start.label, "country": country_name(country)}
        )

    volumetric_g = volumetric_weight_g(sides, lane.volumetric_divisor) if sides else 0
    chargeable_g = max(weight_g, volumetric_g)
    band = bisect_left(lane.bounds_g, chargeable_g)
    if chargeable_g > lane.max_weight_g or band == len(lane.bounds_g):
        limit = min(lane.max_weight_g, lane.bounds_g[-1] if lane.bounds_g else 0)
        raise OverMaxWeight(
            _("The chargeable weight, %(weight)s g, is over this line's maximum of %(limit)s g.")
            % {"weight": chargeable_g, "limit": limit}
        )

    peak_rate = table.peak_rate_on(day)
    green_rate = table.green_rate_on(day) if green else Decimal(0)
    fees = fee_breakdown(base=lane.prices[band], score=score, peak=peak_rate, green=green_rate)
    return Quote(
        card_id=card.id,
        lane=lane.label,
        origin=origin,
        zone=zone,
        country=country,
        on_date=day,
        actual_weight_g=weight_g,
        volumetric_weight_g=volumetric_g,
        chargeable_weight_g=chargeable_g,
        band_up_to_g=lane.bounds_g[band],
        score=score,
        peak_rate=peak_rate,
        green_rate=green_rate,
        transit_days=lane.transit_days,
        customs_clearance_hours=lane.customs_clearance_hours,
        accepts_batteries=lane.accepts_batteries,
        base=fees.base,
        fulfillment_adjustment=fees.fulfillment_adjustment,
        peak_adjustment=fees.peak_adjustment,
        green_discount=fees.green_discount,
        total=fees.total,
    )
