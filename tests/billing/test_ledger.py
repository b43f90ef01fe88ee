"""The ledger: idempotent, append-only, the balance never below zero, no other fees."""

import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from billing.exceptions import InsufficientBalance
from billing.models import EntryKind, LedgerEntry, SettlementAccount, SettlementMode
from billing.services import adjustment_record, ledger_entries_append
from tests.accounts.factories import SellerFactory
from tests.billing.factories import instant_store, topup

pytestmark = pytest.mark.django_db


def charge(key: str, amount: str) -> LedgerEntry:
    return LedgerEntry(
        kind=EntryKind.CHARGE, mode=SettlementMode.INSTANT, amount=-Decimal(amount), key=key
    )


def test_the_same_key_twice_is_one_entry_and_moves_the_balance_once():
    seller = instant_store(balance="100.00").seller
    first = ledger_entries_append(seller=seller, entries=[charge("charge:test:1", "28.50")])
    again = ledger_entries_append(seller=seller, entries=[charge("charge:test:1", "28.50")])
    assert len(first) == 1 and again == []
    assert LedgerEntry.objects.filter(key="charge:test:1").count() == 1
    assert SettlementAccount.objects.get(pk=seller.pk).balance == Decimal("71.50")
    assert first[0].balance_after == Decimal("71.50")


def test_a_batch_is_all_or_nothing_when_the_balance_runs_out():
    seller = instant_store(balance="50.00").seller
    with pytest.raises(InsufficientBalance):
        ledger_entries_append(
            seller=seller,
            entries=[charge("charge:b:1", "28.50"), charge("charge:b:2", "28.50")],
        )
    assert not LedgerEntry.objects.filter(key__startswith="charge:b:").exists()
    assert SettlementAccount.objects.get(pk=seller.pk).balance == Decimal("50.00")


def test_a_topup_entry_records_the_bank_reference():
    seller = SellerFactory()
    topup(seller, "200.00", reference="ICBC-0001")
    entry = LedgerEntry.objects.get(key="topup:ICBC-0001")
    assert (entry.kind, entry.amount, entry.balance_after) == (
        "topup",
        Decimal("200.00"),
        Decimal("200.00"),
    )


def test_ledger_rows_refuse_update_and_delete_in_the_database():
    seller = instant_store(balance="10.00").seller
    entry = LedgerEntry.objects.get(seller=seller)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1000.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE billing_ledgerentry SET amount = 1 WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.amount == Decimal("10.00")


def test_the_database_keeps_the_prepaid_balance_at_or_above_zero():
    seller = instant_store(balance="10.00").seller
    with pytest.raises(IntegrityError), transaction.atomic():
        SettlementAccount.objects.filter(pk=seller.pk).update(balance=Decimal("-0.01"))
    assert SettlementAccount.objects.get(pk=seller.pk).balance == Decimal("10.00")


def test_a_charge_must_be_negative_and_a_topup_positive():
    seller = SellerFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            seller=seller,
            kind=EntryKind.CHARGE,
            mode=SettlementMode.MONTHLY,
            amount=Decimal("5.00"),
            key="charge:wrong-sign",
            at="2026-08-01T00:00:00Z",
        )


def test_an_adjustment_is_a_new_entry_recorded_once():
    seller = instant_store(balance="10.00").seller
    adjustment_record(
        seller=seller,
        amount=Decimal("2.35"),
        key="goodwill-42",
        reason="Goodwill",
        mode=SettlementMode.INSTANT,
    )
    adjustment_record(
        seller=seller,
        amount=Decimal("2.35"),
        key="goodwill-42",
        reason="Goodwill",
        mode=SettlementMode.INSTANT,
    )
    assert LedgerEntry.objects.filter(key="adjustment:goodwill-42").count() == 1
    assert SettlementAccount.objects.get(pk=seller.pk).balance == Decimal("12.35")


def test_no_fee_but_the_shipment_charge_exists():
    """DOMAIN.md §3: no account-opening, integration or annual fee, anywhere."""
    assert set(EntryKind.values) == {"charge", "refund", "topup", "payment", "adjustment"}
    assert not [kind for kind in EntryKind.values if "fee" in kind]


def test_a_new_account_takes_the_mode_chosen_on_the_application():
    seller = instant_store(balance="1.00").seller
    assert SettlementAccount.objects.get(pk=seller.pk).mode == SettlementMode.INSTANT


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_debits_never_take_the_balance_below_zero():
    """Four threads × 5 debits of ¥10 against ¥95: exactly nine pass, ¥5.00 is left."""
    seller = instant_store(balance="95.00").seller
    outcomes: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(4)

    def debit(worker: int) -> None:
        barrier.wait()
        try:
            for n in range(5):
                try:
                    ledger_entries_append(
                        seller=seller, entries=[charge(f"charge:t{worker}:{n}", "10.00")]
                    )
                    result = "ok"
                except InsufficientBalance:
                    result = "short"
                with lock:
                    outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=debit, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 9 and outcomes.count("short") == 11
    assert SettlementAccount.objects.get(pk=seller.pk).balance == Decimal("5.00")
    balances = LedgerEntry.objects.filter(kind="charge").values_list("balance_after", flat=True)
    assert sorted(balances) == [Decimal(n * 10 + 5) for n in range(9)]
