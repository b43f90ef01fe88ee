"""Routing (智能分单): the order of the rules, the reasons, the policies, the refusals, and
an order number routed twice. Prices are the test network's (tests/inventory/factories.py)
on the demo card in August (no peak season), at score 100."""

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest

from inventory.exceptions import InvalidInventoryInput, RouteRefused
from inventory.models import (
    Allocation,
    AllocationStatus,
    Policy,
    RoutedOrder,
    StockMovement,
)
from shipments.models import RefusedOrder, Shipment
from tests.billing.factories import instant_store

from .factories import sku, stock_in, warehouse
from .helpers import BERLIN, PARIS, SF, assert_invariants, levels, route

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller():
    return instant_store(balance="2000.00").seller


@pytest.fixture
def lax():
    return warehouse("US-LAX")


@pytest.fixture
def nj():
    return warehouse("US-NJ")


@pytest.fixture
def fra():
    return warehouse("DE-FRA")


def _reasons(result) -> dict[str, str]:
    return {reason.warehouse: reason.code for reason in result.reasons}


def test_one_warehouse_holding_every_line_ships_it_all(seller, lax, nj):
    a, b = sku(seller, "A"), sku(seller, "B")
    stock_in(lax, a, 5)
    stock_in(lax, b, 5)
    stock_in(nj, a, 5)

    result = route(seller, "AE-1", "A:2,B:1")

    (parcel,) = result.allocations
    assert parcel.warehouse == "US-LAX"
    assert [(ln.sku, ln.quantity, ln.from_lock) for ln in parcel.lines] == [
        ("A", 2, 0),
        ("B", 1, 0),
    ]
    assert parcel.price == Decimal("28.00")  # 600 g, the ≤ 1000 g band from US West
    assert _reasons(result) == {"US-LAX": "chosen", "US-NJ": "partial"}
    shipment = Shipment.objects.get(tracking_number=parcel.tracking_number)
    assert (shipment.order_number, shipment.origin, shipment.country) == (
        "AE-1/1",
        "wh-uslax",
        "US",
    )
    assert [(i.sku, i.quantity, i.hs_code, i.unit_weight_g) for i in shipment.items.all()] == [
        ("A", 2, "610910", 200),
        ("B", 1, "610910", 200),
    ]
    assert levels(lax, a) == (5, 2, 0, 0) and levels(lax, b) == (5, 1, 0, 0)
    assert levels(nj, a) == (5, 0, 0, 0)
    assert_invariants()


def test_a_split_uses_the_fewest_warehouses(seller, lax, nj, fra):
    a, b = sku(seller, "A"), sku(seller, "B")
    stock_in(lax, a, 1)
    stock_in(nj, a, 1)
    stock_in(nj, b, 1)
    stock_in(fra, a, 2)

    result = route(seller, "AE-2", "A:2,B:1")

    # NJ + LAX and NJ + FRA both fill it in two parcels; the same market decides. Parcels
    # are listed in their warehouses' order: same market, then cheaper for the whole order.
    assert [
        (p.warehouse, [(ln.sku, ln.quantity) for ln in p.lines], p.price)
        for p in result.allocations
    ] == [
        ("US-LAX", [("A", 1)], Decimal("18.00")),
        ("US-NJ", [("A", 1), ("B", 1)], Decimal("21.60")),
    ]
    assert _reasons(result) == {
        "US-LAX": "chosen_split",
        "US-NJ": "chosen_split",
        "DE-FRA": "partial",
    }
    assert Shipment.objects.filter(order_number__startswith="AE-2/").count() == 2
    assert_invariants()


def test_among_single_warehouses_the_destinations_country_then_price_decide(seller, lax, nj, fra):
    a = sku(seller, "A")
    for where in (lax, nj, fra):
        stock_in(where, a, 3)

    result = route(seller, "AE-3", "A:1")

    assert [p.warehouse for p in result.allocations] == ["US-LAX"]  # ¥18.00 to San Francisco
    assert _reasons(result) == {"US-LAX": "chosen", "US-NJ": "dearer", "DE-FRA": "other_market"}
    texts = {r.warehouse: r for r in result.reasons}
    assert texts["US-NJ"].params["price"] == "21.60"
    assert texts["US-NJ"].params["chosen_price"] == "18.00"


