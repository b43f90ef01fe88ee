"""The rows of an XLSX workbook's first sheet, read as a stream with every piece of work bound.

openpyxl's read-only reader cannot be bound: it yields an empty row for every row number
skipped (a 1.7 KB sheet whose second row is numbered ``r="1000000000000"`` yields a trillion
rows), and it keeps every ``<row/>`` it has read in the tree (40 million empty rows in a
343 KB file took ~3 GB). This reader walks the sheet's XML with a defused ``iterparse``
(no DTDs, no entities) and:

- refuses a row numbered past ``max_row`` at once, without producing the rows before it;
  rows are read in increasing order, so the rows *seen* (blank or not) never exceed it;
- drops each row's element once read, so memory stays flat whatever the file holds;
- keeps at most ``MAX_COLUMNS`` cells of a row (the columns of an order file are a dozen);
- stops when ``deadline`` (``time.monotonic()``) has passed;
- reads shared strings lazily, only as far as the highest index asked for: the header
  needs a few, not the whole table;
- refuses members that unpack beyond their own limits before reading them.

Cell values come back as text, the way a seller sees them: numbers without a trailing
``.0`` (``500``, ``12.5``), booleans as ``TRUE``/``FALSE``, everything else as written.
"""

from __future__ import annotations

import io
import math
import posixpath
import time
import zipfile
from collections.abc import Callable, Iterator
from typing import IO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, iterparse

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
ROW, CELL, VALUE, INLINE, TEXT, RUN, SHEET_DATA, SI = (
    f"{MAIN}row",
    f"{MAIN}c",
    f"{MAIN}v",
    f"{MAIN}is",
    f"{MAIN}t",
    f"{MAIN}r",
    f"{MAIN}sheetData",
    f"{MAIN}si",
)
MAX_COLUMNS = 256
# The small parts (workbook, relationships) are read whole: a few kB in any real workbook.
MAX_SMALL_PART_BYTES = 4 * 1024 * 1024
# The shared strings of 100,000 rows of orders are ~30 MB; a table much larger is a bomb.
MAX_SHARED_STRINGS_BYTES = 96 * 1024 * 1024
# How often (in XML elements) the deadline is looked at: time.monotonic() is cheap, but not free.
DEADLINE_EVERY = 1024


class XlsxError(Exception):
    """The workbook cannot be read within its limits. ``reason`` says which:
    ``damaged``, ``row_limit`` (with ``row``), ``too_large``, ``too_slow``."""

    def __init__(self, reason: str, *, row: int = 0):
        self.reason = reason
        self.row = row
        super().__init__(reason)


def _column_index(reference: str) -> int:
    """``"C7"`` → 3. Letters only up to XFD (16,384), as Excel allows."""
    index = 0
    for position, char in enumerate(reference):
        if "A" <= char <= "Z":
            index = index * 26 + ord(char) - 64
        elif char.isdigit() and position:
            break
        else:
            raise XlsxError("damaged")
        if position >= 3:
            raise XlsxError("damaged")
    return index


def _number_text(raw: str) -> str:
    try:
        value = float(raw)
    except ValueError:
        return raw.strip()
    if not math.isfinite(value):
        return raw.strip()
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def _string_item_text(element: Element) -> str:
    """A shared string (``<si>``) or an inline one (``<is>``): its text runs, without the
    phonetic guides (``<rPh>``)."""
    parts = []
    for child in element:
        if child.tag == TEXT:
            parts.append(child.text or "")
        elif child.tag == RUN:
            text = child.find(TEXT)
            if text is not None:
                parts.append(text.text or "")
    return "".join(parts)


class _Deadline:
    def __init__(self, deadline: float | None):
        self.deadline = deadline
        self.ticks = 0

    def tick(self) -> None:
        self.ticks += 1
        if (
            self.deadline is not None
            and self.ticks % DEADLINE_EVERY == 0
            and time.monotonic() > self.deadline
        ):
            raise XlsxError("too_slow")


class _SharedStrings:
    """The shared-string table, parsed only as far as the highest index asked for."""

    def __init__(self, opener: Callable[[], IO[bytes]] | None, clock: _Deadline):
        self._opener = opener
        self._clock = clock
        self._strings: list[str] = []
        self._events: Iterator[tuple[str, Element]] | None = None
        self._stream: IO[bytes] | None = None
        self._root: Element | None = None

    def get(self, index: int) -> str:
        while index >= len(self._strings):
            if not self._more():
                raise XlsxError("damaged")
        return self._strings[index]

    def _more(self) -> bool:
        if self._opener is None:
            return False
        if self._events is None:
            self._stream = self._opener()
            self._events = iter(iterparse(self._stream, events=("start", "end")))
        for event, element in self._events:
            self._clock.tick()
            if event == "start":
                if self._root is None:
                    self._root = element
                continue
            if element.tag == SI:
                self._strings.append(_string_item_text(element))
                if self._root is not None:
                    self._root.remove(element)
                return True
        self.close()
        self._opener = None
        return False

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None


