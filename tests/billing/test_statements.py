"""Monthly statements (月结, T+15): one per seller and period, gapless numbers, due on the
15th day after the period, immutable; corrections land on a later statement."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from billing.exceptions import PeriodNotOver
from billing.models import LedgerEntry, Statement, StatementCounter, StatementLine
from billing.services import (
    adjustment_record,
    shipment_charge_refund,
    statement_due_date,
    statements_close_month,
)
from core.timezones import SHANGHAI
from tests.billing.factories import instant_store, monthly_store
from tests.shipments.factories import create_shipment

pytestmark = pytest.mark.django_db

OCTOBER = datetime.date(2026, 10, 1)
NOVEMBER = datetime.date(2026, 11, 1)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


AFTER_OCTOBER = at(datetime.date(2026, 11, 1), 0)
AFTER_NOVEMBER = at(datetime.date(2026, 12, 1), 0)


def test_a_month_closes_into_one_statement_with_its_lines():
    store = monthly_store()
    first = create_shipment(store, at=at(datetime.date(2026, 10, 3)))
    second = create_shipment(store, at=at(datetime.date(2026, 10, 31), 23))
    create_shipment(store, at=at(datetime.date(2026, 11, 2)))  # November's
    result = statements_close_month(period=OCTOBER, at=AFTER_OCTOBER)
    assert (result.statements, result.lines) == (1, 2)
    statement = Statement.objects.get(seller=store.seller)
    assert statement.number == "JL202610-00001"
    assert statement.due_date == datetime.date(2026, 11, 15)
    assert statement.company_name == store.seller.company_name
    assert (statement.charges_total, statement.refunds_total, statement.total) == (
        Decimal("57.00"),
        Decimal("0.00"),
        Decimal("57.00"),
    )
    lines = list(statement.lines.order_by("position"))
    assert [(line.position, line.shipment_id, line.amount) for line in lines] == [
        (1, first.pk, Decimal("28.50")),
        (2, second.pk, Decimal("28.50")),
    ]
    assert lines[0].description == f"{first.order_number} · {first.tracking_number}"


def test_the_period_is_the_calendar_month_in_shanghai():
    """23:30 UTC on 31 October is 07:30 on 1 November in Shanghai: November's."""
    store = monthly_store()
    shipment = create_shipment(
        store, at=datetime.datetime(2026, 10, 31, 23, 30, tzinfo=datetime.UTC)
    )
    entry = LedgerEntry.objects.get(shipment=shipment)
    assert entry.period == NOVEMBER
    assert statements_close_month(period=OCTOBER, at=AFTER_OCTOBER).statements == 0


@pytest.mark.parametrize(
    ("period", "due"),
    [
        ("2026-10-01", "2026-11-15"),  # 31 days
        ("2026-11-01", "2026-12-15"),  # 30 days
        ("2026-12-01", "2027-01-15"),  # across the year
        ("2027-02-01", "2027-03-15"),  # 28 days
        ("2028-02-01", "2028-03-15"),  # 29 days (leap year)
        ("2026-01-01", "2026-02-15"),
    ],
)
def test_the_due_date_is_fifteen_days_after_the_periods_last_day(period, due):
    assert statement_due_date(datetime.date.fromisoformat(period)) == datetime.date.fromisoformat(
        due
    )


def test_closing_twice_issues_each_statement_once_and_numbers_stay_gapless():
    stores = [monthly_store() for _ in range(3)]
    for store in stores:
        create_shipment(store, at=at(datetime.date(2026, 10, 5)))
    first = statements_close_month(period=OCTOBER, at=AFTER_OCTOBER)
    again = statements_close_month(period=OCTOBER, at=AFTER_OCTOBER)
    assert (first.statements, again.statements) == (3, 0)
    numbers = sorted(Statement.objects.values_list("number", flat=True))
    assert numbers == ["JL202610-00001", "JL202610-00002", "JL202610-00003"]
    # A seller whose October charge commits after the close still gets the next number.
    late = monthly_store()
    create_shipment(late, at=at(datetime.date(2026, 10, 31), 23))
    assert statements_close_month(period=OCTOBER, at=AFTER_OCTOBER).statements == 1
    assert Statement.objects.get(seller=late.seller).number == "JL202610-00004"
    assert StatementCounter.objects.get(period=OCTOBER).last_number == 4
    # November starts again at 1.
    create_shipment(stores[0], at=at(datetime.date(2026, 11, 5)))
    statements_close_month(period=NOVEMBER, at=AFTER_NOVEMBER)
    assert Statement.objects.get(period=NOVEMBER).number == "JL202611-00001"


