"""Origins are data pricing owns: the five Chinese regions came from the old choices by a
data migration with every lane and price unchanged; an overseas warehouse is an origin
whose lanes are priced like any other, in quotes, the calculator and the quote command."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from pricing.exceptions import LaneNotServed, RateCardInForce, UnknownOrigin
from pricing.models import Lane, Origin, OriginKind, RateCard, Region, Zone
from pricing.rates import pricing_cache_clear_local
from pricing.selectors import origin_choices, origin_country, origin_get
from pricing.services import lane_add, origin_create, quote

pytestmark = pytest.mark.django_db
AUG = date(2024, 8, 15)
DEMO = date(2024, 8, 1)


@pytest.fixture(autouse=True)
def _fresh_pricing_cache():
    pricing_cache_clear_local()
    yield
    pricing_cache_clear_local()


def _warehouse_lane(code="wh-uslax", zone="us-west", price="18.00"):
    origin = origin_create(
        code=code, name="US West warehouse", kind=OriginKind.WAREHOUSE, country="US",
        address="1600 S Milliken Ave, Ontario, CA 91761",
    )  # fmt: skip
    lane_add(
        card=RateCard.objects.get(effective_from=DEMO),
        origin=origin,
        zone=Zone.objects.get(code=zone),
        bands=[(500, Decimal(price)), (2000, Decimal("40.00"))],
        transit_days=2,
        today=date(2024, 7, 31),
    )
    return origin


def test_the_regions_became_origins_and_every_lane_kept_its_origin():
    assert sorted(Origin.objects.filter(kind="china").values_list("code", "country")) == sorted(
        (code, "CN") for code in Region.values
    )
    assert set(Lane.objects.values_list("origin", flat=True)) == {"east", "south", "north"}
    assert quote(
        origin="east", country="US", postcode="94105", weight_g=500, on_date=AUG
    ).total == (Decimal("28.50"))
    assert origin_get(code="east").label == str(Region.EAST.label)
    assert origin_country(code="east") == "CN" and origin_country(code="nowhere") == "CN"


def test_a_warehouse_origin_is_priced_like_any_lane():
    _warehouse_lane()

    price = quote(origin="wh-uslax", country="US", postcode="94105", weight_g=400, on_date=AUG)

    assert (price.lane, price.total, price.transit_days) == (
        "wh-uslax/us-west/standard",
        Decimal("18.00"),
        2,
    )
    with pytest.raises(LaneNotServed) as refused:
        quote(origin="wh-uslax", country="DE", weight_g=400, on_date=AUG)
    assert "US West warehouse" in str(refused.value.message)
    with pytest.raises(UnknownOrigin):
        quote(origin="wh-nowhere", country="US", postcode="94105", weight_g=400, on_date=AUG)
    assert ("wh-uslax", "US West warehouse") in origin_choices()
    assert origin_choices(kind="china")[0][0] == "central"


def test_the_quote_command_takes_a_warehouse_origin(capsys):
    _warehouse_lane()
    call_command(
        "quote", "--origin", "wh-uslax", "--country", "US", "--postcode", "94105",
        "--weight-g", "400", "--date", "2024-08-15", "--json",
    )  # fmt: skip
    assert json.loads(capsys.readouterr().out)["total"] == "18.00"


def test_bad_origins_are_refused():
    for fields in (
        {"code": "WH LAX", "kind": "warehouse", "country": "US"},
        {"code": "wh-x", "kind": "china", "country": "US"},  # a Chinese region is in China
        {"code": "wh-y", "kind": "moon", "country": "US"},
        {"code": "wh-toolongcode", "kind": "warehouse", "country": "US"},
    ):
        with pytest.raises(ValidationError):
            origin_create(name="x", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Origin.objects.create(code="wh-z", name="z", kind="china", country="US")
    with pytest.raises(RateCardInForce):  # a card in force keeps its lanes
        lane_add(
            card=RateCard.objects.get(effective_from=DEMO),
            origin=Origin.objects.get(code="east"),
            zone=Zone.objects.get(code="sea"),
            bands=[(500, Decimal("1.00"))],
            transit_days=1,
        )
