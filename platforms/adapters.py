"""Where store metrics come from: the seam between the platforms and this portal.

A ``StoreMetricsSource`` yields parsed rows. Today the only source is a CSV file
(``CsvStoreMetricsSource``) exported by ops or sellers, often from Chinese Excel; a live
platform API becomes another subclass, and ``platforms.services.store_metrics_import``
takes either.

The CSV format
--------------
The first row is the header; column order is free, names are matched without regard to
case or surrounding spaces. Row numbers in error reports count the header as row 1, as
Excel does. Blank rows are skipped.

Required columns, a value in every row:

- ``platform``: ``aliexpress``, ``lazada``, ``temu`` or ``tiktok``
- ``store_id``: the platform's store ID, up to 64 characters, kept as text
- ``as_of``: the day the figures describe, ``YYYY-MM-DD`` (``YYYY/M/D`` accepted), not
  in the future
- ``positive_rating_pct``: logistics positive rating, 0–100, e.g. ``96.5`` or ``96.5%``
- ``dsr_logistics``: DSR logistics score, 0–5
- ``fulfilment_score``: fulfilment score (履约分), 0–100
- ``return_rate_pct``: return rate, 0–100 (``%`` allowed)
- ``label_print_success_pct``: label-print success rate, 0–100 (``%`` allowed)
- ``serious_complaints_30d``: serious logistics complaints in the last 30 days, a whole
  number ≥ 0
- ``store_bound``: the store has ticked 菜鸟经络速通 in its logistics settings

Optional columns, which may be absent or empty:

- ``store_level``: e.g. ``L3``
- ``aliexpress_tier``: ``ka``, ``preferred`` (or ``优选``), ``other`` (AliExpress rows only)
- ``lazada_official_warehouse``: yes/no (Lazada rows only)
- ``temu_full_custody_whitelisted``: yes/no (Temu rows only)
- ``tiktok_site``: ``uk``, ``us``, ``other`` (TikTok Shop rows only)
- ``tiktok_logistics_partner``: yes/no (TikTok Shop rows only)

Numbers have at most two decimal places. Yes/no values: ``true``/``false``, ``1``/``0``,
``yes``/``no``, ``是``/``否``; empty means unknown. Encodings: UTF-8, UTF-8 with BOM, GBK
(GB 18030). At most 20 MB; a file with any bad row is refused whole.
"""

import csv
import hashlib
import io
from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import IO

from django.utils.translation import gettext as _

from core.spreadsheets import CsvUnreadable, csv_text

from .exceptions import StoreMetricsSourceUnreadable
from .parsing import COLUMNS, REQUIRED_COLUMNS, MetricsRow, RowError, parse_metrics_record

MAX_FILE_BYTES = 20 * 1024 * 1024


class StoreMetricsSource(ABC):
    """A feed of store metrics.

    Iterating yields, in feed order, a ``MetricsRow`` for each good record and one
    ``RowError`` per problem of each bad record. A feed that cannot be read at all raises
    ``StoreMetricsSourceUnreadable``. Sources do not write: the import decides.
    """

    @abstractmethod
    def __iter__(self) -> Iterator[MetricsRow | RowError]: ...


class CsvStoreMetricsSource(StoreMetricsSource):
    """The feed as a CSV file's bytes; the format is described in this module's docstring."""

    def __init__(self, data: bytes):
        self.data = data

    def __iter__(self) -> Iterator[MetricsRow | RowError]:
        text = _decode(self.data)
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = _read_header(next(reader, []))
            data_rows = 0
            for number, cells in enumerate(reader, start=2):
                if not any(cell.strip() for cell in cells):
                    continue
                data_rows += 1
                while len(cells) > len(header) and not cells[-1].strip():
                    cells.pop()  # spreadsheets pad rows with empty cells
                if len(cells) > len(header):
                    yield RowError(
                        number,
                        "",
                        _("This row has %(found)d values but the header has %(expected)d.")
                        % {"found": len(cells), "expected": len(header)},
                    )
                    continue
                record = dict(zip(header, cells, strict=False))
                result = parse_metrics_record(number, record)
                if isinstance(result, MetricsRow):
                    yield result
                else:
                    yield from result
        except csv.Error as error:
            raise StoreMetricsSourceUnreadable(
                [
                    RowError(
                        None,
                        "",
                        _("The file is not valid CSV near line %(line)d: %(error)s")
                        % {"line": reader.line_num, "error": error},
                    )
                ]
            ) from error
        if not data_rows:
            raise StoreMetricsSourceUnreadable(
                [RowError(None, "", _("The file has a header but no data rows."))]
            )


def read_feed_file(stream: IO[bytes], *, limit: int = MAX_FILE_BYTES) -> tuple[bytes, str]:
    """Read a feed file for ``CsvStoreMetricsSource`` without holding a huge one in memory.

    Returns at most ``limit + 1`` bytes (enough for the source to refuse a file that is
    too large) and the SHA-256 of the whole file.
    """
    digest = hashlib.sha256()
    kept = bytearray()
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
        if len(kept) <= limit:
            kept += chunk[: limit + 1 - len(kept)]
    return bytes(kept), digest.hexdigest()


def _unreadable(message: str) -> StoreMetricsSourceUnreadable:
    return StoreMetricsSourceUnreadable([RowError(None, "", message)])


def _decode(data: bytes) -> str:
    try:
        return csv_text(data, max_bytes=MAX_FILE_BYTES)
    except CsvUnreadable as error:
        raise _unreadable(error.message) from None


def _read_header(cells: list[str]) -> list[str]:
    header = [cell.strip().lower() for cell in cells]
    if not set(header) & set(COLUMNS):
        raise _unreadable(
            _(
                "The first row is not the header of a store metrics file: it must name the "
                "columns, starting with %(columns)s."
            )
            % {"columns": ", ".join(REQUIRED_COLUMNS[:3])}
        )
    errors = []
    seen: set[str] = set()
    for position, (name, as_written) in enumerate(zip(header, cells, strict=True), start=1):
        if not name:
            errors.append(RowError(1, "", _("Column %(n)d has no name.") % {"n": position}))
        elif name in seen:
            errors.append(
                RowError(1, as_written.strip(), _("This column appears twice in the header."))
            )
        elif name not in COLUMNS:
            errors.append(RowError(1, as_written.strip(), _("Unknown column: check its spelling.")))
        seen.add(name)
    missing = [column for column in REQUIRED_COLUMNS if column not in seen]
    if missing:
        errors.append(
            RowError(
                1,
                ", ".join(missing),
                _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)},
            )
        )
    if errors:
        raise StoreMetricsSourceUnreadable(errors)
    return header
