"""Files of orders for the bulk-import tests: CSV in any encoding, XLSX, and an import with
an error report for the isolation sweep."""

import csv
import io

from openpyxl import Workbook

from shipments.services.imports import shipment_import_create, shipment_import_run
from tests.shipments.factories import AUGUST, ORDER_VALUES, store_ready

HEADER = [
    "order_number",
    "recipient_name",
    "recipient_phone",
    "address",
    "city",
    "postcode",
    "country",
    "weight_g",
    "length_cm",
    "width_cm",
    "height_cm",
    "contents",
    "declared_value",
    "origin",
]
CHINESE_HEADER = [
    "订单号",
    "收件人",
    "电话",
    "地址",
    "城市",
    "邮编",
    "国家",
    "重量（克）",
    "长",
    "宽",
    "高",
    "品名",
    "申报价值",
    "发货地",
]


def order(order_number: str, **overrides) -> dict:
    """A row of an order file (the origin left to the store's default)."""
    return {"order_number": order_number, **ORDER_VALUES, "origin": "", **overrides}


def csv_bytes(rows, *, header=HEADER, encoding="utf-8", delimiter=",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in HEADER[: len(header)]])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, *, header=HEADER, typed=True) -> bytes:
    """An Excel workbook; with ``typed`` numbers are stored as numbers, as Excel does."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        cells = []
        for name in HEADER[: len(header)]:
            value = row.get(name, "")
            if typed and name in ("weight_g", "declared_value", "length_cm") and value:
                value = float(value) if "." in value else int(value)
            cells.append(value if value != "" else None)
        sheet.append(cells)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def import_with_report(owner) -> dict:
    """For the isolation sweep: a finished import of ``owner``'s seller with a report."""
    store_ready(seller=owner.seller)
    data = csv_bytes([order("ISO-1"), order("ISO-2", weight_g="0")])
    shipment_import = shipment_import_create(
        seller=owner.seller, user=owner, name="orders.csv", data=data
    )
    shipment_import_run(import_id=shipment_import.pk, at=AUGUST)
    return {"pk": shipment_import.pk}
