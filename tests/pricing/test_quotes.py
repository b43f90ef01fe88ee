"""The fee formula to the fen, on the demo card (east → US West, 500 g = ¥28.50) and on
test cards."""

import itertools
import random
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from pricing.exceptions import (
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
from pricing.models import GreenDiscount
from pricing.services.quotes import fee_breakdown, quote

from .factories import FUTURE, card_with_lane

pytestmark = pytest.mark.django_db

AUG = date(2024, 8, 15)
D = Decimal


def _us_west(**kwargs):
    params = {
        "origin": "east",
        "country": "US",
        "postcode": "94105",
        "weight_g": 500,
        "on_date": AUG,
    }
    return quote(**{**params, **kwargs})


def _parts(q):
    return (q.base, q.fulfillment_adjustment, q.peak_adjustment, q.green_discount, q.total)


def test_the_articles_reference_point():
    q = _us_west()

    assert q.lane == "east/us-west/standard"
    assert (q.chargeable_weight_g, q.band_up_to_g, q.transit_days) == (500, 500, 8)
    assert _parts(q) == (D("28.50"), D("0.00"), D("0.00"), D("0.00"), D("28.50"))
    assert str(q.total) == "28.50"


def test_each_five_points_of_score_cost_42_fen_on_a_base_of_56():
    card_with_lane()

    totals = [
        _us_west(on_date=date(2030, 3, 2), score=D(score)).total for score in range(100, -1, -5)
    ]

    assert totals[:3] == [D("56.00"), D("56.42"), D("56.84")]
    assert totals[-1] == D("64.40")  # score 0: 56 × 1.15
    assert all(b - a == D("0.42") for a, b in itertools.pairwise(totals))
    q = _us_west(on_date=date(2030, 3, 2), score=D(95))
    assert _parts(q) == (D("56.00"), D("0.42"), D("0.00"), D("0.00"), D("56.42"))


@pytest.mark.parametrize(
    ("on_date", "peak", "total"),
    [
        (date(2024, 10, 31), D("0.00"), D("28.50")),
        (date(2024, 11, 1), D("3.65"), D("32.15")),  # 28.50 × 1.128 = 32.148
        (date(2024, 12, 31), D("3.65"), D("32.15")),
        (date(2025, 1, 1), D("0.00"), D("28.50")),
        # By the Shanghai date: UTC 16:00 is midnight in Shanghai.
        (datetime(2024, 10, 31, 15, 59, 59, tzinfo=UTC), D("0.00"), D("28.50")),
        (datetime(2024, 10, 31, 16, 0, tzinfo=UTC), D("3.65"), D("32.15")),
        (datetime(2024, 12, 31, 15, 59, 59, tzinfo=UTC), D("3.65"), D("32.15")),
        (datetime(2024, 12, 31, 16, 0, tzinfo=UTC), D("0.00"), D("28.50")),
    ],
)
def test_peak_season_runs_from_1_november_to_31_december_by_shanghai_date(on_date, peak, total):
    q = _us_west(on_date=on_date)

    assert (q.peak_adjustment, q.total) == (peak, total)
    assert q.base + q.peak_adjustment == q.total


def test_green_discount_only_when_asked_and_rounded_half_up():
    assert _us_west(green=False).total == D("28.50")

    q = _us_west(green=True)

    # 28.50 × 0.97 = 27.645 → 27.65 (half up)
    assert _parts(q) == (D("28.50"), D("0.00"), D("0.00"), D("-0.85"), D("27.65"))
    assert q.green_rate == D("0.03")


def test_everything_at_once_adds_up():
    q = _us_west(on_date=date(2024, 11, 11), score=D(95), green=True)

    # 28.50 × 1.0075 = 28.71375 → 28.71; × 1.128 = 32.38911 → 32.39; × 0.97 = 31.41744 → 31.42
    assert _parts(q) == (D("28.50"), D("0.21"), D("3.68"), D("-0.97"), D("31.42"))


def test_the_database_refuses_a_green_discount_over_3_percent():
    GreenDiscount.objects.create(effective_from=date(2031, 1, 1), discount_pct=D("3.00"))

    with pytest.raises(IntegrityError), transaction.atomic():
        GreenDiscount.objects.create(effective_from=date(2032, 1, 1), discount_pct=D("3.01"))
    with pytest.raises(IntegrityError), transaction.atomic():
        GreenDiscount.objects.create(effective_from=date(2033, 1, 1), discount_pct=D("-0.01"))
    assert not GreenDiscount.objects.filter(effective_from__gte=date(2032, 1, 1)).exists()


def test_a_later_green_discount_applies_from_its_date():
    GreenDiscount.objects.create(effective_from=date(2025, 3, 1), discount_pct=D("2.00"))

    assert _us_west(green=True).green_discount == D("-0.85")
    assert _us_west(green=True, on_date=date(2025, 3, 1)).green_discount == D("-0.57")


def test_volumetric_weight_wins_over_actual_weight():
    # 30 × 20 × 10 / 8000 = 0.75 kg → 750 g, band 800 g: 14 + 29 × 0.8
    q = _us_west(dims_cm=(30, 20, 10))

    assert (q.volumetric_weight_g, q.chargeable_weight_g, q.band_up_to_g) == (750, 750, 800)
    assert q.base == D("37.20")


def test_volumetric_weight_is_rounded_up_to_the_gram_and_actual_wins_when_heavier():
    # 10 × 10 × 10.1 / 8000 kg = 126.25 g → 127 g
    assert _us_west(weight_g=100, dims_cm=(10, 10, D("10.1"))).chargeable_weight_g == 127
    q = _us_west(weight_g=500, dims_cm=(20, 15, 10))  # 375 g
    assert (q.volumetric_weight_g, q.chargeable_weight_g) == (375, 500)


def test_the_divisor_is_the_lanes():
    card_with_lane(volumetric_divisor=5000)

    # 20 × 20 × 10 / 5000 = 0.8 kg
    q = _us_west(on_date=FUTURE, weight_g=100, dims_cm=(20, 20, 10))

    assert (q.chargeable_weight_g, q.base) == (800, D("80.00"))


@pytest.mark.parametrize(
    ("weight_g", "band", "base"),
    [
        (1, 100, D("16.90")),
        (100, 100, D("16.90")),
        (101, 200, D("19.80")),
        (500, 500, D("28.50")),
        (501, 600, D("31.40")),
        (2000, 2000, D("72.00")),
        (2001, 2500, D("85.00")),
        (30000, 30000, D("800.00")),
    ],
)
def test_band_edges(weight_g, band, base):
    q = _us_west(weight_g=weight_g)

    assert (q.band_up_to_g, q.base) == (band, base)


def test_over_the_maximum_weight_is_refused():
    with pytest.raises(OverMaxWeight) as refused, translation.override("en"):
        _us_west(weight_g=30001)
    assert str(refused.value.message) == (
        "The chargeable weight, 30001 g, is over this line's maximum of 30000 g."
    )
    with pytest.raises(OverMaxWeight):
        _us_west(weight_g=100, dims_cm=(200, 200, 10))  # 50 kg volumetric


def test_the_lanes_maximum_applies_below_its_last_band():
    card_with_lane(max_weight_g=900)

    assert _us_west(on_date=FUTURE, weight_g=900).base == D("80.00")
    with pytest.raises(OverMaxWeight):
        _us_west(on_date=FUTURE, weight_g=901)


@pytest.mark.parametrize(("country", "name"), [("RU", "Russia"), ("BR", "Brazil"), ("JP", "Japan")])
def test_destinations_without_a_line_are_refused(country, name):
    with pytest.raises(LaneNotServed) as refused, translation.override("en"):
        quote(origin="east", country=country, postcode="", weight_g=500, on_date=AUG)

    assert str(refused.value.message) == (
        f"No line serves {name}: we carry to the US, the EU, the UK and South-East Asia only."
    )


def test_the_refusal_is_in_chinese_first():
    with pytest.raises(LaneNotServed) as refused, translation.override("zh-hans"):
        quote(origin="east", country="RU", weight_g=500, on_date=AUG)

    assert "Russia" not in str(refused.value.message)


def test_an_origin_without_a_lane_is_refused():
    with pytest.raises(LaneNotServed):
        _us_west(origin="central")


def test_zones_by_zip_and_by_country():
    assert _us_west(postcode="10001").lane == "east/us-east/standard"
    assert _us_west(postcode="60601").lane == "east/us-central/standard"
    assert _us_west(postcode="98101-1234").lane == "east/us-west/standard"
    assert quote(origin="south", country="de", weight_g=500, on_date=AUG).lane == (
        "south/eu/standard"
    )
    assert quote(origin="north", country="GB", weight_g=500, on_date=AUG).zone == "uk"
    assert quote(origin="east", country="SG", weight_g=500, on_date=AUG).zone == "sea"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"weight_g": 0}, InvalidWeight),
        ({"weight_g": -5}, InvalidWeight),
        ({"weight_g": 1.5}, InvalidWeight),
        ({"weight_g": "500"}, InvalidWeight),
        ({"weight_g": True}, InvalidWeight),
        ({"dims_cm": (0, 10, 10)}, InvalidDimensions),
        ({"dims_cm": (10, -1, 10)}, InvalidDimensions),
        ({"dims_cm": (10, 10, D("200.01"))}, InvalidDimensions),
        ({"dims_cm": (10, 10)}, InvalidDimensions),
        ({"dims_cm": ("a", 10, 10)}, InvalidDimensions),
        ({"dims_cm": (D("NaN"), 10, 10)}, InvalidDimensions),
        ({"country": "XX"}, UnknownCountry),
        ({"country": ""}, UnknownCountry),
        ({"country": "USA"}, UnknownCountry),
        ({"postcode": ""}, InvalidPostcode),
        ({"postcode": "9410"}, InvalidPostcode),
        ({"postcode": "ABCDE"}, InvalidPostcode),
        ({"postcode": "941051"}, InvalidPostcode),
        ({"score": D(101)}, InvalidScore),
        ({"score": D(-1)}, InvalidScore),
        ({"score": "abc"}, InvalidScore),
        ({"origin": "mars"}, UnknownOrigin),
        ({"on_date": date(2024, 7, 31)}, NoRateCardInForce),
    ],
)
def test_bad_inputs_are_refused_with_a_domain_error(kwargs, error):
    with pytest.raises(error):
        _us_west(**kwargs)


