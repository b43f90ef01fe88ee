"""Issue 13, items 12, 13 and 7 (billing): finance closes a month from the admin through
the service ``close_month`` uses (confirmed, idempotent, a month not over refused with a
message); the statement PDF shows paid and outstanding; exports name the kind of each line;
a top-up or payment posted twice at the same moment gets a message, never a 500; sellers are
told of statements issued, due soon and overdue, and of a balance under their threshold."""

import datetime
import io
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from billing.models import LedgerEntry, Payment, Statement, TopUp
from billing.services import payment_record, statement_export, statements_close_month
from billing.services.statements import statements_remind
from core.timezones import SHANGHAI, today_shanghai
from notifications.models import Notification
from tests.accounts.factories import SellerUserFactory, StaffUserFactory
from tests.billing.factories import instant_store, monthly_store, topup
from tests.shipments.factories import create_shipment

pytestmark = pytest.mark.django_db

CLOSE = reverse("admin:billing_statement_close_month")


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def finance(client, finance_user):
    client.force_login(finance_user)
    return client


def august_charges(count=2):
    stores = [monthly_store() for _ in range(count)]
    for store in stores:
        create_shipment(store, at=at(2026, 8, 5))
    return stores


# --- item 12: closing a month from the admin ---------------------------------------------


def test_finance_closes_a_month_after_confirming_how_many_statements_it_issues(finance):
    august_charges(2)

    form = finance.get(CLOSE)
    preview = finance.post(CLOSE, {"period": "2026-08"})
    done = finance.post(CLOSE, {"period": "2026-08", "confirm": "True"}, follow=True)

    assert form.status_code == 200
    assert (
        form.context["form"]["period"].value()
        == f"{today_shanghai().replace(day=1) - datetime.timedelta(days=1):%Y-%m}"
    )
    assert Statement.objects.count() == 2  # after the confirmation only
    assert 'class="close-month-preview" data-count="2"' in preview.content.decode()
    assert (
        done.redirect_chain[-1][0]
        == reverse("admin:billing_statement_changelist") + "?period=2026-08-01"
    )
    numbers = sorted(Statement.objects.values_list("number", flat=True))
    assert numbers == ["JL202608-00001", "JL202608-00002"]
    (message,) = [str(m) for m in done.context["messages"]]
    assert "JL202608-00001" in message and "JL202608-00002" in message


def test_closing_again_issues_nothing_and_says_so(finance):
    august_charges(1)
    statements_close_month(period=datetime.date(2026, 8, 1))  # as the command or beat did

    preview = finance.post(CLOSE, {"period": "2026-08"})
    done = finance.post(CLOSE, {"period": "2026-08", "confirm": "True"}, follow=True)

    assert 'data-count="0"' in preview.content.decode()
    assert Statement.objects.count() == 1
    assert "2026-08" in next(str(m) for m in done.context["messages"])


@pytest.mark.parametrize("when", ["this", "next", "far"])
def test_a_month_not_over_is_refused_with_a_message_and_nothing_issued(finance, when):
    today = today_shanghai()
    period = {
        "this": today,
        "next": (today.replace(day=28) + datetime.timedelta(days=7)),
        "far": datetime.date(2099, 12, 1),
    }[when]
    create_shipment(monthly_store())

    for data in ({"period": f"{period:%Y-%m}"}, {"period": f"{period:%Y-%m}", "confirm": "True"}):
        response = finance.post(CLOSE, data)
        assert response.status_code == 200
        assert response.context["form"].errors["period"]
    assert Statement.objects.count() == 0


@pytest.mark.parametrize("period", ["2026-13", "abc", "", "1999-12", "10000-01", "2026-8-1"])
def test_a_bad_period_is_a_form_error(finance, period):
    response = finance.post(CLOSE, {"period": period, "confirm": "True"})

    assert response.status_code == 200
    assert response.context["form"].errors["period"]
    assert Statement.objects.count() == 0


def test_operations_may_not_close_a_month(client, ops_user):
    client.force_login(ops_user)
    august_charges(1)

    assert client.get(CLOSE).status_code == 403
    assert client.post(CLOSE, {"period": "2026-08", "confirm": "True"}).status_code == 403
    assert Statement.objects.count() == 0
    changelist = client.get(reverse("admin:billing_statement_changelist")).content.decode()
    assert 'id="close-month-link"' not in changelist


def test_finance_finds_the_action_on_the_statements_list(finance):
    html = finance.get(reverse("admin:billing_statement_changelist")).content.decode()

    assert f'href="{CLOSE}" id="close-month-link"' in html


def test_the_export_form_says_it_exports_a_period(finance):
    html = finance.get(reverse("admin:billing_exportjob_add")).content.decode()

    assert "账期" in html  # "Period", not "Month"
    assert "下月 1 日" in html  # statements of a period are issued on the 1st of the next month


def test_the_statement_pdf_shows_paid_and_outstanding():
    august_charges(1)
    statements_close_month(period=datetime.date(2026, 8, 1))
    statement = Statement.objects.get()
    payment_record(
        statement=statement,
        amount=Decimal("10.00"),
        reference="PART-1",
        received_on=datetime.date(2026, 9, 3),
    )

    data = statement_export(statement=statement, fmt="pdf").file.read()

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    flat = text.replace(" ", "").replace("\n", "")
    assert statement.total == Decimal("28.50")
    assert "已付Paid" in flat and "10.00" in flat
    assert "未付Outstanding" in flat and "18.50" in flat


# --- item 13: the same money form posted twice at the same moment ------------------------


