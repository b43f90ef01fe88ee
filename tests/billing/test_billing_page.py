"""The seller's billing page: mode and what switching means, balance, charges (keyset
pages), statements with their state and downloads (own only), top-up instructions."""

import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from accounts.models import User
from billing.models import LedgerEntry, SettlementAccount, SettlementMode, Statement
from billing.services import adjustment_record, statements_close_month, topup_record
from billing.services.wallet import settlement_mode_switch_rule
from onboarding.models import SettlementMode as ApplicationSettlementMode
from tests.accounts.factories import SellerUserFactory
from tests.billing.test_exports import BOM, monthly_statement
from tests.shipments.factories import AUGUST, create_shipment, store_ready

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(seller_client):
    seller_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return seller_client


def test_a_monthly_seller_sees_mode_switch_rule_statements_and_no_other_fees(english, seller_user):
    statement, shipments = monthly_statement(seller=seller_user.seller, orders=("AE-P1", "AE-P2"))

    html = english.get(reverse("billing:index")).content.decode()

    assert "Monthly statement, due at T+15" in html
    assert escape(settlement_mode_switch_rule(to_mode=SettlementMode.INSTANT)) in html
    assert "no account-opening, integration or annual fee" in html
    assert statement.number in html
    assert "¥57.42" in html
    assert "2026-09-15" in html
    assert "Overdue" in html  # due 2026-09-15, nothing paid
    assert f"Statement {statement.number} was due on 2026-09-15" in html
    for fmt in ("pdf", "xlsx", "csv"):
        assert reverse("billing:statement_download", args=[statement.pk, fmt]) in html
    assert shipments[0].tracking_number in html  # the charge in the ledger
    assert "¥-28.71" in html
    assert f"JL-S{seller_user.seller.pk:08d}" in html  # the transfer reference
    assert "招商银行" in html


def test_an_instant_seller_sees_the_balance_and_the_topup_in_the_ledger(client):
    store = store_ready(settlement_mode=ApplicationSettlementMode.INSTANT)
    user = SellerUserFactory(seller=store.seller, seller_role=User.SellerRole.OWNER)
    topup_record(
        seller=store.seller,
        amount="100.00",
        reference="BANK-REF-77",
        received_on=datetime.date(2026, 8, 14),
    )
    create_shipment(store, order_number="AE-I1", at=AUGUST)
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(reverse("billing:index")).content.decode()

    assert "Instant debit from a prepaid balance" in html
    assert '<strong id="balance">¥71.50</strong>' in html
    assert "BANK-REF-77" in html
    assert "¥100.00" in html
    assert "¥-28.50" in html
    assert escape(settlement_mode_switch_rule(to_mode=SettlementMode.MONTHLY)) in html
    assert "No statement yet" in html


def _seller_with_history(seller, *, months: int, adjustments: int):
    store = store_ready(seller=seller)
    for month in range(1, months + 1):  # an overdue statement would refuse later orders
        create_shipment(store, at=datetime.datetime(2026, month, 10, 2, 0, tzinfo=datetime.UTC))
    for month in range(1, months + 1):
        statements_close_month(
            period=datetime.date(2026, month, 1),
            at=datetime.datetime(2026, month + 1, 2, 2, 0, tzinfo=datetime.UTC),
        )
    for n in range(adjustments):
        adjustment_record(
            seller=seller, amount=Decimal("1.00"), key=f"adjustment:test-{n}", reason=f"n{n}"
        )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_with_1_or_many_rows(client, django_assert_max_num_queries):
    small = SellerUserFactory()
    big = SellerUserFactory()
    _seller_with_history(small.seller, months=1, adjustments=0)
    _seller_with_history(big.seller, months=6, adjustments=30)
    url = reverse("billing:index")

    client.force_login(small)
    few = _queries(client, url)
    client.force_login(big)
    with django_assert_max_num_queries(10):
        many = _queries(client, url)

    assert many == few
    assert Statement.objects.filter(seller=big.seller).count() == 6
    assert LedgerEntry.objects.filter(seller=big.seller).count() == 36


