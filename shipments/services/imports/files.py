"""Reading a file of orders: its type (CSV or XLSX, from its bytes), its encoding (UTF-8,
UTF-8 with BOM or GBK), its header, and its rows as text, streamed. A file that cannot be
read raises ``ImportFileRefused`` saying why."""

import codecs
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...exceptions import ShipmentError
from .columns import HEADER_NAMES, REQUIRED, column_label, header_key

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_IMPORT_ROWS = 100_000
# An XLSX is a zip: refuse one that unpacks to more than this (a zip bomb).
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
# Of the double-byte characters of a file read as GBK, at most this share may lie outside
# GB 2312 (the 6,763 common characters): Latin-1 text decodes as GBK too, into rare ones.
MAX_RARE_GBK_SHARE = 0.1
ACCEPTED_EXTENSIONS = (".csv", ".txt", ".xlsx")


class ImportFileRefused(ShipmentError):
    """The file cannot be read as a file of orders: nothing was stored or created."""

    default_message = gettext_lazy("The file cannot be read as a file of orders.")


@dataclass(frozen=True, slots=True)
class OrderFile:
    """A readable file of orders: ``records()`` yields ``(row, cells)`` for each data row
    that is not blank; ``row`` counts the header as row 1, as Excel shows it."""

    data: bytes
    kind: str  # "csv" or "xlsx"
    encoding: str  # "utf-8-sig" or "gb18030"; "" for XLSX
    delimiter: str
    header: dict[str, int]  # column name → cell index

    def records(self) -> Iterator[tuple[int, list[str]]]:
        rows = _xlsx_rows(self.data) if self.kind == "xlsx" else self._csv_rows()
        header_seen = False
        for number, cells in rows:
            if not any(cells):
                continue
            if not header_seen:
                header_seen = True
                continue
            yield number, cells

    def _csv_rows(self) -> Iterator[tuple[int, list[str]]]:
        text = io.TextIOWrapper(io.BytesIO(self.data), encoding=self.encoding, newline="")
        reader = csv.reader(text, delimiter=self.delimiter)
        try:
            for number, cells in enumerate(reader, start=1):
                yield number, [cell.strip() for cell in cells]
        except csv.Error as error:
            raise ImportFileRefused(
                _("The file is not valid CSV near line %(line)d: %(error)s")
                % {"line": reader.line_num, "error": error}
            ) from error

    def count(self) -> int:
        """The number of data rows; refuses an empty file or one with too many rows."""
        total = 0
        for _record in self.records():
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
    """The file as an ``OrderFile``, or ``ImportFileRefused`` saying why it cannot be read."""
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
        kind, encoding, delimiter = "xlsx", "", ","
        first = next((cells for _n, cells in _xlsx_rows(data) if any(cells)), [])
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
        kind, encoding = "csv", _detect_encoding(data)
        first_line = _first_line(data, encoding)
        delimiter = max((",", "\t", ";"), key=first_line.count)
        probe = OrderFile(data=data, kind=kind, encoding=encoding, delimiter=delimiter, header={})
        first = next((cells for _n, cells in probe._csv_rows() if any(cells)), [])
    header = _read_header(first)
    return OrderFile(data=data, kind=kind, encoding=encoding, delimiter=delimiter, header=header)


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
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise ImportFileRefused(_("The Excel file is damaged: save it again.")) from error
    if "xl/workbook.xml" not in names:
        raise ImportFileRefused(_("This zip file is not an Excel workbook (.xlsx)."))
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileRefused(
            _("The workbook is too large once unpacked: split it into smaller files.")
        )


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """The first worksheet's rows as text, read as a stream (``read_only``)."""
    from openpyxl import load_workbook

    # openpyxl raises many kinds of errors for a damaged file, while opening or reading.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise ImportFileRefused(_("The Excel file is damaged: save it again.")) from error
    try:
        rows = enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)
        while True:
            try:
                number, values = next(rows)
            except StopIteration:
                return
            except Exception as error:
                raise ImportFileRefused(_("The Excel file is damaged: save it again.")) from error
            yield number, [_cell_text(value) for value in values]
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


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
