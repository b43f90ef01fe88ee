"""Two stores of one instant-debit seller share its balance. When both pass the gate on the
last of it at the same instant, one ships and the other is refused like any refusal: a
``RefusedOrder`` with ``balance_insufficient`` and the balance as it is after the first,
nothing half-made and no server error."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from billing.exceptions import InsufficientBalance
from billing.models import LedgerEntry, SettlementAccount
from core.gate import gate
from shipments.exceptions import OrderRefused
from shipments.models import RefusedOrder, Shipment
from shipments.services import creation
from tests.accounts.factories import SellerUserFactory
from tests.billing.factories import instant_store, topup
from tests.shipments.factories import create_shipment, order_form, parcel, store_ready

# A 500 g parcel from 华东 to US West on the demo card, at score 100, in August.
CHARGE = Decimal("28.50")


def _both_past_the_gate(monkeypatch) -> threading.Barrier:
    """Hold each order between its gate and its charge until both got there: each gate
    has read the whole balance."""
    barrier = threading.Barrier(2, timeout=20)
    charge = creation.shipment_charges_record

    def charge_when_both_gated(**kwargs):
        barrier.wait()
        return charge(**kwargs)

    monkeypatch.setattr(creation, "shipment_charges_record", charge_when_both_gated)
    return barrier


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_second_of_two_stores_is_refused_and_recorded(monkeypatch):
    first_store = instant_store(balance=str(CHARGE))
    second_store = store_ready(seller=first_store.seller, settlement_mode="instant")
    _both_past_the_gate(monkeypatch)
    outcomes: dict[str, object] = {}

    def order(store, number):
        try:
            outcomes[number] = create_shipment(store, order_number=number)
        except Exception as error:  # noqa: BLE001 - the outcome is what is asserted
            outcomes[number] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=order, args=(first_store, "AE-RACE-1")),
        threading.Thread(target=order, args=(second_store, "AE-RACE-2")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    created = [value for value in outcomes.values() if isinstance(value, Shipment)]
    refused = [value for value in outcomes.values() if isinstance(value, OrderRefused)]
    assert (len(created), len(refused)) == (1, 1), outcomes
    assert refused[0].code == "balance_insufficient"
    assert refused[0].evidence == {"balance": "0.00", "charge": "28.50", "shortfall": "28.50"}
    record = RefusedOrder.objects.get()
    assert record.check_code == "balance_insufficient"
    assert record.order_number != created[0].order_number
    assert Shipment.objects.count() == 1
    assert LedgerEntry.objects.filter(kind="charge").count() == 1
    assert SettlementAccount.objects.get(pk=first_store.seller_id).balance == Decimal("0.00")


@pytest.mark.django_db
def test_when_a_refund_puts_the_balance_back_the_seller_is_asked_to_place_it_again(
    client, monkeypatch
):
    """The charge finds the balance short, and by the second gate it is enough again:
    nothing is made, and the form says to place the order again (no server error). Here
    the order that took the balance is rolled back with this one."""
    owner = SellerUserFactory()
    store = instant_store(balance="0", seller=owner.seller)
    # The form prices at today's date (peak season or not): the balance covers one parcel.
    today = gate.context(seller=owner.seller, store=store, parcel=parcel(), at=timezone.now())
    topup(owner.seller, str(today.facts.charge))
    charge = creation.shipment_charges_record
    taken = []

    def short_then_back(**kwargs):
        if not taken:
            taken.append(True)
            create_shipment(store, order_number="AE-OTHER", at=timezone.now())  # takes it
        return charge(**kwargs)

    monkeypatch.setattr(creation, "shipment_charges_record", short_then_back)
    client.force_login(owner)

    response = client.post(reverse("shipments:create"), order_form(store, order_number="AE-RACE-3"))

    assert response.status_code == 200
    assert response.context["refusal"] is None, response.context["refusal"]
    assert response.context["form"].non_field_errors() == [str(InsufficientBalance().message)]
    assert not Shipment.objects.exists()
    assert not RefusedOrder.objects.exists()
    balance = SettlementAccount.objects.get(pk=store.seller_id).balance
    assert balance == today.facts.charge
