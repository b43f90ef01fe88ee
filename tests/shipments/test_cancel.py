"""Cancelling a shipment: only before pickup, with its audit event, and refunded."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import EntryKind, LedgerEntry
from onboarding.models import ApplicationStatus
from shipments.exceptions import NotCancellable, OrderRefused
from shipments.models import EventSource, Shipment, ShipmentEvent, ShipmentStatus
from shipments.services import shipment_cancel
from tests.shipments.factories import AUGUST, create_shipment, store_ready

pytestmark = pytest.mark.django_db

LATER = AUGUST + datetime.timedelta(hours=2)


@pytest.fixture
def store(seller_user):
    return store_ready(seller=seller_user.seller)


@pytest.mark.parametrize("status", [ShipmentStatus.CREATED, ShipmentStatus.LABEL_PRINTED])
def test_a_shipment_not_picked_up_is_cancelled_with_its_audit_event(store, seller_user, status):
    shipment = create_shipment(store)
    Shipment.objects.filter(pk=shipment.pk).update(status=status)
    shipment.refresh_from_db()

    shipment_cancel(shipment=shipment, user=seller_user, reason=" customer changed mind ", at=LATER)

    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.CANCELLED
    assert shipment.cancelled_at == LATER
    assert shipment.status_changed_at == LATER
    event = ShipmentEvent.objects.get(shipment=shipment)
    assert (event.from_status, event.status) == (status, ShipmentStatus.CANCELLED)
    assert event.source == EventSource.PORTAL
    assert event.actor == seller_user
    assert event.at == LATER
    assert event.description == "customer changed mind"


@pytest.mark.parametrize(
    "status",
    [
        ShipmentStatus.PICKED_UP,
        ShipmentStatus.IN_TRANSIT,
        ShipmentStatus.CUSTOMS,
        ShipmentStatus.DELIVERED,
        ShipmentStatus.EXCEPTION,
        ShipmentStatus.RETURNED,
        ShipmentStatus.CANCELLED,
    ],
)
def test_after_pickup_a_shipment_cannot_be_cancelled_and_nothing_changes(
    store, seller_user, status
):
    shipment = create_shipment(store)
    Shipment.objects.filter(pk=shipment.pk).update(status=status)
    shipment.refresh_from_db()
    before = Shipment.objects.values().get(pk=shipment.pk)

    with pytest.raises(NotCancellable):
        shipment_cancel(shipment=shipment, user=seller_user, at=LATER)

    assert Shipment.objects.values().get(pk=shipment.pk) == before
    assert not ShipmentEvent.objects.filter(shipment=shipment).exists()


def test_a_stale_shipment_picked_up_meanwhile_is_refused_under_the_lock(store, seller_user):
    shipment = create_shipment(store)  # in memory: created
    Shipment.objects.filter(pk=shipment.pk).update(status=ShipmentStatus.PICKED_UP)

    with pytest.raises(NotCancellable):
        shipment_cancel(shipment=shipment, user=seller_user, at=LATER)

    assert Shipment.objects.get(pk=shipment.pk).status == ShipmentStatus.PICKED_UP
    assert not ShipmentEvent.objects.filter(shipment=shipment).exists()


def test_cancelling_refunds_the_charge_once(store, seller_user):
    shipment = create_shipment(store)
    shipment_cancel(shipment=shipment, user=seller_user, at=LATER)

    refunds = LedgerEntry.objects.filter(shipment=shipment, kind=EntryKind.REFUND)
    assert [(entry.amount, entry.at) for entry in refunds] == [(Decimal("28.50"), LATER)]
    with pytest.raises(NotCancellable):
        shipment_cancel(shipment=shipment, user=seller_user, at=LATER)
    assert refunds.count() == 1


# --- the page's cancel button --------------------------------------------------------


def test_the_seller_cancels_from_the_detail_page(seller_client, seller_user, store):
    shipment = create_shipment(store)
    url = reverse("shipments:cancel", args=[shipment.pk])

    response = seller_client.post(url, {"reason": "duplicate order"})

    assert response.status_code == 302
    assert response["Location"] == reverse("shipments:detail", args=[shipment.pk])
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.CANCELLED
    event = ShipmentEvent.objects.get(shipment=shipment)
    assert (event.actor, event.description) == (seller_user, "duplicate order")


def test_the_page_refuses_to_cancel_after_pickup_and_says_why(seller_client, store):
    shipment = create_shipment(store)
    Shipment.objects.filter(pk=shipment.pk).update(status=ShipmentStatus.IN_TRANSIT)

    response = seller_client.post(reverse("shipments:cancel", args=[shipment.pk]), follow=True)

    assert response.status_code == 200
    assert shipment.tracking_number in str(next(iter(response.context["messages"])))
    assert Shipment.objects.get(pk=shipment.pk).status == ShipmentStatus.IN_TRANSIT
    assert not ShipmentEvent.objects.filter(shipment=shipment).exists()


def test_cancel_is_post_only(seller_client, store):
    shipment = create_shipment(store)

    response = seller_client.get(reverse("shipments:cancel", args=[shipment.pk]))

    assert response.status_code == 405
    assert Shipment.objects.get(pk=shipment.pk).status == ShipmentStatus.CREATED


def test_another_seller_cannot_cancel(client, store, other_seller_user):
    shipment = create_shipment(store)
    client.force_login(other_seller_user)

    response = client.post(reverse("shipments:cancel", args=[shipment.pk]))

    assert response.status_code == 404
    assert Shipment.objects.get(pk=shipment.pk).status == ShipmentStatus.CREATED
    assert not ShipmentEvent.objects.filter(shipment=shipment).exists()


def test_a_failed_refund_rolls_the_cancellation_back(store, seller_user, monkeypatch):
    import shipments.services.cancel as cancel_module

    def broken(**kwargs):
        raise RuntimeError("ledger down")

    monkeypatch.setattr(cancel_module, "shipment_charge_refund", broken)
    shipment = create_shipment(store)

    with pytest.raises(RuntimeError):
        shipment_cancel(shipment=shipment, user=seller_user, at=LATER)

    assert Shipment.objects.get(pk=shipment.pk).status == ShipmentStatus.CREATED
    assert not ShipmentEvent.objects.filter(shipment=shipment).exists()


def test_a_trial_shipment_is_cancelled_with_nothing_to_refund(seller_user):
    from onboarding.models import ApplicationStatus

    store = store_ready(seller=seller_user.seller, status=ApplicationStatus.TRIAL)
    shipment = create_shipment(store)

    shipment_cancel(shipment=shipment, user=seller_user, at=LATER)

    assert Shipment.objects.get(pk=shipment.pk).status == ShipmentStatus.CANCELLED
    assert not LedgerEntry.objects.filter(shipment=shipment).exists()


def test_a_cancelled_trial_shipment_gives_its_slot_back(seller_user):
    trial = store_ready(status=ApplicationStatus.TRIAL, seller=seller_user.seller)
    first, *_ = [create_shipment(trial) for _ in range(3)]

    shipment_cancel(shipment=first, user=seller_user, at=LATER)

    fourth = create_shipment(trial, order_number="AE-AGAIN")
    assert fourth.is_trial and fourth.charge == Decimal("0.00")
    with pytest.raises(OrderRefused) as refused:
        create_shipment(trial, order_number="AE-FIFTH")
    assert refused.value.code == "trial_quota_used"