def test_a_us_address_without_a_zip_says_so():
    with pytest.raises(InvalidPostcode) as refused, translation.override("en"):
        _us_west(postcode="")
    assert "5-digit ZIP code" in str(refused.value.message)


def test_a_naive_datetime_is_a_programming_error():
    with pytest.raises(ValueError, match="naive"):
        _us_west(on_date=datetime(2024, 8, 15, 12, 0))  # noqa: DTZ001


def test_the_card_in_force_is_the_latest_effective_on_the_date():
    newer = card_with_lane(effective_from=date(2025, 6, 1))

    before = _us_west(on_date=date(2025, 5, 31))
    after = _us_west(on_date=date(2025, 6, 1))

    assert (before.base, before.card_id != newer.pk) == (D("28.50"), True)
    assert (after.base, after.card_id) == (D("56.00"), newer.pk)
    # The newer card has no SEA lane: from its date, SEA is not served.
    quote(origin="east", country="SG", weight_g=500, on_date=date(2025, 5, 31))
    with pytest.raises(LaneNotServed):
        quote(origin="east", country="SG", weight_g=500, on_date=date(2025, 6, 1))


# The breakdown: exhaustive checks on random inputs.

_EXACT = Context(prec=80)


def _exact_parts(base, score, peak, green):
    c1 = _EXACT.multiply(base, 1 + (100 - score) * D("0.0015"))
    c2 = _EXACT.multiply(c1, 1 + peak)
    c3 = _EXACT.multiply(c2, 1 - green)
    return c1 - base, c2 - c1, c3 - c2, c3