def test_an_entry_after_the_sellers_statement_lands_on_the_next_one():
    store = monthly_store()
    create_shipment(store, at=at(datetime.date(2026, 10, 5)))
    statements_close_month(period=OCTOBER, at=AFTER_OCTOBER)
    late = create_shipment(store, at=at(datetime.date(2026, 10, 31), 23))
    assert statements_close_month(period=OCTOBER, at=AFTER_OCTOBER).statements == 0
    statements_close_month(period=NOVEMBER, at=AFTER_NOVEMBER)
    november = Statement.objects.get(seller=store.seller, period=NOVEMBER)
    assert list(november.lines.values_list("shipment_id", flat=True)) == [late.pk]


def test_an_adjustment_for_a_closed_month_lands_on_the_next_statement():
    store = monthly_store()
    create_shipment(store, at=at(datetime.date(2026, 10, 5)))
    statements_close_month(period=OCTOBER, at=AFTER_OCTOBER)
    october = Statement.objects.get(seller=store.seller, period=OCTOBER)
    adjustment_record(
        seller=store.seller,
        amount=Decimal("5.25"),
        key="oct-overcharge-1",
        reason="October: weight re-measured",
        at=at(datetime.date(2026, 11, 3)),
    )
    create_shipment(store, at=at(datetime.date(2026, 11, 4)))
    statements_close_month(period=NOVEMBER, at=AFTER_NOVEMBER)
    november = Statement.objects.get(seller=store.seller, period=NOVEMBER)
    # November is in the peak season: 28.50 × 1.128 = 32.148 → 32.15.
    assert (november.charges_total, november.adjustments_total, november.total) == (
        Decimal("32.15"),
        Decimal("-5.25"),
        Decimal("26.90"),
    )
    assert [line.kind for line in november.lines.order_by("position")] == [
        "adjustment",
        "charge",
    ]
    october.refresh_from_db()
    assert (october.total, october.line_count) == (Decimal("28.50"), 1)


def test_a_refund_in_the_open_month_nets_on_the_same_statement():
    store = monthly_store()
    shipment = create_shipment(store, at=at(datetime.date(2026, 10, 5)))
    create_shipment(store, at=at(datetime.date(2026, 10, 6)))
    shipment_charge_refund(shipment=shipment, user=None, at=at(datetime.date(2026, 10, 7)))
    statements_close_month(period=OCTOBER, at=AFTER_OCTOBER)
    statement = Statement.objects.get(seller=store.seller)
    assert (statement.charges_total, statement.refunds_total, statement.total) == (
        Decimal("57.00"),
        Decimal("-28.50"),
        Decimal("28.50"),
    )
    assert statement.line_count == 3


def test_a_refund_after_the_close_is_a_credit_on_the_next_statement():
    store = monthly_store()
    shipment = create_shipment(store, at=at(datetime.date(2026, 10, 31), 20))
    statements_close_month(period=OCTOBER, at=AFTER_OCTOBER)
    shipment_charge_refund(shipment=shipment, user=None, at=at(datetime.date(2026, 11, 1), 9))
    statements_close_month(period=NOVEMBER, at=AFTER_NOVEMBER)
    november = Statement.objects.get(seller=store.seller, period=NOVEMBER)
    assert (november.refunds_total, november.total) == (Decimal("-28.50"), Decimal("-28.50"))


def test_instant_debit_sellers_get_no_statement():
    store = instant_store(balance="100.00")
    create_shipment(store, at=at(datetime.date(2026, 10, 5)))
    assert statements_close_month(period=OCTOBER, at=AFTER_OCTOBER).statements == 0
    assert not Statement.objects.exists()


def test_a_month_cannot_close_before_it_ends():
    with pytest.raises(PeriodNotOver):
        statements_close_month(period=OCTOBER, at=at(datetime.date(2026, 10, 31), 23))
    assert not StatementCounter.objects.exists()


def test_an_issued_statement_and_its_lines_refuse_update_and_delete():
    store = monthly_store()
    create_shipment(store, at=at(datetime.date(2026, 10, 5)))
    statements_close_month(period=OCTOBER, at=AFTER_OCTOBER)
    statement = Statement.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.filter(pk=statement.pk).update(total=Decimal("0.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.filter(pk=statement.pk).update(due_date=datetime.date(2027, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementLine.objects.filter(statement=statement).update(amount=Decimal("0.01"))
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementLine.objects.filter(statement=statement).delete()
    statement.refresh_from_db()
    assert (statement.total, statement.due_date) == (Decimal("28.50"), datetime.date(2026, 11, 15))
    assert StatementLine.objects.get().amount == Decimal("28.50")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_closers_at_once_issue_each_statement_exactly_once():
    for _ in range(5):
        create_shipment(monthly_store(), at=at(datetime.date(2026, 10, 5)))
    results = []
    barrier = threading.Barrier(2)

    def close() -> None:
        barrier.wait()
        try:
            results.append(statements_close_month(period=OCTOBER, at=AFTER_OCTOBER).statements)
        finally:
            connection.close()

    threads = [threading.Thread(target=close) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 5]
    assert sorted(Statement.objects.values_list("number", flat=True)) == [
        f"JL202610-{n:05d}" for n in range(1, 6)
    ]
    assert StatementLine.objects.count() == 5
