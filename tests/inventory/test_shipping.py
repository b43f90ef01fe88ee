"""What happens to the stock of a routed parcel: picked up by the carrier it leaves on hand;
cancelled before pickup it is released, the campaign's part back to its lock while the lock
lasts; a routed order is cancelled whole or not at all. And customs from a warehouse: a
parcel inside one country or the EU crosses no border (no CN22, no border rule); to the UK
it does; its label names the warehouse it leaves from."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from inventory.exceptions import IllegalTransition
from inventory.models import AllocationStatus, LockStatus, RouteStatus
from inventory.services import (
    campaign_get_or_create,
    presale_lock_create,
    presale_locks_expire,
    route_cancel,
)
from shipments.exceptions import NotCancellable
from shipments.models import EventSource, Shipment, ShipmentStatus
from shipments.services import (
    labels_pdf,
    shipment_cancel,
    shipment_transition,
)
from tests.billing.factories import instant_store
from tests.shipments.factories import AUGUST

from .factories import sku, stock_in, warehouse
from .helpers import LONDON, PARIS, assert_invariants, levels, route

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller():
    return instant_store(balance="2000.00").seller


def _picked_up(shipment: Shipment, at=AUGUST + datetime.timedelta(hours=5)) -> None:
    shipment_transition(
        shipment=shipment, to_status=ShipmentStatus.PICKED_UP, at=at, source=EventSource.WEBHOOK
    )


def test_a_pickup_ships_the_stock_and_a_later_scan_changes_nothing(seller):
    lax = warehouse("US-LAX")
    a = sku(seller, "A")
    stock_in(lax, a, 5)
    result = route(seller, "AE-1", "A:2")
    shipment = Shipment.objects.get(pk=result.allocations[0].shipment_id)

    _picked_up(shipment)
    shipment_transition(
        shipment=shipment,
        to_status=ShipmentStatus.IN_TRANSIT,
        at=AUGUST + datetime.timedelta(hours=9),
        source=EventSource.WEBHOOK,
    )

    assert levels(lax, a) == (3, 0, 0, 0)
    assert shipment.allocation.status == AllocationStatus.SHIPPED
    with pytest.raises(NotCancellable):
        route_cancel(route=shipment.allocation.order, user=None)
    assert_invariants()


def test_a_cancelled_parcel_gives_its_locked_units_back_to_the_lock(seller):
    fra = warehouse("DE-FRA")
    a = sku(seller, "A")
    stock_in(fra, a, 5)
    campaign = campaign_get_or_create(seller=seller, code="PRE")
    lock = presale_lock_create(
        campaign=campaign,
        warehouse=fra,
        sku=a,
        quantity=2,
        expires_at=timezone.now() + datetime.timedelta(days=5),
        at=AUGUST,
    )
    result = route(seller, "AE-2", "A:3", to=PARIS, campaign="PRE")
    assert levels(fra, a) == (5, 3, 0, 0)
    shipment = Shipment.objects.get(pk=result.allocations[0].shipment_id)

    shipment_cancel(shipment=shipment, user=None, reason="customer cancelled")

    lock.refresh_from_db()
    assert (lock.held, lock.consumed) == (2, 0)
    assert levels(fra, a) == (5, 2, 0, 0)  # the lock's 2 stay promised; 1 is free again
    shipment.allocation.order.refresh_from_db()
    assert shipment.allocation.order.status == RouteStatus.CANCELLED  # its only parcel
    assert_invariants()


def test_a_parcel_cancelled_after_its_lock_expired_frees_its_units(seller):
    fra = warehouse("DE-FRA")
    a = sku(seller, "A")
    stock_in(fra, a, 5)
    campaign = campaign_get_or_create(seller=seller, code="PRE")
    now = timezone.now()
    lock = presale_lock_create(
        campaign=campaign,
        warehouse=fra,
        sku=a,
        quantity=2,
        expires_at=now + datetime.timedelta(minutes=10),
        at=now,
    )
    result = route(seller, "AE-3", "A:2", to=PARIS, campaign="PRE", at=now)
    presale_locks_expire(now=now + datetime.timedelta(minutes=11))

    shipment_cancel(
        shipment=Shipment.objects.get(pk=result.allocations[0].shipment_id),
        user=None,
        at=now + datetime.timedelta(minutes=12),
    )

    lock.refresh_from_db()
    assert (lock.status, lock.held, lock.consumed, lock.released) == (
        LockStatus.EXPIRED,
        0,
        0,
        2,
    )
    assert levels(fra, a) == (5, 0, 0, 0)
    assert_invariants()


def test_a_routed_order_is_cancelled_whole(seller):
    lax, nj = warehouse("US-LAX"), warehouse("US-NJ")
    a, b = sku(seller, "A"), sku(seller, "B")
    stock_in(lax, a, 1)
    stock_in(nj, b, 1)
    result = route(seller, "AE-4", "A:1,B:1")
    routed = Shipment.objects.get(pk=result.allocations[0].shipment_id).allocation.order

    route_cancel(route=routed, user=None, reason="out of stock on the platform")

    assert routed.status == RouteStatus.CANCELLED
    assert set(Shipment.objects.values_list("status", flat=True)) == {ShipmentStatus.CANCELLED}
    assert levels(lax, a) == (1, 0, 0, 0) and levels(nj, b) == (1, 0, 0, 0)
    with pytest.raises(IllegalTransition):
        route_cancel(route=routed, user=None)
    assert_invariants()


def test_a_routed_order_with_one_parcel_picked_up_is_not_cancelled(seller):
    lax, nj = warehouse("US-LAX"), warehouse("US-NJ")
    a, b = sku(seller, "A"), sku(seller, "B")
    stock_in(lax, a, 1)
    stock_in(nj, b, 1)
    result = route(seller, "AE-5", "A:1,B:1")
    first, second = (Shipment.objects.get(pk=p.shipment_id) for p in result.allocations)
    _picked_up(second)

    with pytest.raises(NotCancellable):
        route_cancel(route=first.allocation.order, user=None)

    first.refresh_from_db()
    assert first.status == ShipmentStatus.CREATED
    assert levels(lax, a) == (1, 1, 0, 0) and levels(nj, b) == (0, 0, 0, 0)
    assert_invariants()


def _pdf_text(shipments) -> str:
    pdf = labels_pdf(
        shipments=list(
            Shipment.objects.filter(pk__in=[s.pk for s in shipments])
            .select_related("store")
            .prefetch_related("items")
            .order_by("pk")
        )
    )
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_inside_the_eu_no_border_rule_applies_and_no_cn22_is_printed(seller):
    fra = warehouse("DE-FRA")
    a = sku(seller, "A", hs_code="")  # no HS code: needed at a border only
    stock_in(fra, a, 5)

    result = route(seller, "AE-6", "A:1", to=PARIS)

    shipment = Shipment.objects.get(pk=result.allocations[0].shipment_id)
    assert (shipment.customs_form, shipment.ioss_number, shipment.fx_rates["on"]) == (
        "",
        "",
        "2026-08-15",
    )
    text = _pdf_text([shipment])
    assert "CUSTOMS DECLARATION" not in text
    assert "Germany (Frankfurt)" in text and "GERMANY" in text and "wh-defra" in text


def test_to_the_uk_a_parcel_from_germany_crosses_a_border(seller):
    fra = warehouse("DE-FRA")
    stock_in(fra, sku(seller, "A", hs_code=""), 5)
    stock_in(fra, sku(seller, "B"), 5)

    from inventory.exceptions import RouteRefused

    with pytest.raises(RouteRefused) as refused:
        route(seller, "AE-7", "A:1", to=LONDON)
    assert refused.value.code == "hs_code_missing"

    result = route(seller, "AE-8", "B:1", to=LONDON)
    shipment = Shipment.objects.get(pk=result.allocations[0].shipment_id)
    assert (shipment.customs_form, shipment.uk_vat_number) == ("CN22", "GB980780684")
    assert "CUSTOMS DECLARATION CN 22" in _pdf_text([shipment])