class XlsxRows:
    """The first worksheet of ``data``. ``rows(max_row=, deadline=)`` yields
    ``(row_number, cells)`` for each ``<row>`` in the sheet (blank ones too), cells as text
    placed at their column (gaps are ``""``). Raises ``XlsxError``."""

    def __init__(self, data: bytes, *, max_unpacked: int):
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = {info.filename: info for info in self._zip.infolist()}
        except (zipfile.BadZipFile, ValueError, OSError) as error:
            raise XlsxError("damaged") from error
        if sum(info.file_size for info in infos.values()) > max_unpacked:
            raise XlsxError("too_large")
        self._infos = infos
        self.sheet_path = self._first_sheet_path()
        if self.has_workbook() and self.sheet_path not in infos:
            raise XlsxError("damaged")
        strings = infos.get("xl/sharedStrings.xml")
        if strings is not None and strings.file_size > MAX_SHARED_STRINGS_BYTES:
            raise XlsxError("too_large")
        self._strings_name = strings.filename if strings is not None else None

    def has_workbook(self) -> bool:
        return "xl/workbook.xml" in self._infos

    def _small_part(self, name: str) -> Element | None:
        info = self._infos.get(name)
        if info is None:
            return None
        if info.file_size > MAX_SMALL_PART_BYTES:
            raise XlsxError("too_large")
        try:
            return fromstring(self._zip.read(info))
        except (ParseError, DefusedXmlException, zipfile.BadZipFile, OSError) as error:
            raise XlsxError("damaged") from error

    def _first_sheet_path(self) -> str:
        """The first sheet of the workbook (its tab order), through the relationships."""
        workbook = self._small_part("xl/workbook.xml")
        if workbook is None:
            return ""
        sheet = workbook.find(f"{MAIN}sheets/{MAIN}sheet")
        rels = self._small_part("xl/_rels/workbook.xml.rels")
        if sheet is None or rels is None:
            raise XlsxError("damaged")
        rel_id = sheet.get(f"{REL}id")
        for rel in rels.iter(f"{PKG_REL}Relationship"):
            if rel.get("Id") == rel_id:
                target = rel.get("Target", "")
                if target.startswith("/"):
                    return target.lstrip("/")
                return posixpath.normpath(posixpath.join("xl", target))
        raise XlsxError("damaged")

    def rows(self, *, max_row: int, deadline: float | None) -> Iterator[tuple[int, list[str]]]:
        clock = _Deadline(deadline)
        strings_name = self._strings_name
        strings = _SharedStrings(
            (lambda: self._zip.open(strings_name)) if strings_name else None, clock
        )
        try:
            with self._zip.open(self.sheet_path) as stream:
                yield from self._sheet_rows(stream, strings, clock, max_row)
        except (ParseError, DefusedXmlException, zipfile.BadZipFile, OSError, EOFError) as error:
            raise XlsxError("damaged") from error
        finally:
            strings.close()

    def _sheet_rows(self, stream, strings, clock, max_row):
        parent: Element | None = None  # sheetData: each row is removed from it once read
        number = 0
        row_cells: dict[int, str] = {}
        column = 0
        for event, element in iterparse(stream, events=("start", "end")):
            clock.tick()
            tag = element.tag
            if event == "start":
                if tag == SHEET_DATA:
                    parent = element
                elif tag == ROW:
                    number = self._row_number(element.get("r"), number)
                    if number > max_row:
                        raise XlsxError("row_limit", row=number)
                    row_cells, column = {}, 0
                continue
            if tag == CELL:
                reference = element.get("r")
                column = _column_index(reference) if reference else column + 1
                if column <= MAX_COLUMNS:
                    row_cells[column] = self._cell_text(element, strings)
                element.clear()
            elif tag == ROW:
                width = max(row_cells, default=0)
                yield number, [row_cells.get(index, "") for index in range(1, width + 1)]
                if parent is not None:
                    parent.remove(element)
                else:
                    element.clear()

    @staticmethod
    def _row_number(raw: str | None, previous: int) -> int:
        if raw is None:
            return previous + 1
        if not (raw.isascii() and raw.isdigit()):
            raise XlsxError("damaged")
        # Excel's rows stop at 1,048,576: a number of 19 digits or more is only a bomb.
        number = int(raw) if len(raw) <= 18 else 10**18
        if number <= previous:
            raise XlsxError("damaged")  # rows are written in increasing order
        return number

    @staticmethod
    def _cell_text(element: Element, strings: _SharedStrings) -> str:
        kind = element.get("t", "n")
        if kind == "inlineStr":
            inline = element.find(INLINE)
            return (_string_item_text(inline) if inline is not None else "").strip()
        raw = element.findtext(VALUE)
        if raw is None:
            return ""
        if kind == "s":
            if not raw.isdigit():
                raise XlsxError("damaged")
            return strings.get(int(raw)).strip()
        if kind == "n":
            return _number_text(raw)
        if kind == "b":
            return "TRUE" if raw.strip() == "1" else "FALSE"
        return raw.strip()  # str (a formula's text), d (ISO date), e (#N/A …)