def test_a_warehouse_past_its_cut_off_ships_a_day_later_and_loses_on_speed(seller, lax, nj):
    a = sku(seller, "A")
    stock_in(lax, a, 3)
    stock_in(nj, a, 3)
    # To Chicago (US Central) both charge ¥19.80 and take 3 days: the codes decide.
    chicago = replace(SF, postcode="60601", state="IL", city="Chicago")
    first = route(seller, "AE-4", "A:1", to=chicago)
    assert [p.warehouse for p in first.allocations] == ["US-LAX"]
    assert _reasons(first)["US-NJ"] == "tie"

    # US West's cut-off is 05:00 (UTC); at 10:00 its parcel leaves tomorrow: 4 days.
    lax.cutoff = datetime.time(5, 0)
    lax.save(update_fields=["cutoff"])
    second = route(seller, "AE-4B", "A:1", to=chicago)
    assert [(p.warehouse, p.transit_days) for p in second.allocations] == [("US-NJ", 3)]
    assert _reasons(second)["US-LAX"] == "slower"
    assert {r.warehouse: r.params for r in second.reasons}["US-LAX"]["days"] == 4


def test_locked_stock_goes_before_free_stock(seller, lax, nj):
    from django.utils import timezone

    from inventory.services import campaign_get_or_create, presale_lock_create
    from tests.shipments.factories import AUGUST

    a = sku(seller, "A")
    stock_in(lax, a, 5)
    stock_in(nj, a, 5)
    campaign = campaign_get_or_create(seller=seller, code="bf2026", name="Black Friday")
    lock = presale_lock_create(
        campaign=campaign,
        warehouse=nj,
        sku=a,
        quantity=2,
        expires_at=AUGUST + timezone.timedelta(days=30),
        at=AUGUST,
    )

    result = route(seller, "AE-5", "A:3", campaign="BF2026")

    # NJ holds the campaign's lock: it beats LAX, cheaper to San Francisco.
    (parcel,) = result.allocations
    assert (parcel.warehouse, parcel.lines[0].quantity, parcel.lines[0].from_lock) == (
        "US-NJ",
        3,
        2,
    )
    assert _reasons(result) == {"US-NJ": "chosen", "US-LAX": "lock_elsewhere"}
    lock.refresh_from_db()
    assert (lock.held, lock.consumed, lock.released) == (0, 2, 0)
    assert levels(nj, a) == (5, 3, 0, 0)  # 2 locked (already reserved) + 1 free
    assert_invariants()


def test_fill_or_kill_refuses_an_order_no_set_fills_and_reserves_nothing(seller, lax, nj):
    a, b = sku(seller, "A"), sku(seller, "B")
    stock_in(lax, a, 1)
    stock_in(nj, b, 1)
    before = StockMovement.objects.count()

    with pytest.raises(RouteRefused) as refused:
        route(seller, "AE-6", "A:2,B:1")

    assert refused.value.code == "stock_insufficient"
    assert refused.value.recorded
    record = RefusedOrder.objects.get(order_number="AE-6")
    assert record.check_code == "stock_insufficient"
    assert record.parcel["origin"] == "wh-uslax"  # the warehouse holding most of it
    assert record.evidence == {
        "warehouse": "US-LAX",
        "lines": [
            {"sku": "A", "requested": 2, "available": 1},
            {"sku": "B", "requested": 1, "available": 0},
        ],
    }
    assert not RoutedOrder.objects.exists() and not Shipment.objects.exists()
    assert StockMovement.objects.count() == before
    assert levels(lax, a) == (1, 0, 0, 0)
    # Refused, not routed: the same number may be routed again once the stock is there.
    stock_in(lax, a, 1)
    stock_in(lax, b, 1)
    assert [p.warehouse for p in route(seller, "AE-6", "A:2,B:1").allocations] == ["US-LAX"]
    assert_invariants()