def test_charges_are_paged_by_keyset_newest_first(client, seller_user):
    _seller_with_history(seller_user.seller, months=0, adjustments=25)
    client.force_login(seller_user)

    first = client.get(reverse("billing:index"))
    cursor = first.context["next_cursor"]
    second = client.get(reverse("billing:index"), {"before": cursor})

    notes = [e.note for e in first.context["entries"]]
    assert notes == [f"n{n}" for n in range(24, 4, -1)]
    assert [e.note for e in second.context["entries"]] == ["n4", "n3", "n2", "n1", "n0"]
    assert second.context["next_cursor"] is None
    garbage = client.get(reverse("billing:index"), {"before": "not-a-cursor"})
    assert [e.note for e in garbage.context["entries"]] == notes


@pytest.mark.parametrize(
    ("fmt", "magic"),
    [("pdf", b"%PDF"), ("xlsx", b"PK\x03\x04"), ("csv", BOM.encode())],
)
def test_a_seller_downloads_their_own_statement(seller_client, seller_user, fmt, magic):
    statement, _ = monthly_statement(seller=seller_user.seller)

    response = seller_client.get(reverse("billing:statement_download", args=[statement.pk, fmt]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{statement.number}.{fmt}"'
    assert response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content)
    assert body.startswith(magic)
    if fmt == "pdf":
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
        assert statement.number in text


def test_another_sellers_statement_and_unknown_formats_are_404(
    seller_client, seller_user, other_seller_user
):
    mine, _ = monthly_statement(seller=seller_user.seller)
    theirs, _ = monthly_statement(seller=other_seller_user.seller, orders=("AE-T1",))

    assert seller_client.get(reverse("billing:statement", args=[theirs.pk])).status_code == 404
    for fmt in ("pdf", "xlsx", "csv"):
        url = reverse("billing:statement_download", args=[theirs.pk, fmt])
        assert seller_client.get(url).status_code == 404
    url = reverse("billing:statement_download", args=[mine.pk, "html"])
    assert seller_client.get(url).status_code == 404


def test_the_statement_page_shows_lines_with_their_breakdown(english, seller_user):
    statement, shipments = monthly_statement(seller=seller_user.seller, orders=("AE-D1",))

    html = english.get(reverse("billing:statement", args=[statement.pk])).content.decode()

    assert statement.number in html
    assert shipments[0].tracking_number in html
    assert "28.50" in html and "0.21" in html and "¥28.71" in html
    assert "2026-09-15" in html


def test_the_owner_switches_the_mode_after_confirming(seller_client, seller_user):
    store_ready(seller=seller_user.seller)
    url = reverse("billing:settlement_switch")

    refused = seller_client.post(url, {"mode": SettlementMode.INSTANT})
    assert refused.status_code == 302
    assert not SettlementAccount.objects.filter(
        seller=seller_user.seller, mode=SettlementMode.INSTANT
    ).exists()

    done = seller_client.post(url, {"mode": SettlementMode.INSTANT, "confirm": "on"})

    assert done.status_code == 302
    account = SettlementAccount.objects.get(seller=seller_user.seller)
    assert account.mode == SettlementMode.INSTANT
    assert account.mode_changes.get().actor == seller_user


def test_a_staff_member_of_the_seller_cannot_switch(client, seller_user):
    store_ready(seller=seller_user.seller)
    member = SellerUserFactory(seller=seller_user.seller, seller_role=User.SellerRole.MEMBER)
    client.force_login(member)

    client.post(reverse("billing:settlement_switch"), {"mode": "instant", "confirm": "on"})

    assert (
        not SettlementAccount.objects.filter(seller=seller_user.seller)
        .exclude(mode=SettlementMode.MONTHLY)
        .exists()
    )
    html = client.get(reverse("billing:index")).content.decode()
    assert reverse("billing:settlement_switch") not in html
