"""Tracking files: the carrier's events as CSV, imported in the admin or with
``python manage.py import_tracking FILE``; each row goes through the same door as the
webhook's events (``shipment_event_record``: once per event id, late ones kept)."""

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.spreadsheets import CsvUnreadable, csv_text

from ..exceptions import TrackingEventInvalid, TrackingFileUnreadable
from ..models import EventSource, Shipment
from .tracking import CarrierEvent, OutcomeCounts, carrier_event_parse, shipment_event_record

TRACKING_COLUMNS = ("event_id", "tracking_number", "status", "at", "location", "description")
TRACKING_REQUIRED = ("event_id", "tracking_number", "status", "at")
MAX_TRACKING_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int  # in the file, the header being line 1
    message: str


@dataclass
class TrackingImportResult(OutcomeCounts):
    rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)


def _decode(data: bytes) -> str:
    try:
        return csv_text(data, max_bytes=MAX_TRACKING_FILE_BYTES)
    except CsvUnreadable as error:
        raise TrackingFileUnreadable(error.message) from None


def tracking_import(*, file_bytes: bytes, source: str = EventSource.IMPORT) -> TrackingImportResult:
    """Record the carrier events of a CSV file (UTF-8, UTF-8 with BOM or GBK).

    Row by row: each good row is recorded (the same rules as the webhook: a duplicate
    event id is ignored, a late event kept without moving the status), each bad row is
    reported with its line and the rest go on, so the same file can be imported again
    once fixed. A file that cannot be read at all raises ``TrackingFileUnreadable``.
    """
    reader = csv.reader(io.StringIO(_decode(file_bytes), newline=""))
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except (StopIteration, csv.Error):
        raise TrackingFileUnreadable(_("The file has no header row.")) from None
    missing = [column for column in TRACKING_REQUIRED if column not in header]
    if missing:
        raise TrackingFileUnreadable(
            _("Required columns are missing: %(columns)s. The header names %(all)s.")
            % {"columns": ", ".join(missing), "all": ", ".join(TRACKING_COLUMNS)}
        )
    result = TrackingImportResult()
    events: list[tuple[int, CarrierEvent]] = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            result.rows += 1
            line = reader.line_num
            if len(cells) > len(header):
                result.problems.append(
                    RowProblem(line, _("The row has more cells than the header."))
                )
                continue
            try:
                events.append((line, carrier_event_parse(dict(zip(header, cells, strict=False)))))
            except TrackingEventInvalid as error:
                result.problems.append(RowProblem(line, str(error.message)))
    except csv.Error as error:
        raise TrackingFileUnreadable(
            _("Line %(line)d is not valid CSV: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from None
    numbers = {event.tracking_number for _line, event in events}
    shipments = {s.tracking_number: s for s in Shipment.objects.filter(tracking_number__in=numbers)}
    for line, event in events:
        shipment = shipments.get(event.tracking_number)
        if shipment is None:
            result.problems.append(
                RowProblem(
                    line,
                    _("Unknown tracking number %(number)s.") % {"number": event.tracking_number},
                )
            )
            continue
        result.count(shipment_event_record(shipment=shipment, event=event, source=source).outcome)
    result.problems.sort(key=lambda problem: problem.line)
    return result
