"""Reading a file of orders: its type (CSV or XLSX, from its bytes), its encoding (UTF-8,
UTF-8 with BOM or GBK), its header, and its rows as text, streamed. A file that cannot be
read raises ``ImportFileRefused`` saying why."""

import codecs
import csv
import io
import re
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...exceptions import ShipmentError
from .columns import HEADER_NAMES, REQUIRED, column_label, header_key
from .xlsx import XlsxError, XlsxRows

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_IMPORT_ROWS = 100_000
# No row of a file may be numbered past this (room for the header and blank rows between the
# orders). Rows are read in increasing order, so it also bounds the rows *seen*, blank or
# not: a sheet whose second row is numbered 1,000,000,000,000 is refused at that row.
MAX_ROW_NUMBER = MAX_IMPORT_ROWS + 10_000
# An XLSX is a zip: refuse one that unpacks to more than this (a zip bomb).
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
# The upload request reads only the header: the first non-blank row among the first
# HEADER_ROWS, within HEADER_SECONDS. Counting and reading the orders is the worker's job.
HEADER_ROWS = 20
HEADER_SECONDS = 0.5
# The worker's reading of the whole file (the count before the first chunk) must end within
# this: a file slower than that to read is refused, not worked on for the task's 10 minutes.
READ_SECONDS = 60.0
# Of the double-byte characters of a file read as GBK, at most this share may lie outside
# GB 2312 (the 6,763 common characters): Latin-1 text decodes as GBK too, into rare ones.
MAX_RARE_GBK_SHARE = 0.1
ACCEPTED_EXTENSIONS = (".csv", ".txt", ".xlsx")
# How often (in rows) the CSV reader looks at its deadline.
DEADLINE_EVERY_ROWS = 1024


class ImportFileRefused(ShipmentError):
    """The file cannot be read as a file of orders: nothing was stored or created."""

    default_message = gettext_lazy("The file cannot be read as a file of orders.")


def _row_limit_refused(row: int) -> ImportFileRefused:
    return ImportFileRefused(
        _(
            "The file has rows numbered past %(max)s (row %(row)s): a file holds at most "
            "%(rows)s rows (one per item line), blank rows included. Split it into smaller "
            "files."
        )
        % {"max": f"{MAX_ROW_NUMBER:,}", "row": f"{row:,}", "rows": f"{MAX_IMPORT_ROWS:,}"}
    )


def _too_slow_refused() -> ImportFileRefused:
    return ImportFileRefused(
        _(
            "The file takes too long to read: save it again in Excel, or split it into "
            "smaller files."
        )
    )


def _xlsx_refused(error: XlsxError) -> ImportFileRefused:
    if error.reason == "row_limit":
        return _row_limit_refused(error.row)
    if error.reason == "too_slow":
        return _too_slow_refused()
    if error.reason == "too_large":
        return ImportFileRefused(
            _("The workbook is too large once unpacked: split it into smaller files.")
        )
    return ImportFileRefused(_("The Excel file is damaged: save it again."))


@dataclass(frozen=True, slots=True)
class OrderFile:
    """A readable file of orders: ``records()`` yields ``(row, cells)`` for each data row
    that is not blank; ``row`` counts the header as row 1, as Excel shows it. Every read is
    bound by ``MAX_ROW_NUMBER`` and by its deadline."""

    data: bytes
    kind: str  # "csv" or "xlsx"
    encoding: str  # "utf-8-sig" or "gb18030"; "" for XLSX
    delimiter: str
    header: dict[str, int]  # column name → cell index
    header_cells: tuple[str, ...] = ()  # the header row as written

    def rows(
        self, *, deadline: float | None = None
    ) -> Generator[tuple[int, list[str]], None, None]:
        """Every row, blank or not, up to ``MAX_ROW_NUMBER``; ``ImportFileRefused`` past it
        or past ``deadline`` (``time.monotonic()``)."""
        if self.kind == "xlsx":
            try:
                yield from XlsxRows(self.data, max_unpacked=MAX_UNPACKED_BYTES).rows(
                    max_row=MAX_ROW_NUMBER, deadline=deadline
                )
            except XlsxError as error:
                raise _xlsx_refused(error) from error
        else:
            yield from self._csv_rows(deadline=deadline)

    def records(self, *, deadline: float | None = None) -> Iterator[tuple[int, list[str]]]:
        header_seen = False
        for number, cells in self.rows(deadline=deadline):
            if not any(cells):
                continue
            if not header_seen:
                header_seen = True
                continue
            yield number, cells

    def _csv_rows(self, *, deadline: float | None) -> Iterator[tuple[int, list[str]]]:
        text = io.TextIOWrapper(io.BytesIO(self.data), encoding=self.encoding, newline="")
        reader = csv.reader(text, delimiter=self.delimiter)
        try:
            for number, cells in enumerate(reader, start=1):
                if number > MAX_ROW_NUMBER:
                    raise _row_limit_refused(number)
                if (
                    deadline is not None
                    and number % DEADLINE_EVERY_ROWS == 0
                    and time.monotonic() > deadline
                ):
                    raise _too_slow_refused()
                yield number, [cell.strip() for cell in cells]
        except csv.Error as error:
            raise ImportFileRefused(
                _("The file is not valid CSV near line %(line)d: %(error)s")
                % {"line": reader.line_num, "error": error}
            ) from error

    def count(self, *, seconds: float | None = None) -> int:
        """The number of data rows, read within ``seconds``; refuses an empty file, one with
        too many rows, one numbered past the limit or one too slow to read. The worker's
        job: the upload request reads only the header."""
        total = 0
        budget = READ_SECONDS if seconds is None else seconds
        for _record in self.records(deadline=time.monotonic() + budget):
            total += 1
            if total > MAX_IMPORT_ROWS:
                raise ImportFileRefused(
                    _("The file has more than %(max)s rows: split it into smaller files.")
                    % {"max": f"{MAX_IMPORT_ROWS:,}"}
                )
        if not total:
            raise ImportFileRefused(_("The file has a header but no orders."))
        return total


