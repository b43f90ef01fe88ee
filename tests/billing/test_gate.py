"""Billing's checks in the order gate: where they sit, what they load, what they say."""

import datetime
from decimal import Decimal

import pytest

from billing.models import SettlementMode
from billing.services import statements_close_month
from core.gate import GATE_ORDER, CheckStatus, gate
from tests.billing.factories import instant_store, monthly_store
from tests.shipments.factories import AUGUST, create_shipment, parcel

pytestmark = pytest.mark.django_db


def outcome_of(ctx, code: str):
    return next(o for o in gate.run(ctx, trace=True).outcomes if o.code == code)


def test_the_checks_are_registered_at_their_positions():
    overdue = gate.get("statement_overdue")
    short = gate.get("balance_insufficient")
    assert (overdue.position, overdue.needs_parcel, overdue.fix_url_name) == (
        GATE_ORDER.index("statement_overdue") + 1,
        False,
        "billing:index",
    )
    assert (short.position, short.needs_parcel, short.fix_url_name) == (
        len(GATE_ORDER),  # the last: every other reason first, then whether it is paid for
        True,
        "billing:index",
    )
    codes = gate.codes()
    assert (
        codes.index("dsr_frozen")
        < codes.index("statement_overdue")
        < codes.index("trial_quota_used")
    )
    assert codes.index("trial_overweight") < codes.index("balance_insufficient")


def test_the_loader_reads_mode_balance_and_overdue_in_two_queries(django_assert_num_queries):
    from billing.gate_checks import load_settlement

    store = instant_store(balance="40.00")
    ctx = gate.context(seller=store.seller, store=store, parcel=None, at=AUGUST)
    with django_assert_num_queries(2):
        load_settlement(ctx)
    assert (ctx.facts.settlement_mode, ctx.facts.balance) == ("instant", Decimal("40.00"))
    assert ctx.facts.overdue_statement is None


def test_the_balance_check_passes_with_evidence_and_is_skipped_for_monthly():
    store = instant_store(balance="40.00")
    ctx = gate.context(seller=store.seller, store=store, parcel=parcel(), at=AUGUST)
    outcome = next(
        o for o in gate.run(ctx, trace=True).outcomes if o.code == "balance_insufficient"
    )
    assert (outcome.status, outcome.result.evidence) == (
        CheckStatus.PASS,
        {"balance": "40.00", "charge": "28.50"},
    )
    monthly = monthly_store()
    ctx = gate.context(seller=monthly.seller, store=monthly, parcel=parcel(), at=AUGUST)
    outcome = next(
        o for o in gate.run(ctx, trace=True).outcomes if o.code == "balance_insufficient"
    )
    assert outcome.status == CheckStatus.SKIPPED


def test_the_balance_check_is_skipped_without_a_parcel():
    store = instant_store(balance="0")
    ctx = gate.context(seller=store.seller, store=store, parcel=None, at=AUGUST)
    result = gate.run(ctx, trace=True)
    assert result.passed
    assert {o.code: o.status for o in result.outcomes}["balance_insufficient"] == "skipped"


def test_after_a_shipment_the_next_order_of_a_file_sees_the_new_balance():
    store = instant_store(balance="50.00")
    account = gate.context(seller=store.seller, store=store, parcel=None, at=AUGUST)
    first = gate.with_parcel(account, parcel=parcel(), order_number="AE-F1")
    assert gate.run(first).passed
    shipment = create_shipment(store, order_number="AE-F1")
    gate.created(account, shipment)
    assert account.facts.balance == Decimal("21.50")
    second = gate.with_parcel(account, parcel=parcel(), order_number="AE-F2")
    cause = gate.run(second).root_cause
    assert (cause.code, cause.result.evidence["shortfall"]) == ("balance_insufficient", "7.00")


def test_an_overdue_statement_blocks_an_instant_seller_too_after_a_switch():
    from billing.services import settlement_mode_switch, topup_record

    store = monthly_store()
    create_shipment(store, at=datetime.datetime(2026, 10, 5, 10, tzinfo=datetime.UTC))
    statements_close_month(
        period=datetime.date(2026, 10, 1),
        at=datetime.datetime(2026, 11, 1, 1, tzinfo=datetime.UTC),
    )
    settlement_mode_switch(seller=store.seller, mode=SettlementMode.INSTANT)
    topup_record(
        seller=store.seller, amount="100", reference="T-1", received_on=datetime.date(2026, 11, 1)
    )
    late = datetime.datetime(2026, 11, 20, 10, tzinfo=datetime.UTC)
    ctx = gate.context(seller=store.seller, store=store, parcel=parcel(), at=late)
    cause = gate.run(ctx).root_cause
    assert cause.code == "statement_overdue"
    assert str(cause.check.fix)
