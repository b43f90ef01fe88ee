"""Statement exports: one statement as CSV, XLSX and PDF; a whole month as CSV or XLSX
(in-process and through ``export_statements``); finance's downloads in the admin."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from billing.models import Statement
from billing.selectors_exports import HEADERS
from billing.services import adjustment_record, statements_close_month
from billing.services.exports import month_export_write, statement_export
from tests.pdfs import fonts
from tests.shipments.factories import AUGUST, create_shipment, store_ready

pytestmark = pytest.mark.django_db

PERIOD = datetime.date(2026, 8, 1)
CLOSED_AT = datetime.datetime(2026, 9, 1, 2, 0, tzinfo=datetime.UTC)  # 10:00 in Shanghai
INJECTION = "=cmd|' /C calc'!A0"
BOM = "\ufeff"


def monthly_statement(*, seller=None, company_name=None, orders=("AE-1", "AE-2"), score="95.00"):
    """A monthly seller's August: one shipment per order number (华东 → US West, 500 g:
    base 28.50; at score 95 the total is 28.50 × 1.0075 = 28.71375 → 28.71), closed."""
    fields = {"company_name": company_name} if company_name else {}
    store = store_ready(seller=seller, score=score, **fields)
    if company_name:
        store.seller.company_name = company_name
        store.seller.save(update_fields=["company_name"])
    shipments = [create_shipment(store, order_number=number, at=AUGUST) for number in orders]
    statements_close_month(period=PERIOD, at=CLOSED_AT)
    return Statement.objects.get(seller=store.seller, period=PERIOD), shipments


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM.encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8")[1:])))


def test_statement_csv_has_bom_header_lines_breakdown_and_totals():
    statement, shipments = monthly_statement(orders=("AE-100", INJECTION))

    export = statement_export(statement=statement, fmt="csv")
    rows = read_csv(export.file.read())

    assert export.filename == f"{statement.number}.csv"
    assert export.content_type == "text/csv; charset=utf-8"
    assert rows[0] == HEADERS
    assert rows[0][0] == "对账单号 Statement"
    first, second = rows[1], rows[2]
    assert first == [
        statement.number,
        "2026-08",
        str(statement.seller_id),
        statement.company_name,
        "2026-09-01",
        "2026-09-15",
        "1",
        "运费",  # the kind by its name, as in the PDF (issue 13, item 12)
        "2026-08-15 18:00:00",
        shipments[0].tracking_number,
        "AE-100",
        f"AE-100 · {shipments[0].tracking_number}",
        "28.50",
        "0.21",
        "0.00",
        "0.00",
        "28.71",
    ]
    # the order number typed by the seller is neutralised, in both columns it appears in
    assert second[10] == "'" + INJECTION
    assert second[11] == f"'{INJECTION} · {shipments[1].tracking_number}"
    assert second[16] == "28.71"
    assert rows[3:] == [
        [statement.number, *[""] * 10, "运费合计 Charges", "", "", "", "", "57.42"],
        [statement.number, *[""] * 10, "退款合计 Refunds", "", "", "", "", "0.00"],
        [statement.number, *[""] * 10, "调整合计 Adjustments", "", "", "", "", "0.00"],
        [statement.number, *[""] * 10, "应付总额 Total due", "", "", "", "", "57.42"],
    ]
    assert statement.total == Decimal("57.42")


def test_no_cell_of_a_csv_starts_like_a_formula_except_negative_amounts():
    statement, _ = monthly_statement(
        company_name="@SUM(1+1)贸易有限公司", orders=("+86-1", "-2", "@3", "=4", "5")
    )
    rows = read_csv(statement_export(statement=statement, fmt="csv").file.read())

    for row in rows[1:]:
        for cell in row[:12]:
            assert not cell.startswith(("=", "+", "-", "@")), cell
    assert rows[1][3] == "'@SUM(1+1)贸易有限公司"
    assert [row[10] for row in rows[1:6]] == ["'+86-1", "'-2", "'@3", "'=4", "5"]


def test_a_refund_and_an_adjustment_are_lines_without_breakdown_and_negative_amounts():
    store = store_ready(score="100.00")
    kept = create_shipment(store, order_number="AE-KEEP", at=AUGUST)
    adjustment_record(
        seller=store.seller,
        amount=Decimal("5.00"),
        key="adjustment:goodwill-aug",
        reason="Goodwill: late pickup",
        at=AUGUST + datetime.timedelta(hours=1),
    )
    statements_close_month(period=PERIOD, at=CLOSED_AT)
    statement = Statement.objects.get(seller=store.seller)

    rows = read_csv(statement_export(statement=statement, fmt="csv").file.read())

    assert [row[7] for row in rows[1:3]] == ["运费", "调整"]
    assert rows[1][12:] == ["28.50", "0.00", "0.00", "0.00", "28.50"]
    assert rows[2][9:] == ["", "", "Goodwill: late pickup", "", "", "", "", "-5.00"]
    assert rows[-1][-1] == "23.50"
    assert kept.charge == Decimal("28.50")


def test_statement_xlsx_writes_numbers_as_numbers_and_neutralised_text_as_text():
    statement, shipments = monthly_statement(orders=("AE-200", INJECTION))

    export = statement_export(statement=statement, fmt="xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(export.file.read()))
    sheet = workbook[statement.number]
    rows = list(sheet.iter_rows(values_only=True))

    assert export.filename == f"{statement.number}.xlsx"
    assert list(rows[0]) == HEADERS
    assert rows[1][9] == shipments[0].tracking_number
    assert [Decimal(str(v)).quantize(Decimal("0.01")) for v in rows[1][12:]] == [
        Decimal("28.50"),
        Decimal("0.21"),
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("28.71"),
    ]
    injected = sheet.cell(row=3, column=11)
    assert injected.value == "'" + INJECTION
    assert injected.data_type == "s"
    assert sheet.cell(row=2, column=17).number_format == "0.00"
    assert rows[-1][11] == "应付总额 Total due"
    assert Decimal(str(rows[-1][16])) == Decimal("57.42")
    # no formula anywhere in the file
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"


def test_statement_pdf_is_chinese_with_number_period_lines_total_due_date_and_how_to_pay():
    statement, shipments = monthly_statement(orders=("AE-300", INJECTION))

    export = statement_export(statement=statement, fmt="pdf")
    data = export.file.read()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)

    assert data.startswith(b"%PDF")
    assert export.content_type == "application/pdf"
    flat = text.replace(" ", "").replace("\n", "")
    for expected in (
        "对账单",
        statement.number,
        "2026年8月",
        "2026年9月15日",
        "2026-09-15",
        "57.42",
        "28.71",
        "0.21",
        shipments[0].tracking_number,
        INJECTION.replace(" ", ""),  # shown as typed: a PDF runs no formula
        "经络速通",
        "应付总额",
        "付款说明",
        statement.company_name.replace(" ", ""),
    ):
        assert expected in flat, expected
    assert fonts(data) and all(embedded for _, embedded in fonts(data)), fonts(data)


def test_month_csv_has_every_sellers_lines_in_statement_order():
    first, _ = monthly_statement(orders=("AE-A1", "AE-A2"))
    second, _ = monthly_statement(orders=("AE-B1",))
    out = io.BytesIO()
    seen = []

    rows_written = month_export_write(period=PERIOD, fmt="csv", out=out, progress=seen.append)

    rows = read_csv(out.getvalue())
    assert rows_written == 3
    assert seen[-1] == 3
    assert rows[0] == HEADERS
    assert [(row[0], row[6], row[10]) for row in rows[1:]] == sorted(
        [
            (first.number, "1", "AE-A1"),
            (first.number, "2", "AE-A2"),
            (second.number, "1", "AE-B1"),
        ]
    )


def test_a_month_without_statements_is_a_header_only():
    out = io.BytesIO()
    assert month_export_write(period=datetime.date(2026, 1, 1), fmt="csv", out=out) == 0
    assert out.getvalue() == (BOM + ",".join(HEADERS) + "\n").encode()


def test_the_command_writes_the_month_as_csv_and_xlsx(tmp_path):
    statement, _ = monthly_statement(orders=("AE-C1", INJECTION))
    stdout = io.StringIO()

    call_command(
        "export_statements",
        "2026-08",
        "--format",
        "csv",
        "--out",
        tmp_path / "m.csv",
        stdout=stdout,
    )
    call_command("export_statements", "2026-08", "--format", "xlsx", "--out", tmp_path / "m.xlsx")

    assert "2 lines of 2026-08" in stdout.getvalue()
    in_process = io.BytesIO()
    month_export_write(period=PERIOD, fmt="csv", out=in_process)
    assert (tmp_path / "m.csv").read_bytes() == in_process.getvalue()
    sheet = openpyxl.load_workbook(tmp_path / "m.xlsx")["2026-08"]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    assert rows[2][10] == "'" + INJECTION
    assert rows[1][0] == statement.number


def test_the_command_refuses_a_bad_month(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("export_statements", "2026-13", "--out", tmp_path / "x.csv")


# --- finance in the admin ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_finance_downloads_a_statement_from_its_admin_page(client, finance_user, fmt):
    statement, _ = monthly_statement()
    client.force_login(finance_user)

    page = client.get(reverse("admin:billing_statement_change", args=[statement.pk]))
    url = reverse("admin:billing_statement_export", args=[statement.pk, fmt])
    response = client.get(url)

    assert page.status_code == 200
    assert url in page.content.decode()
    assert response.status_code == 200
    assert f'filename="{statement.number}.{fmt}"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    magic = {"pdf": b"%PDF", "xlsx": b"PK\x03\x04", "csv": (BOM + "对账单号").encode()}[fmt]
    assert body.startswith(magic)


def test_operations_cannot_export_a_statement(client, ops_user):
    statement, _ = monthly_statement()
    client.force_login(ops_user)

    page = client.get(reverse("admin:billing_statement_change", args=[statement.pk]))
    response = client.get(reverse("admin:billing_statement_export", args=[statement.pk, "csv"]))

    assert page.status_code == 200  # operations may look at statements
    assert "/export/" not in page.content.decode()
    assert response.status_code == 403
