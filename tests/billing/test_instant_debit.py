"""Instant debit (实时扣款): charged in the creating transaction, refused when short,
refunded on cancel, a top-up's bank reference recorded once; switching mode."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from billing.exceptions import DuplicateReference, InvalidAmount, SameSettlementMode
from billing.models import LedgerEntry, SettlementAccount, SettlementMode, TopUp
from billing.services import (
    settlement_mode_switch,
    settlement_mode_switch_rule,
    shipment_charge_refund,
    shipment_charges_record,
)
from core.gate import gate
from onboarding.models import ApplicationStatus
from shipments.exceptions import OrderRefused
from shipments.models import RefusedOrder, Shipment
from shipments.services import shipment_cancel
from tests.billing.factories import instant_store, topup
from tests.shipments.factories import AUGUST, create_shipment

pytestmark = pytest.mark.django_db
SEPTEMBER = datetime.datetime(2026, 9, 10, 10, 0, tzinfo=datetime.UTC)


def balance_of(seller) -> Decimal:
    return SettlementAccount.objects.get(pk=seller.pk).balance


def test_a_shipment_is_charged_to_the_fen_from_the_balance():
    store = instant_store(balance="100.00")
    shipment = create_shipment(store)
    assert shipment.charge == Decimal("28.50")
    assert balance_of(store.seller) == Decimal("71.50")
    entry = LedgerEntry.objects.get(key=f"charge:shipment:{shipment.pk}")
    assert (entry.kind, entry.mode, entry.amount, entry.balance_after, entry.period) == (
        "charge",
        "instant",
        Decimal("-28.50"),
        Decimal("71.50"),
        None,
    )
    assert entry.shipment_id == shipment.pk and entry.at == AUGUST


def test_the_score_adjusted_price_is_charged():
    store = instant_store(balance="100.00", score="90.00")
    shipment = create_shipment(store)
    # 28.50 × (1 + 10 × 0.0015) = 28.9275 → 28.93
    assert shipment.charge == Decimal("28.93")
    assert balance_of(store.seller) == Decimal("71.07")


def test_a_balance_exactly_the_charge_is_enough_and_leaves_zero():
    store = instant_store(balance="28.50")
    create_shipment(store)
    assert balance_of(store.seller) == Decimal("0.00")


def test_too_little_balance_refuses_the_order_and_charges_nothing():
    store = instant_store(balance="28.49")
    with pytest.raises(OrderRefused) as refused:
        create_shipment(store, order_number="AE-SHORT-1")
    assert refused.value.code == "balance_insufficient"
    assert refused.value.evidence == {
        "balance": "28.49",
        "charge": "28.50",
        "shortfall": "0.01",
    }
    assert not Shipment.objects.filter(seller=store.seller).exists()
    assert not LedgerEntry.objects.filter(seller=store.seller, kind="charge").exists()
    assert balance_of(store.seller) == Decimal("28.49")
    refusal = RefusedOrder.objects.get(seller=store.seller)
    assert (refusal.order_number, refusal.check_code) == ("AE-SHORT-1", "balance_insufficient")


def test_the_balance_runs_out_after_three_shipments():
    store = instant_store(balance="90.00")
    for _ in range(3):
        create_shipment(store)
    with pytest.raises(OrderRefused) as refused:
        create_shipment(store)
    assert refused.value.code == "balance_insufficient"
    assert balance_of(store.seller) == Decimal("4.50")
    assert Shipment.objects.filter(seller=store.seller).count() == 3


def test_a_seller_without_any_topup_is_refused():
    store = instant_store(balance="0")
    with pytest.raises(OrderRefused) as refused:
        create_shipment(store)
    assert refused.value.evidence["balance"] == "0.00"
    assert not SettlementAccount.objects.filter(pk=store.seller.pk).exists()


def test_trial_shipments_are_free_and_record_nothing():
    store = instant_store(balance="0", status=ApplicationStatus.TRIAL)
    shipment = create_shipment(store)
    assert shipment.charge == Decimal("0.00")
    assert not LedgerEntry.objects.filter(seller=store.seller).exists()


def test_recording_the_same_shipment_twice_charges_once():
    store = instant_store(balance="100.00")
    shipment = create_shipment(store)
    ctx = gate.context(seller=store.seller, store=store, parcel=None, at=AUGUST)
    assert shipment_charges_record(seller=ctx.seller, shipments=[shipment]) == []
    assert LedgerEntry.objects.filter(kind="charge", seller=store.seller).count() == 1
    assert balance_of(store.seller) == Decimal("71.50")


def test_a_bulk_charge_is_one_lock_one_insert_one_update(
    monkeypatch, django_assert_max_num_queries
):
    store = instant_store(balance="1000.00")
    monkeypatch.setattr(
        "shipments.services.creation.shipment_charges_record", lambda **kwargs: None
    )
    shipments = [create_shipment(store) for _ in range(20)]
    monkeypatch.undo()
    ctx = gate.context(seller=store.seller, store=store, parcel=None, at=AUGUST)
    with django_assert_max_num_queries(4):  # lock, keys present, insert, balance
        entries = shipment_charges_record(seller=ctx.seller, shipments=shipments)
    assert len(entries) == 20
    assert balance_of(store.seller) == Decimal("430.00")  # 1000 − 20 × 28.50
    assert entries[-1].balance_after == Decimal("430.00")


def test_cancelling_before_pickup_refunds_the_balance_once(ops_user):
    store = instant_store(balance="100.00")
    shipment = create_shipment(store)
    shipment_cancel(shipment=shipment, user=store.seller.users.first() or ops_user)
    assert balance_of(store.seller) == Decimal("100.00")
    refund = LedgerEntry.objects.get(key=f"refund:shipment:{shipment.pk}")
    assert (refund.kind, refund.amount, refund.balance_after) == (
        "refund",
        Decimal("28.50"),
        Decimal("100.00"),
    )
    assert shipment_charge_refund(shipment=shipment, user=None) is None
    assert balance_of(store.seller) == Decimal("100.00")


def test_a_trial_shipment_has_nothing_to_refund():
    store = instant_store(balance="0", status=ApplicationStatus.TRIAL)
    shipment = create_shipment(store)
    assert shipment_charge_refund(shipment=shipment, user=None) is None
    assert not LedgerEntry.objects.exists()


def test_the_same_bank_reference_twice_is_refused():
    store = instant_store(balance="0")
    topup(store.seller, "50.00", reference="ICBC-7788")
    with pytest.raises(DuplicateReference) as refused:
        topup(store.seller, "50.00", reference=" ICBC-7788 ")
    assert "ICBC-7788" in str(refused.value.message)
    assert TopUp.objects.count() == 1
    assert balance_of(store.seller) == Decimal("50.00")


@pytest.mark.parametrize("amount", ["0", "-5", "1.005", "abc", "NaN"])
def test_a_topup_amount_must_be_positive_fen(amount):
    store = instant_store(balance="0")
    with pytest.raises(InvalidAmount):
        topup(store.seller, amount)
    assert not TopUp.objects.exists()


def test_switching_to_monthly_takes_effect_for_the_next_shipment_and_keeps_the_balance():
    store = instant_store(balance="100.00")
    create_shipment(store)
    change = settlement_mode_switch(
        seller=store.seller, mode=SettlementMode.MONTHLY, reason="asked by the seller"
    )
    assert (change.from_mode, change.to_mode) == ("instant", "monthly")
    second = create_shipment(store, at=SEPTEMBER)
    entry = LedgerEntry.objects.get(key=f"charge:shipment:{second.pk}")
    assert (entry.mode, entry.period, entry.balance_after) == (
        "monthly",
        datetime.date(2026, 9, 1),
        None,
    )
    assert balance_of(store.seller) == Decimal("71.50")  # kept, usable after switching back
    settlement_mode_switch(seller=store.seller, mode=SettlementMode.INSTANT)
    create_shipment(store, at=SEPTEMBER)
    assert balance_of(store.seller) == Decimal("43.00")


def test_switching_to_the_same_mode_is_refused():
    store = instant_store(balance="1.00")
    with pytest.raises(SameSettlementMode):
        settlement_mode_switch(seller=store.seller, mode=SettlementMode.INSTANT)


def test_the_switch_rule_is_a_sentence_for_the_ui():
    with translation.override("en"):
        to_instant = settlement_mode_switch_rule(to_mode=SettlementMode.INSTANT)
        to_monthly = settlement_mode_switch_rule(to_mode=SettlementMode.MONTHLY)
    assert "immediately" in to_instant and "accrued" in to_instant
    assert "immediately" in to_monthly and "balance" in to_monthly


def test_a_refund_goes_back_where_the_charge_was_taken_after_a_switch():
    store = instant_store(balance="100.00")
    shipment = create_shipment(store)
    settlement_mode_switch(seller=store.seller, mode=SettlementMode.MONTHLY)
    refund = shipment_charge_refund(shipment=shipment, user=None)
    assert refund.mode == "instant"
    assert balance_of(store.seller) == Decimal("100.00")