def test_the_breakdown_adds_up_to_the_total_on_100000_random_inputs():
    rng = random.Random(20240815)
    for _ in range(100_000):
        base = D(rng.randint(0, 10**8)) / 100
        score = D(rng.randint(0, 10000)) / 100
        peak = D(rng.choice([0, 0, rng.randint(0, 3000)])) / 10000
        green = D(rng.choice([0, rng.randint(0, 300)])) / 10000

        fees = fee_breakdown(base=base, score=score, peak=peak, green=green)
        parts = (fees.base, fees.fulfillment_adjustment, fees.peak_adjustment, fees.green_discount)
        fulfil, peak_part, green_part, total = _exact_parts(base, score, peak, green)

        assert sum(parts) == fees.total
        assert fees.total == total.quantize(D("0.01"), rounding=ROUND_HALF_UP)
        assert all(p.as_tuple().exponent == -2 for p in (*parts, fees.total))
        assert abs(fees.fulfillment_adjustment - fulfil) <= D("0.01")
        assert abs(fees.peak_adjustment - peak_part) <= D("0.01")
        assert abs(fees.green_discount - green_part) <= D("0.01")
        assert fees.fulfillment_adjustment >= 0
        assert fees.peak_adjustment >= 0
        assert fees.green_discount <= 0
        assert (peak == 0) <= (fees.peak_adjustment == 0)
        assert (green == 0) <= (fees.green_discount == 0)


def test_random_quotes_add_up_to_the_fen():
    rng = random.Random(7)
    destinations = [("US", "94105"), ("US", "10001"), ("US", "60601"), ("GB", ""), ("DE", "")]
    destinations += [("FR", ""), ("SG", ""), ("VN", "")]
    for _ in range(5000):
        country, postcode = rng.choice(destinations)
        dims = None if rng.random() < 0.5 else tuple(D(rng.randint(1, 400)) / 10 for _ in range(3))
        q = quote(
            origin=rng.choice(["east", "south", "north"]),
            country=country,
            postcode=postcode,
            weight_g=rng.randint(1, 20000),
            dims_cm=dims,
            score=D(rng.randint(0, 1000)) / 10,
            on_date=date(2025, 1, 1) + (date(2025, 1, 2) - date(2025, 1, 1)) * rng.randint(0, 364),
            green=rng.random() < 0.5,
        )
        assert q.base + q.fulfillment_adjustment + q.peak_adjustment + q.green_discount == q.total
        assert q.chargeable_weight_g <= q.band_up_to_g
