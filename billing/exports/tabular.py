"""CSV and XLSX writers for statement lines. Both stream: nothing holds the whole file.

- CSV: UTF-8 with a BOM (so that Excel shows the Chinese), one header line, then the rows
  of ``COPY (statement_lines_sql) TO STDOUT WITH (FORMAT csv)`` copied block by block from
  PostgreSQL into ``out``: the database formats the numbers (``28.50``), quotes and
  neutralises; Python only counts line feeds for progress.
- XLSX: openpyxl in ``write_only`` mode (rows go to a temporary file as they come) from a
  server-side cursor, 2,000 rows at a time; money as numbers with two decimals, text as
  text (already neutralised by the query). A sheet holds at most 1,048,576 rows: longer
  months continue on a second sheet with the same header.
"""

import csv
import io
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import IO

from django.db import connection

from ..selectors_exports import COLUMNS, HEADERS, statement_lines_sql

BOM = "\ufeff".encode()
PROGRESS_EVERY = 20_000
FETCH_SIZE = 2_000
XLSX_MAX_ROWS = 1_048_576
MONEY_FORMAT = "0.00"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Progress = Callable[[int], None]
_MONEY = [i for i, column in enumerate(COLUMNS) if column.kind == "money"]


def _csv_line(values: Iterable) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue().encode()


def csv_write(
    *,
    out: IO[bytes],
    by: str,
    key,
    extra_rows: Iterable[list] = (),
    progress: Progress | None = None,
) -> int:
    """Write the lines selected ``by`` period or statement (``key``) as CSV into ``out``
    (binary); ``extra_rows`` (already safe: labels and amounts) follow. Returns the number
    of lines."""
    out.write(BOM)
    out.write(_csv_line(HEADERS))
    rows = reported = 0
    sql = f"COPY ({statement_lines_sql(by=by)}) TO STDOUT WITH (FORMAT csv)"
    with connection.cursor() as cursor, cursor.cursor.copy(sql, [key]) as copy:
        for block in copy:
            out.write(block)
            # One line feed per row: the query turns line breaks inside text into spaces.
            rows += bytes(block).count(b"\n")
            if progress is not None and rows - reported >= PROGRESS_EVERY:
                progress(rows)
                reported = rows
    for row in extra_rows:
        out.write(_csv_line(row))
    if progress is not None:
        progress(rows)
    return rows


def _rows(*, by: str, key, neutralise: bool = True) -> Iterable[tuple]:
    """Rows from a server-side cursor, FETCH_SIZE at a time."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(statement_lines_sql(by=by, neutralise=neutralise), [key])
        while batch := cursor.fetchmany(FETCH_SIZE):
            yield from batch


def statement_rows(*, statement_id: int, neutralise: bool) -> list[tuple]:
    """The lines of one statement, for the PDF (not neutralised: nothing there is a formula)."""
    return list(_rows(by="statement", key=statement_id, neutralise=neutralise))


def xlsx_write(
    *,
    out: IO[bytes],
    by: str,
    key,
    title: str,
    extra_rows: Iterable[list] = (),
    progress: Progress | None = None,
) -> int:
    """Write the lines as an XLSX workbook into ``out``. Returns the number of lines."""
    # Imported here: openpyxl loads NumPy when it is installed (about 16 MB in every web and
    # export process that never writes a workbook).
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    sheets = 0

    def new_sheet():
        nonlocal sheets
        sheets += 1
        sheet = workbook.create_sheet(title if sheets == 1 else f"{title} ({sheets})")
        header = []
        for text in HEADERS:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        return sheet

    def money(sheet, value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = MONEY_FORMAT
        return cell

    sheet = new_sheet()
    in_sheet = 1
    rows = 0
    for row in _rows(by=by, key=key):
        if in_sheet == XLSX_MAX_ROWS:
            sheet, in_sheet = new_sheet(), 1
        values = list(row)
        for i in _MONEY:
            if values[i] is not None:
                values[i] = money(sheet, values[i])
        sheet.append(values)
        in_sheet += 1
        rows += 1
        if progress is not None and rows % PROGRESS_EVERY == 0:
            progress(rows)
    for extra in extra_rows:
        sheet.append([money(sheet, v) if isinstance(v, Decimal) else v for v in extra])
    workbook.save(out)
    if progress is not None:
        progress(rows)
    return rows
