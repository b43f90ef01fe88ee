"""The row-by-row error report of a file: one part per chunk, written just before the
chunk commits (a re-run overwrites the part of a chunk that did not commit), joined into
one CSV (UTF-8 with BOM, for Excel) when the file is done. Also the template to fill in.

The report repeats the rows' order numbers and their problems (a recipient's phone that
does not parse, an address…): personal information, encrypted at rest like the file it
comes from (``core.crypto``), parts and joined report alike."""

import codecs
import csv
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from core import crypto
from core.spreadsheets import spreadsheet_safe

from ...models import ShipmentImport
from .columns import COLUMNS
from .rows import EXAMPLE_ORDER_PREFIX, RowProblem

# The report's own columns, then the file's: fix the rows in place and upload the report
# again (its own columns are ignored on the way in, being no order column).
REPORT_HEADER = ("行号 row", "错误代码 error_code", "错误原因 error")
STORAGE_DIR = "shipment-imports"


def _parts_dir(shipment_import) -> str:
    return f"{STORAGE_DIR}/{shipment_import.seller_id}/{shipment_import.pk}-report-parts"


def report_part_write(
    shipment_import, offset: int, problems: list[RowProblem], cells: dict[int, list[str]]
) -> None:
    """The chunk's refused rows: each with its problem and its own cells as in the file."""
    name = f"{_parts_dir(shipment_import)}/{offset:09d}.csv"
    if default_storage.exists(name):
        default_storage.delete(name)  # a chunk that did not commit last time
    if not problems:
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for problem in problems:
        writer.writerow(
            [
                problem.row,
                *map(spreadsheet_safe, (problem.code, problem.message)),
                *map(spreadsheet_safe, cells.get(problem.row, ())),
            ]
        )
    default_storage.save(name, ContentFile(crypto.encrypt(buffer.getvalue().encode("utf-8"))))


def report_join(shipment_import) -> str:
    """Join the parts into one CSV (UTF-8 with BOM, for Excel); its storage name, or ""
    when no row was refused."""
    directory = _parts_dir(shipment_import)
    try:
        _dirs, files = default_storage.listdir(directory)
    except (FileNotFoundError, NotADirectoryError):
        files = []
    parts = sorted(name for name in files if name.endswith(".csv"))
    if not parts:
        return ""
    output = io.BytesIO()
    output.write(codecs.BOM_UTF8)
    header = io.StringIO()
    csv.writer(header).writerow([*REPORT_HEADER, *map(spreadsheet_safe, shipment_import.header)])
    output.write(header.getvalue().encode("utf-8"))
    last_row = 0
    for part in parts:
        with default_storage.open(f"{directory}/{part}", "rb") as stored:
            text = crypto.decrypt(stored.read()).decode("utf-8")
            for cells in csv.reader(io.StringIO(text, newline="")):
                row = int(cells[0])
                if row <= last_row:
                    continue  # a part of a chunk cut differently by an earlier run
                last_row = row
                buffer = io.StringIO()
                csv.writer(buffer).writerow(cells)
                output.write(buffer.getvalue().encode("utf-8"))
    name = f"{STORAGE_DIR}/{shipment_import.seller_id}/{shipment_import.pk}-report.csv"
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(crypto.encrypt(output.getvalue())))


def report_parts_delete(shipment_import) -> None:
    directory = _parts_dir(shipment_import)
    try:
        _dirs, files = default_storage.listdir(directory)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        default_storage.delete(f"{directory}/{name}")


def shipment_import_report_open(*, shipment_import: ShipmentImport) -> io.BytesIO | None:
    """The report, decrypted, ready to stream; ``None`` when there is none (or it cannot be
    read any more)."""
    if not shipment_import.report_name:
        return None
    try:
        with default_storage.open(shipment_import.report_name, "rb") as stored:
            return io.BytesIO(crypto.decrypt(stored.read()))
    except (FileNotFoundError, crypto.InvalidToken):
        return None


# The template's example row: its order number starts with ``EXAMPLE-``, which an import
# refuses (``example_row``): uploaded as it is, it can never become a charged shipment.
TEMPLATE_EXAMPLE = {
    "order_number": f"{EXAMPLE_ORDER_PREFIX}0001",
    "recipient_name": "Jane Doe",
    "recipient_phone": "+1 415 555 0100",
    "address": "1 Market St",
    "city": "San Francisco",
    "state": "CA",
    "postcode": "94105",
    "country": "US",
    "weight_g": "500",
    "length_cm": "20",
    "width_cm": "15",
    "height_cm": "10",
    "description": "Cotton T-shirt",
    "description_zh": "棉质T恤",
    "quantity": "2",
    "unit_value": "12.50",
    "currency": "USD",
    "unit_weight_g": "200",
    "hs_code": "610910",
    "origin_country": "CN",
    "sku": "TS-001",
    "origin": "华东",
}


def shipment_import_template_csv() -> bytes:
    """The template: Chinese headers (the English names work too), one example row, which
    an import refuses as such."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.label for column in COLUMNS])
    writer.writerow([spreadsheet_safe(TEMPLATE_EXAMPLE.get(column.name, "")) for column in COLUMNS])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")