def order_file_open(*, name: str, data: bytes) -> OrderFile:
    """The file as an ``OrderFile``, or ``ImportFileRefused`` saying why it cannot be read.
    Reads only as far as the header (``HEADER_ROWS`` rows, ``HEADER_SECONDS``): the rest is
    read by the worker, bound by ``MAX_ROW_NUMBER`` and ``READ_SECONDS``."""
    if not data or not data.strip():
        raise ImportFileRefused(_("The file is empty."))
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileRefused(
            _("The file is larger than %(limit)d MB: split it into smaller files.")
            % {"limit": MAX_IMPORT_BYTES // (1024 * 1024)}
        )
    extension = name[name.rfind(".") :].lower() if "." in name else ""
    if extension not in ACCEPTED_EXTENSIONS:
        raise ImportFileRefused(
            _("Only CSV and Excel (.xlsx) files are accepted; this file is “%(name)s”.")
            % {"name": name[-80:]}
        )
    if data.startswith(b"PK\x03\x04"):
        _check_workbook(data)
        probe = OrderFile(data=data, kind="xlsx", encoding="", delimiter=",", header={})
    else:
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise ImportFileRefused(
                _("This is an old Excel workbook (.xls): save it as .xlsx or as CSV.")
            )
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ImportFileRefused(
                _("The file is in UTF-16 (Excel's “Unicode text”): save it as CSV UTF-8.")
            )
        if b"\x00" in data:
            raise ImportFileRefused(_("This is not a CSV file: it contains binary data."))
        encoding = _detect_encoding(data)
        first_line = _first_line(data, encoding)
        delimiter = max((",", "\t", ";"), key=first_line.count)
        probe = OrderFile(data=data, kind="csv", encoding=encoding, delimiter=delimiter, header={})
    cells = _header_cells(probe)
    header = _read_header(cells)
    return OrderFile(
        data=data,
        kind=probe.kind,
        encoding=probe.encoding,
        delimiter=probe.delimiter,
        header=header,
        header_cells=tuple(cells),
    )


def _header_cells(probe: OrderFile) -> list[str]:
    """The first non-blank row among the first ``HEADER_ROWS``, read within
    ``HEADER_SECONDS``; nothing after it is parsed."""
    rows = probe.rows(deadline=time.monotonic() + HEADER_SECONDS)
    try:
        for number, cells in rows:
            if any(cells):
                return cells
            if number >= HEADER_ROWS:
                raise ImportFileRefused(
                    _(
                        "The first %(rows)d rows are blank: the header of the orders must be "
                        "the first row."
                    )
                    % {"rows": HEADER_ROWS}
                )
    finally:
        rows.close()
    raise ImportFileRefused(_("The file is empty."))


def _detect_encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM) or GBK (read as GB 18030, its superset)."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(data), 1 << 20):
                decoder.decode(data[start : start + (1 << 20)])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8-sig" or _looks_like_gbk(data):
            return encoding
    raise ImportFileRefused(
        _(
            "The file's encoding is neither UTF-8 nor GBK: in Excel save it as "
            "“CSV UTF-8 (逗号分隔)” and upload it again."
        )
    )


_GBK_PAIRS = re.compile(
    rb"[\xa1-\xfe][\xa1-\xfe]|([\x81-\xfe](?:[\x30-\x39][\x81-\xfe][\x30-\x39]|[\x40-\xfe]))"
)


def _looks_like_gbk(data: bytes) -> bool:
    """Chinese text in GBK lies almost wholly in GB 2312 (both bytes ≥ 0xA1); Latin-1 text
    read as GBK ("Müller" → "M黮ler") pairs an accented letter with an ASCII one, outside
    it. Sampled on the first megabyte."""
    characters = _GBK_PAIRS.findall(data[: 1 << 20])
    if not characters:
        return True
    rare = len(characters) - characters.count(b"")
    return rare <= MAX_RARE_GBK_SHARE * len(characters)


def _first_line(data: bytes, encoding: str) -> str:
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    for line in text:
        if line.strip():
            return line
    return ""


def _check_workbook(data: bytes) -> None:
    try:
        book = XlsxRows(data, max_unpacked=MAX_UNPACKED_BYTES)
    except XlsxError as error:
        raise _xlsx_refused(error) from error
    if not book.has_workbook():
        raise ImportFileRefused(_("This zip file is not an Excel workbook (.xlsx)."))


def _read_header(cells: list[str]) -> dict[str, int]:
    header: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = HEADER_NAMES.get(header_key(cell))
        if name is None:
            continue  # other columns of a platform's export are ignored
        if name in header:
            raise ImportFileRefused(
                _("Two columns of the header mean %(column)s: keep one.")
                % {"column": column_label(name)}
            )
        header[name] = index
    if not header:
        raise ImportFileRefused(
            _(
                "The first row is not the header of a file of orders: download the template "
                "and keep its first row."
            )
        )
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportFileRefused(
            _("Required columns are missing: %(columns)s.")
            % {"columns": ", ".join(column_label(name) for name in missing)}
        )
    return header
