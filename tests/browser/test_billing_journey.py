"""A monthly seller's month closes and finance exports it, in a real browser.

The seller's October shipments are built in the database through the shipment service (a
month cannot pass in a test); ``close_month 2026-10`` issues the statement as operations
would by hand; a finance user downloads the statement's PDF from its admin page, and the
whole month as CSV through the export job that the real worker builds while the page
polls; the seller sees the statement on the billing page."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from billing.models import LedgerEntry, Statement
from core.timezones import SHANGHAI
from tests.accounts.factories import SellerUserFactory, StaffUserFactory
from tests.shipments.factories import create_shipment, store_ready

from . import steps

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
OCTOBER = datetime.datetime(2026, 10, 12, 10, 0, tzinfo=SHANGHAI)
EXPORT_TIMEOUT_MS = 60_000


def test_a_month_closes_and_finance_exports_the_statement(portal, new_page, screenshot):
    owner = SellerUserFactory(email="owner@monthly-journey.cn")
    store = store_ready(seller=owner.seller, score="100.00")
    for n in range(3):  # 华东 → US West, 500 g, score 100, October (no peak): ¥28.50 each
        create_shipment(
            store,
            order_number=f"AE-OCT-{n:04d}",
            at=OCTOBER + datetime.timedelta(days=n),
            user=owner,
        )
    assert LedgerEntry.objects.filter(seller=owner.seller, kind="charge").count() == 3
    finance = StaffUserFactory(groups=["Finance"], email="finance@jingluo-journey.cn")

    out = io.StringIO()
    call_command("close_month", "2026-10", stdout=out)
    statement = Statement.objects.get(seller=owner.seller)
    assert out.getvalue().startswith("2026-10: 1 statement(s) issued")
    assert (statement.period, statement.line_count, statement.total) == (
        datetime.date(2026, 10, 1),
        3,
        Decimal("85.50"),
    )
    assert statement.due_date == datetime.date(2026, 11, 15)

    # Finance: the statement in the admin, its PDF…
    admin = new_page()
    steps.admin_log_in(admin, portal, finance.email)
    admin.goto(f"{portal}/admin/billing/statement/")
    assert admin.locator("#result_list tbody tr").count() == 1
    screenshot(admin, "admin-statements")
    with admin.expect_navigation():
        admin.click(f"#result_list a:text-is('{statement.number}')")
    screenshot(admin, "admin-statement")
    name, pdf = steps.admin_download(admin, "a[href$='/export/pdf/']")
    assert name.endswith(".pdf")
    assert pdf.startswith(b"%PDF-")

    # …and the whole month as CSV, built by the worker while the page polls.
    admin.goto(f"{portal}/admin/billing/exportjob/add/")
    admin.fill("#id_period", "2026-10")
    admin.select_option("#id_format", "csv")
    with admin.expect_navigation():
        admin.click("#export-start input[type=submit]")
    admin.wait_for_selector("#export-download:not([hidden])", timeout=EXPORT_TIMEOUT_MS)
    screenshot(admin, "admin-export")
    name, data = steps.admin_download(admin, "#export-download a")
    assert name.endswith(".csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    lines = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [
        (line["对账单号 Statement"], line["订单号 Order no."], line["金额 Amount"])
        for line in lines
    ] == [(statement.number, f"AE-OCT-{n:04d}", "28.50") for n in range(3)]

    # The seller sees the statement, due on the 15th.
    seller = new_page()
    steps.log_in(seller, portal, owner.email)
    seller.goto(f"{portal}/billing/")
    row = steps.text_of(seller, f"#statement-{statement.pk}")
    assert statement.number in row
    assert "2026-11-15" in row
    assert "¥85.50" in row
    screenshot(seller, "billing-statement")
