"""Payments of statements (full or partial), overdue after the due date, and the order
gate refusing an overdue seller's new orders until paid in full."""

import datetime
from decimal import Decimal

import pytest

from billing.exceptions import DuplicateReference, Overpayment, StatementSettled
from billing.models import LedgerEntry, Payment, Statement
from billing.selectors import StatementState, statements_for_seller, statements_overdue
from billing.services import payment_record, statements_close_month
from core.timezones import SHANGHAI
from shipments.exceptions import OrderRefused
from shipments.models import RefusedOrder, Shipment
from tests.billing.factories import monthly_store
from tests.shipments.factories import create_shipment

pytestmark = pytest.mark.django_db

OCTOBER = datetime.date(2026, 10, 1)
DUE = datetime.date(2026, 11, 15)


def at(year, month, day, hour=10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def statement():
    """A monthly seller's October statement of ¥57.00, due 2026-11-15."""
    store = monthly_store()
    create_shipment(store, at=at(2026, 10, 5))
    create_shipment(store, at=at(2026, 10, 6))
    statements_close_month(period=OCTOBER, at=at(2026, 11, 1, 0))
    statement = Statement.objects.get(seller=store.seller)
    statement.store = store
    return statement


def pay(statement, amount, reference):
    return payment_record(
        statement=statement,
        amount=amount,
        reference=reference,
        received_on=datetime.date(2026, 11, 20),
    )


def state_of(statement, today):
    return statements_for_seller(seller=statement.seller, today=today).get(pk=statement.pk)


def test_unpaid_until_the_due_date_then_overdue(statement):
    assert state_of(statement, DUE).state == StatementState.UNPAID
    overdue = state_of(statement, DUE + datetime.timedelta(days=1))
    assert (overdue.state, overdue.paid, overdue.outstanding) == (
        StatementState.OVERDUE,
        Decimal("0.00"),
        Decimal("57.00"),
    )


def test_an_order_on_the_due_date_passes_and_the_day_after_is_refused(statement):
    create_shipment(statement.store, at=at(2026, 11, 15, 23))
    with pytest.raises(OrderRefused) as refused:
        create_shipment(statement.store, order_number="AE-LATE-1", at=at(2026, 11, 16, 0))
    assert refused.value.code == "statement_overdue"
    assert refused.value.evidence == {
        "statement": "JL202610-00001",
        "due_date": "2026-11-15",
        "outstanding": "57.00",
    }
    assert not Shipment.objects.filter(order_number="AE-LATE-1").exists()
    assert RefusedOrder.objects.get(order_number="AE-LATE-1").check_code == "statement_overdue"
    assert not LedgerEntry.objects.filter(at__gte=at(2026, 11, 16, 0)).exists()


def test_a_partial_payment_keeps_it_overdue_and_paying_in_full_unblocks(statement):
    pay(statement, "50.00", "BOC-1")
    assert state_of(statement, datetime.date(2026, 11, 20)).state == StatementState.OVERDUE
    with pytest.raises(OrderRefused) as refused:
        create_shipment(statement.store, at=at(2026, 11, 20))
    assert refused.value.evidence["outstanding"] == "7.00"
    pay(statement, "7.00", "BOC-2")
    paid = state_of(statement, datetime.date(2026, 11, 20))
    assert (paid.state, paid.paid, paid.outstanding) == (
        StatementState.PAID,
        Decimal("57.00"),
        Decimal("0.00"),
    )
    shipment = create_shipment(statement.store, at=at(2026, 11, 20))
    assert shipment.pk is not None
    assert not statements_overdue(today=datetime.date(2026, 11, 20)).exists()


def test_a_payment_is_a_ledger_entry_and_leaves_the_statement_as_issued(statement):
    payment = pay(statement, "57.00", "BOC-FULL")
    entry = LedgerEntry.objects.get(key="payment:BOC-FULL")
    assert (entry.kind, entry.amount, entry.mode, entry.note) == (
        "payment",
        Decimal("57.00"),
        "monthly",
        "JL202610-00001",
    )
    assert payment.entry_id == entry.pk
    statement.refresh_from_db()
    assert statement.total == Decimal("57.00")


def test_the_same_reference_twice_is_refused(statement):
    pay(statement, "10.00", "BOC-9")
    with pytest.raises(DuplicateReference):
        pay(statement, "10.00", "BOC-9")
    assert Payment.objects.count() == 1


def test_more_than_what_is_due_is_refused(statement):
    pay(statement, "50.00", "BOC-A")
    with pytest.raises(Overpayment):
        pay(statement, "7.01", "BOC-B")
    pay(statement, "7.00", "BOC-C")
    with pytest.raises(StatementSettled):
        pay(statement, "0.01", "BOC-D")
    assert sum(Payment.objects.values_list("amount", flat=True)) == Decimal("57.00")
