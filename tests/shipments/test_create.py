from decimal import Decimal

import pytest
from django.utils import translation

from onboarding.models import ApplicationStatus
from shipments.exceptions import DuplicateOrder, InvalidOrder, OrderRefused
from shipments.models import RefusedOrder, Shipment
from shipments.s10 import is_valid
from tests.shipments.factories import AUGUST, create_shipment, store_ready

pytestmark = pytest.mark.django_db


def test_an_active_store_ships_at_the_demo_price():
    store = store_ready()
    shipment = create_shipment(store, order_number="AE-1")
    shipment.refresh_from_db()
    assert shipment.quoted_total == Decimal("28.50")
    assert shipment.charge == Decimal("28.50")
    assert shipment.is_trial is False
    assert shipment.lane == "east/us-west/standard"
    assert is_valid(shipment.tracking_number)
    assert shipment.tracking_number.endswith("CN")
    assert shipment.created_at == AUGUST


def test_the_score_prices_the_shipment_and_is_stored():
    store = store_ready(score="95.00")
    shipment = create_shipment(store)
    # 28.50 × (1 + 5 × 0.0015) = 28.71375 → 28.71
    assert shipment.score == Decimal("95.00")
    assert shipment.fulfillment_adjustment == Decimal("0.21")
    assert shipment.charge == Decimal("28.71")


def test_a_trial_store_ships_free_three_times_then_is_refused():
    store = store_ready(status=ApplicationStatus.TRIAL)
    shipments = [create_shipment(store) for _ in range(3)]
    assert [s.charge for s in shipments] == [Decimal("0.00")] * 3
    assert all(s.is_trial for s in shipments)
    assert shipments[0].quoted_total == Decimal("28.50")
    with pytest.raises(OrderRefused) as refused:
        create_shipment(store, order_number="AE-4TH")
    assert refused.value.code == "trial_quota_used"
    assert Shipment.objects.filter(store=store).count() == 3
    refusal = RefusedOrder.objects.get(order_number="AE-4TH")
    assert refusal.check_code == "trial_quota_used"
    assert refusal.evidence == {"used": 3, "quota": 3}
    assert refusal.seller == store.seller


def test_a_duplicate_order_number_is_refused_and_nothing_changes():
    store = store_ready()
    create_shipment(store, order_number="AE-DUP")
    with pytest.raises(DuplicateOrder):
        create_shipment(store, order_number="AE-DUP")
    assert Shipment.objects.count() == 1
    assert RefusedOrder.objects.count() == 0


def test_a_duplicate_inserted_meanwhile_is_a_duplicate_and_changes_nothing(monkeypatch):
    """Another request of the seller's (through another store) inserted the order number
    after this one's check: the database's constraint refuses it, nothing of it is kept."""
    from billing.models import LedgerEntry
    from shipments.services import creation

    store = store_ready()
    create_shipment(store, order_number="AE-RACE")
    monkeypatch.setattr(creation._SHIPPED, "exists", lambda **values: False)
    with pytest.raises(DuplicateOrder, match="AE-RACE"):
        create_shipment(store, order_number="AE-RACE")
    assert Shipment.objects.count() == 1
    assert RefusedOrder.objects.count() == 0
    assert LedgerEntry.objects.filter(kind="charge").count() == 1
    create_shipment(store, order_number="AE-AFTER")  # the transaction goes on
    assert Shipment.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"weight_g": 0}, "weight"),
        ({"weight_g": -5}, "weight"),
        ({"country": "XX"}, "country"),
        ({"postcode": ""}, "ZIP"),
        ({"postcode": "9410"}, "ZIP"),
        ({"postcode": "ABCDE"}, "ZIP"),
        ({"weight_g": "１２,０"}, "weight"),
        ({"dims_cm": (20, 15, 900)}, "200 cm"),
    ],
)
def test_bad_input_is_refused_before_the_gate(overrides, fragment):
    store = store_ready()
    with translation.override("en"), pytest.raises(InvalidOrder) as error:
        create_shipment(store, **overrides)
    assert fragment in str(error.value)
    assert Shipment.objects.count() == 0
    assert RefusedOrder.objects.count() == 0


def test_full_width_and_pasted_numbers_quote_like_ascii():
    store = store_ready()
    typed = create_shipment(store, order_number="AE-FW", postcode=" ９４１０５ ", weight_g="１２０")
    plain = create_shipment(store, order_number="AE-ASCII", postcode="94105", weight_g=120)
    assert (typed.postcode, typed.weight_g) == ("94105", 120)
    assert (typed.lane, typed.quoted_total) == (plain.lane, plain.quoted_total)


def test_a_malformed_postcode_is_a_postcode_error_never_an_unserved_lane():
    store = store_ready()
    with translation.override("en"), pytest.raises(InvalidOrder) as error:
        create_shipment(store, order_number="AE-ZIP", postcode="941O5")
    assert error.value.field == "postcode"
    assert RefusedOrder.objects.count() == 0  # nothing for the root-cause chart


def test_russia_is_refused_by_the_lane_check_and_recorded():
    store = store_ready()
    with pytest.raises(OrderRefused) as refused:
        create_shipment(store, order_number="AE-RU", country="RU", postcode="101000")
    assert refused.value.code == "lane_not_served"
    assert RefusedOrder.objects.get().parcel["country"] == "RU"
    assert Shipment.objects.count() == 0