def _post_twice_at_once(url: str, data: dict, user) -> list[int]:
    barrier = threading.Barrier(2, timeout=20)
    statuses: list[int] = []

    def post():
        client = Client()
        client.force_login(user)
        try:
            barrier.wait()
            statuses.append(client.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_top_up_posted_twice_at_once_is_recorded_once_without_a_server_error():
    finance_user = StaffUserFactory(groups=["Finance"])
    seller = instant_store(balance="0").seller
    data = {
        "seller": seller.pk,
        "amount": "300.00",
        "reference": "ICBC-RACE-1",
        "received_on": "2026-11-20",
    }

    statuses = _post_twice_at_once(reverse("admin:billing_topup_add"), data, finance_user)

    assert sorted(statuses) in ([200, 302], [302, 302])  # a form error or a message
    assert 500 not in statuses
    assert TopUp.objects.filter(reference="ICBC-RACE-1").count() == 1
    assert LedgerEntry.objects.filter(key="topup:ICBC-RACE-1").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_payment_posted_twice_at_once_is_recorded_once_without_a_server_error():
    finance_user = StaffUserFactory(groups=["Finance"])
    august_charges(1)
    statements_close_month(period=datetime.date(2026, 8, 1))
    statement = Statement.objects.get()
    data = {
        "statement": statement.pk,
        "amount": "10.00",
        "reference": "CMB-RACE-1",
        "received_on": "2026-09-03",
    }

    statuses = _post_twice_at_once(reverse("admin:billing_payment_add"), data, finance_user)

    assert 500 not in statuses and len(statuses) == 2
    assert Payment.objects.filter(reference="CMB-RACE-1").count() == 1


# --- item 7: what billing tells sellers ---------------------------------------------------


def test_closing_a_month_tells_each_seller_of_its_statement_once():
    stores = august_charges(2)

    statements_close_month(period=datetime.date(2026, 8, 1))
    statements_close_month(period=datetime.date(2026, 8, 1))

    told = Notification.objects.filter(kind="statement_issued").order_by("seller_id")
    assert [n.seller_id for n in told] == sorted(s.seller_id for s in stores)
    first = Statement.objects.get(seller=stores[0].seller)
    notice = told.get(seller=stores[0].seller)
    assert notice.key == f"statement:{first.number}:issued"
    assert notice.params == {
        "number": first.number,
        "period": "2026-08",
        "total": "28.50",
        "due": "2026-09-15",
        "outstanding": "28.50",
    }
    assert notice.url == reverse("billing:statement", args=[first.pk])


def test_statements_due_within_three_days_and_overdue_ones_are_told_once_each():
    paid, due, late = august_charges(3)
    statements_close_month(period=datetime.date(2026, 8, 1))
    paid_statement = Statement.objects.get(seller=paid.seller)
    payment_record(
        statement=paid_statement,
        amount=paid_statement.total,
        reference="FULL-1",
        received_on=datetime.date(2026, 9, 2),
    )

    too_early = statements_remind(today=datetime.date(2026, 9, 11))
    soon = statements_remind(today=datetime.date(2026, 9, 12))
    again = statements_remind(today=datetime.date(2026, 9, 13))
    overdue = statements_remind(today=datetime.date(2026, 9, 16))
    overdue_again = statements_remind(today=datetime.date(2026, 9, 17))

    assert too_early == [] and again == [] and overdue_again == []
    assert len(soon) == 2 and len(overdue) == 2
    kinds = set(
        Notification.objects.exclude(kind="statement_issued").values_list("seller_id", "kind")
    )
    assert kinds == {
        (due.seller_id, "statement_due_soon"),
        (late.seller_id, "statement_due_soon"),
        (due.seller_id, "statement_overdue"),
        (late.seller_id, "statement_overdue"),
    }
    notice = Notification.objects.get(seller=due.seller, kind="statement_overdue")
    assert notice.params["outstanding"] == "28.50"


def test_the_owner_sets_a_balance_alert_and_is_told_once_per_fall_below_it(client):
    store = instant_store(balance="60.00")
    owner = SellerUserFactory(seller=store.seller)
    client.force_login(owner)

    client.post(reverse("billing:low_balance_alert"), {"threshold": "50.00"})
    create_shipment(store)  # 60.00 → 31.50: below 50
    create_shipment(store)  # 31.50 → 3.00: still below, nothing new
    topup(store.seller, "100.00")  # 103.00
    create_shipment(store)  # 103.00 → 74.50: above
    create_shipment(store)  # 74.50 → 46.00: below again

    told = list(Notification.objects.filter(kind="balance_low").order_by("id"))
    assert [n.params for n in told] == [
        {"balance": "31.50", "threshold": "50.00"},
        {"balance": "46.00", "threshold": "50.00"},
    ]
    assert told[0].url == reverse("billing:index")


def test_only_the_owner_sets_the_alert_and_a_bad_amount_changes_nothing(client):
    store = instant_store(balance="60.00")
    owner = SellerUserFactory(seller=store.seller)
    member = SellerUserFactory(seller=store.seller, seller_role="member")

    client.force_login(member)
    client.post(reverse("billing:low_balance_alert"), {"threshold": "50.00"})
    client.force_login(owner)
    for bad in ("-5", "0", "abc", "1e400", "12.345"):
        response = client.post(reverse("billing:low_balance_alert"), {"threshold": bad})
        assert response.status_code == 302

    store.seller.settlement_account.refresh_from_db()
    assert store.seller.settlement_account.low_balance_alert is None
    html = client.get(reverse("billing:index")).content.decode()
    assert 'id="low-balance-alert"' in html
