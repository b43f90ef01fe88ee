"""Finance's console: statements by period and state, the overdue list, payments and
top-ups through the services; Operations records no money; Finance touches no onboarding."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import LedgerEntry, Payment, SettlementAccount, Statement, TopUp
from billing.services import payment_record, statements_close_month
from core.timezones import SHANGHAI
from tests.accounts.factories import SellerFactory
from tests.billing.factories import instant_store, monthly_store, topup
from tests.shipments.factories import create_shipment

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def finance(client, finance_user):
    client.force_login(finance_user)
    return client


@pytest.fixture
def ops(client, ops_user):
    client.force_login(ops_user)
    return client


def issue_statements(count: int, period=(2026, 8)) -> list[Statement]:
    for _ in range(count):
        create_shipment(monthly_store(), at=at(*period, 5))
    year, month = period
    statements_close_month(period=datetime.date(year, month, 1), at=at(year, month + 1, 1, 1))
    return list(Statement.objects.order_by("number"))


@pytest.mark.parametrize(
    "name",
    [
        "admin:billing_statement_changelist",
        "admin:billing_overduestatement_changelist",
        "admin:billing_payment_changelist",
        "admin:billing_topup_changelist",
        "admin:billing_ledgerentry_changelist",
        "admin:billing_settlementaccount_changelist",
        "admin:billing_statementline_changelist",
    ],
)
def test_finance_lists_have_a_query_budget_that_does_not_grow(
    finance, name, django_assert_max_num_queries
):
    statements = issue_statements(6)
    for n, statement in enumerate(statements[:3]):
        payment_record(
            statement=statement,
            amount="10.00",
            reference=f"P-{n}",
            received_on=datetime.date(2026, 9, 20),
        )
        topup(instant_store(balance="0").seller, "20.00")
    with django_assert_max_num_queries(14):
        response = finance.get(reverse(name))
    assert response.status_code == 200


def test_statements_filter_by_period_and_state(finance):
    statements = issue_statements(3)
    payment_record(
        statement=statements[0],
        amount=statements[0].total,
        reference="FULL-1",
        received_on=datetime.date(2026, 9, 1),
    )
    url = reverse("admin:billing_statement_changelist")
    paid = finance.get(url, {"state": "paid", "period": "2026-08-01"}).content.decode()
    overdue = finance.get(url, {"state": "overdue"}).content.decode()
    assert statements[0].number in paid and statements[1].number not in paid
    assert statements[0].number not in overdue
    assert statements[1].number in overdue and statements[2].number in overdue
    overdue_list = finance.get(reverse("admin:billing_overduestatement_changelist"))
    assert statements[1].number in overdue_list.content.decode()
    assert statements[0].number not in overdue_list.content.decode()


def test_finance_records_a_partial_payment_in_the_admin(finance, finance_user):
    (statement,) = issue_statements(1)
    response = finance.post(
        reverse("admin:billing_payment_add"),
        {
            "statement": statement.pk,
            "amount": "20.00",
            "reference": "CMB-20261120-1",
            "received_on": "2026-11-20",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    payment = Payment.objects.get()
    assert (payment.amount, payment.recorded_by, payment.seller_id) == (
        Decimal("20.00"),
        finance_user,
        statement.seller_id,
    )
    assert LedgerEntry.objects.filter(key="payment:CMB-20261120-1").exists()


def test_an_overpayment_is_refused_with_a_message(finance):
    (statement,) = issue_statements(1)
    response = finance.post(
        reverse("admin:billing_payment_add"),
        {
            "statement": statement.pk,
            "amount": "28.51",
            "reference": "CMB-X",
            "received_on": "2026-11-20",
        },
    )
    assert response.status_code == 200
    assert "28.50" in response.content.decode()
    assert not Payment.objects.exists()


def test_finance_records_a_topup_and_the_same_reference_twice_is_refused(finance):
    seller = instant_store(balance="0").seller
    data = {
        "seller": seller.pk,
        "amount": "300.00",
        "reference": "ICBC-2026-0001",
        "received_on": "2026-11-20",
    }
    assert finance.post(reverse("admin:billing_topup_add"), data).status_code == 302
    again = finance.post(reverse("admin:billing_topup_add"), {**data, "amount": "1.00"})
    assert again.status_code == 200
    assert "ICBC-2026-0001" in again.content.decode()
    assert TopUp.objects.count() == 1
    assert SettlementAccount.objects.get(pk=seller.pk).balance == Decimal("300.00")


def test_finance_switches_a_sellers_mode_with_an_audit_row(finance, finance_user):
    seller = instant_store(balance="10.00").seller
    response = finance.post(
        reverse("admin:billing_settlementaccount_change", args=[seller.pk]),
        {
            "mode": "monthly",
            "reason": "credit approved",
            "mode_changes-TOTAL_FORMS": "0",
            "mode_changes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    account = SettlementAccount.objects.get(pk=seller.pk)
    assert (account.mode, account.balance) == ("monthly", Decimal("10.00"))
    change = account.mode_changes.get()
    assert (change.from_mode, change.to_mode, change.actor, change.reason) == (
        "instant",
        "monthly",
        finance_user,
        "credit approved",
    )


def test_ledger_statements_and_payments_cannot_be_changed_or_deleted(finance):
    (statement,) = issue_statements(1)
    entry = LedgerEntry.objects.first()
    for name, pk in [
        ("billing_ledgerentry", entry.pk),
        ("billing_statement", statement.pk),
    ]:
        assert finance.get(reverse(f"admin:{name}_delete", args=[pk])).status_code == 403
        change = finance.post(reverse(f"admin:{name}_change", args=[pk]), {})
        assert change.status_code == 403
    assert finance.get(reverse("admin:billing_ledgerentry_add")).status_code == 403
    assert finance.get(reverse("admin:billing_statement_add")).status_code == 403
    changelist = finance.get(reverse("admin:billing_statement_changelist")).content.decode()
    assert "delete_selected" not in changelist


def test_operations_cannot_record_payments_or_topups(ops):
    (statement,) = issue_statements(1)
    seller = SellerFactory()
    assert ops.get(reverse("admin:billing_payment_add")).status_code == 403
    assert ops.get(reverse("admin:billing_topup_add")).status_code == 403
    refused = ops.post(
        reverse("admin:billing_payment_add"),
        {
            "statement": statement.pk,
            "amount": "28.50",
            "reference": "OPS-1",
            "received_on": "2026-11-20",
        },
    )
    assert refused.status_code == 403
    refused = ops.post(
        reverse("admin:billing_topup_add"),
        {"seller": seller.pk, "amount": "5", "reference": "OPS-2", "received_on": "2026-11-20"},
    )
    assert refused.status_code == 403
    assert not Payment.objects.exists() and not TopUp.objects.exists()
    # They may look at statements, not change a seller's settlement.
    assert ops.get(reverse("admin:billing_statement_changelist")).status_code == 200
    assert ops.get(reverse("admin:billing_payment_changelist")).status_code == 403


def test_finance_cannot_touch_onboarding(finance):
    assert finance.get(reverse("admin:onboarding_application_changelist")).status_code == 403
    assert finance.get(reverse("admin:onboarding_document_changelist")).status_code == 403
