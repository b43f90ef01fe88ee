"""Files of orders for the bulk-import tests: CSV in any encoding, XLSX, and an import with
an error report for the isolation sweep."""

import csv
import io

from openpyxl import Workbook

from shipments.models import ImportStatus
from shipments.services.imports import (
    shipment_import_confirm,
    shipment_import_create,
    shipment_import_preview,
    shipment_import_run,
)
from tests.shipments.factories import (
    AUGUST,
    EU,
    MARKETPLACE_IOSS,
    MARKETPLACE_UK_VAT,
    ORDER_VALUES,
    store_ready,
)

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
    "description",
    "unit_value",
    "origin",
    "state",
    "currency",
    "hs_code",
    "sku",
    "ioss_number",
    "uk_vat_number",
]
# The item columns too: quantity and weight per item.
ITEM_HEADER = [*HEADER, "quantity", "unit_weight_g"]
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
    "单价",
    "发货地",
    "州/省",
    "币种",
    "海关编码",
    "SKU",
    "IOSS",
    "英国VAT",
]


def order(order_number: str, **overrides) -> dict:
    """A row of an order file (the origin left to the store's default). A destination
    other than the US has no state; a UK or EU one carries the marketplace's number."""
    country = overrides.get("country", "US")
    defaults = {}
    if country not in ("US", "美国"):
        defaults["state"] = ""
    if country in ("GB", "英国"):
        defaults["uk_vat_number"] = MARKETPLACE_UK_VAT
    if country in EU or country in ("德国", "法国"):
        defaults["ioss_number"] = MARKETPLACE_IOSS
    return {"order_number": order_number, **ORDER_VALUES, "origin": "", **defaults, **overrides}


def csv_bytes(rows, *, header=HEADER, encoding="utf-8", delimiter=",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        names = header if header in (HEADER, ITEM_HEADER) else HEADER[: len(header)]
        writer.writerow([row.get(name, "") for name in names])
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
            if typed and name in ("weight_g", "unit_value", "length_cm") and value:
                value = float(value) if "." in value else int(value)
            cells.append(value if value != "" else None)
        sheet.append(cells)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def send(shipment_import, *, at=AUGUST, **kwargs):
    """What the worker and the seller do with an uploaded file: the preview, the seller's
    confirmation, the run."""
    if shipment_import.status == ImportStatus.PREVIEWING:
        previewed = shipment_import_preview(import_id=shipment_import.pk, at=at)
        if previewed is not None and previewed.status == ImportStatus.PREVIEWED:
            shipment_import_confirm(shipment_import=previewed)
    return shipment_import_run(import_id=shipment_import.pk, at=at, **kwargs)


def import_with_report(owner) -> dict:
    """For the isolation sweep: a finished import of ``owner``'s seller with a report."""
    store_ready(seller=owner.seller)
    data = csv_bytes([order("ISO-1"), order("ISO-2", weight_g="0")])
    shipment_import = shipment_import_create(
        seller=owner.seller, user=owner, name="orders.csv", data=data
    )
    send(shipment_import)
    return {"pk": shipment_import.pk}


def xlsx_bomb(*, first_rows: str = "", second_row: str = "", shared_strings=()) -> bytes:
    """A hand-made workbook: the template's header in row 1 (unless ``first_rows`` replaces
    it) followed by ``second_row``, the XML given as it is: the attacks of issue 18."""
    import zipfile
    from xml.sax.saxutils import escape

    header = first_rows or (
        '<row r="1">'
        + "".join(f'<c t="inlineStr"><is><t>{escape(name)}</t></is></c>' for name in HEADER)
        + "</row>"
    )
    if first_rows and not shared_strings:
        header += (
            "<row>"
            + "".join(f'<c t="inlineStr"><is><t>{escape(name)}</t></is></c>' for name in HEADER)
            + "</row>"
        )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"/>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        if shared_strings:
            archive.writestr(
                "xl/sharedStrings.xml",
                f'<sst xmlns="{main}">'
                + "".join(f"<si><t>{escape(text)}</t></si>" for text in shared_strings)
                + "</sst>",
            )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{main}"><sheetData>{header}{second_row}</sheetData></worksheet>',
        )
    return buffer.getvalue()