def test_fill_all_available_ships_what_is_in_stock_and_the_rest_from_china(seller, lax):
    a = sku(seller, "A")
    sku(seller, "B")
    stock_in(lax, a, 1)

    result = route(seller, "AE-7", "A:3,B:2", policy=Policy.FILL_ALL_AVAILABLE)

    (parcel,) = result.allocations
    assert (parcel.warehouse, parcel.lines[0].quantity) == ("US-LAX", 1)
    assert [(ln.sku, ln.quantity) for ln in result.unallocated] == [("A", 2), ("B", 2)]
    assert result.as_json()["unallocated"] == [
        {"sku": "A", "quantity": 2},
        {"sku": "B", "quantity": 2},
    ]
    assert {r.code for r in result.reasons} == {"chosen", "from_china"}
    assert RoutedOrder.objects.get(order_number="AE-7").unallocated == [
        {"sku": "A", "quantity": 2},
        {"sku": "B", "quantity": 2},
    ]
    assert_invariants()


def test_a_country_no_warehouse_serves(seller, lax):
    a = sku(seller, "A")
    stock_in(lax, a, 1)

    with pytest.raises(InvalidInventoryInput) as error:
        route(seller, "AE-8", "A:1", to=BERLIN)
    assert error.value.field == "country"
    assert "No warehouse" in str(error.value.message)
    assert not RoutedOrder.objects.exists() and not RefusedOrder.objects.exists()

    result = route(seller, "AE-8", "A:1", to=BERLIN, policy=Policy.FILL_ALL_AVAILABLE)
    assert result.allocations == ()
    assert [(ln.sku, ln.quantity) for ln in result.unallocated] == [("A", 1)]
    assert _reasons(result) == {"US-LAX": "not_serving", "": "from_china"}


def test_more_parcels_than_allowed_is_refused_and_said(seller, lax, nj, fra):
    a, b, c = sku(seller, "A"), sku(seller, "B"), sku(seller, "C")
    stock_in(lax, a, 1)
    stock_in(nj, b, 1)
    stock_in(fra, c, 1)

    with pytest.raises(RouteRefused) as refused:
        route(seller, "AE-9", "A:1,B:1,C:1", max_splits=2)
    assert refused.value.code == "stock_insufficient"
    assert "max_splits" in {r.code for r in refused.value.reasons}

    result = route(seller, "AE-9", "A:1,B:1,C:1", max_splits=3)
    assert sorted(p.warehouse for p in result.allocations) == ["DE-FRA", "US-LAX", "US-NJ"]


def test_the_same_order_number_returns_the_first_result(seller, lax):
    a = sku(seller, "A")
    stock_in(lax, a, 5)
    first = route(seller, "AE-10", "A:2")

    again = route(seller, "AE-10", "A:3", to=PARIS)

    assert again.replayed and not first.replayed
    assert again.as_json()["allocations"] == first.as_json()["allocations"]
    assert again.order_number == "AE-10" and again.route_id == first.route_id
    assert Allocation.objects.count() == 1 and Shipment.objects.count() == 1
    assert levels(lax, a) == (5, 2, 0, 0)


def test_a_dry_run_decides_and_writes_nothing(seller, lax):
    a = sku(seller, "A")
    stock_in(lax, a, 5)
    movements = StockMovement.objects.count()

    result = route(seller, "AE-11", "A:2", dry_run=True)

    assert result.dry_run and [p.tracking_number for p in result.allocations] == [None]
    assert result.as_json()["allocations"] == [
        {
            "warehouse": "US-LAX",
            "lines": [{"sku": "A", "quantity": 2, "from_lock": 0}],
            "tracking_number": None,
        }
    ]
    assert not RoutedOrder.objects.exists() and not Shipment.objects.exists()
    assert StockMovement.objects.count() == movements
    with pytest.raises(RouteRefused) as refused:
        route(seller, "AE-11", "A:9", dry_run=True)
    assert refused.value.code == "stock_insufficient" and not refused.value.recorded
    assert not RefusedOrder.objects.exists()


