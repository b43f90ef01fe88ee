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
from .rows import RowProblem

REPORT_HEADER = ("row", "order_number", "code", "message")
STORAGE_DIR = "shipment-imports"


def _parts_dir(shipment_import) -> str:
    return f"{STORAGE_DIR}/{shipment_import.seller_id}/{shipment_import.pk}-report-parts"


def report_part_write(shipment_import, offset: int, problems: list[RowProblem]) -> None:
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
                *(map(spreadsheet_safe, (problem.order_number, problem.code, problem.message))),
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
    output.write((",".join(REPORT_HEADER) + "\r\n").encode("utf-8"))
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


def shipment_import_template_csv() -> bytes:
    """The template: Chinese headers (the English names work too), one example row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.label for column in COLUMNS])
    writer.writerow(
        [
            "AE-8100000001",
            "Jane Doe",
            "+1 415 555 0100",
            "1 Market St",
            "San Francisco",
            "94105",
            "US",
            "500",
            "20",
            "15",
            "10",
            "T-shirt",
            "12.50",
            "华东",
        ]
    )
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")
