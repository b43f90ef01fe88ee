"""Stores that the order gate refuses for one cause, or several at once, and the helper that
has ``shipment_create`` refuse an order and then asks the tool about its number alone."""

import datetime
from decimal import Decimal

import pytest

from core.gate import gate
from diagnostics.services import order_diagnose
from onboarding.models import ApplicationStatus
from shipments.exceptions import OrderRefused
from tests.onboarding.factories import ApplicationFactory
from tests.platforms.factories import StoreMetricsSnapshotFactory
from tests.shipments.factories import AUGUST, create_shipment, store_ready
from tests.stores.factories import store_for_application

AT = AUGUST  # every order and every diagnosis of a scenario happens at this moment
S = ApplicationStatus
EXPIRING = (AT + datetime.timedelta(days=30)).date()  # less than 90 days ahead


def billing_registered() -> bool:
    return "statement_overdue" in gate.codes() and "balance_insufficient" in gate.codes()


needs_billing = pytest.mark.skipif(
    not billing_registered(), reason="billing/gate_checks.py does not register its checks yet"
)


def frozen_store(**fields):
    """An active, bound store with serious logistics complaints (DSR frozen)."""
    application = ApplicationFactory(status=fields.pop("status", S.ACTIVE), **fields)
    StoreMetricsSnapshotFactory(
        platform=application.platform, store_id=application.store_id, serious_complaints_30d=2
    )
    return store_for_application(application)


def used_trial(**fields):
    store = store_ready(status=S.TRIAL, **fields)
    for _ in range(3):
        create_shipment(store, at=AT)
    return store


def overdue_store(**fields):
    """A monthly seller whose August statement was due on 15 September and is unpaid; the
    scenario's orders are placed on 20 September."""
    from billing.services import statements_close_month
    from tests.billing.factories import monthly_store

    store = monthly_store(**fields)
    create_shipment(store, at=AT)
    statements_close_month(
        period=datetime.date(2026, 8, 1),
        at=datetime.datetime(2026, 9, 1, 1, 0, tzinfo=datetime.UTC),
    )
    return store


OVERDUE_AT = datetime.datetime(2026, 9, 20, 2, 0, tzinfo=datetime.UTC)


def refuse_then_diagnose(store, *, order_number: str, at=AT, **parcel) -> tuple[str, object]:
    """``shipment_create`` refuses the order; the tool is then asked by its number alone.
    Returns the code that refused it and the diagnosis."""
    with pytest.raises(OrderRefused) as refused:
        create_shipment(store, order_number=order_number, at=at, **parcel)
    diagnosis = order_diagnose(seller=store.seller, order_number=order_number, at=at)
    return refused.value.code, diagnosis


def money(value: str) -> Decimal:
    return Decimal(value)