@pytest.mark.parametrize(
    ("text", "kwargs", "field"),
    [
        ("NOPE:1", {}, "lines"),
        ("A:0", {}, "lines"),
        ("A:-2", {}, "lines"),
        ("A:100001", {}, "lines"),
        ("A:1", {"policy": "fill_some"}, "policy"),
        ("A:1", {"max_splits": 0}, "max_splits"),
        ("A:1", {"max_splits": 6}, "max_splits"),
        ("A:1", {"campaign": "NEVER"}, "campaign"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_changes_nothing(seller, lax, text, kwargs, field):
    a = sku(seller, "A")
    stock_in(lax, a, 5)
    movements = StockMovement.objects.count()

    with pytest.raises(InvalidInventoryInput) as error:
        route(seller, "AE-12", text, **kwargs)

    assert error.value.field == field and str(error.value.message)
    assert not RoutedOrder.objects.exists() and not RefusedOrder.objects.exists()
    assert StockMovement.objects.count() == movements


def test_bad_order_numbers_and_destinations(seller, lax):
    a = sku(seller, "A")
    stock_in(lax, a, 5)
    for number, field in (
        ("", "order_number"),
        ("A/1", "order_number"),
        ("X" * 61, "order_number"),
    ):
        with pytest.raises(InvalidInventoryInput) as error:
            route(seller, number, "A:1")
        assert error.value.field == field
    bad_zip = replace(SF, postcode="941")
    with pytest.raises(InvalidInventoryInput) as error:
        route(seller, "AE-13", "A:1", to=bad_zip)
    assert error.value.field == "postcode"
    nobody = replace(SF, name="", address="")
    with pytest.raises(InvalidInventoryInput) as error:
        route(seller, "AE-13", "A:1", to=nobody)
    assert error.value.field == "recipient"
    assert route(seller, "AE-13", "A:1", to=nobody, dry_run=True).allocations  # a dry run may
    assert not RoutedOrder.objects.exists()


def test_a_parcel_the_gate_refuses_rolls_the_whole_route_back(lax, nj):
    """The second parcel's charge finds the balance short: the first parcel's shipment,
    both reservations and the routed order are rolled back, the refusal recorded."""
    store = instant_store(balance="30.00")  # one parcel (¥18.00 + ¥21.60 > ¥30)
    seller = store.seller
    a, b = sku(seller, "A"), sku(seller, "B")
    stock_in(lax, a, 1)
    stock_in(nj, b, 1)
    movements = StockMovement.objects.count()

    with pytest.raises(RouteRefused) as refused:
        route(seller, "AE-14", "A:1,B:1")

    assert refused.value.code == "balance_insufficient"
    assert RefusedOrder.objects.get().check_code == "balance_insufficient"
    assert RefusedOrder.objects.get().order_number == "AE-14"
    assert not Shipment.objects.exists() and not RoutedOrder.objects.exists()
    assert StockMovement.objects.count() == movements
    assert levels(lax, a) == (1, 0, 0, 0) and levels(nj, b) == (1, 0, 0, 0)
    assert_invariants()


def test_another_sellers_stock_is_never_routed(seller, lax):
    other = instant_store(balance="100.00").seller
    theirs = sku(other, "A")
    stock_in(lax, theirs, 5)
    sku(seller, "A")

    with pytest.raises(RouteRefused) as refused:
        route(seller, "AE-15", "A:1")
    assert refused.value.code == "stock_insufficient"
    assert levels(lax, theirs) == (5, 0, 0, 0)
    assert Allocation.objects.filter(status=AllocationStatus.RESERVED).count() == 0
