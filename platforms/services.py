"""Everything that writes platform data."""

from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .adapters import StoreMetricsSource
from .exceptions import StoreMetricsSourceUnreadable
from .hooks import MetricsImported, metrics_imported
from .models import ImportStatus, StoreMetricsImport, StoreMetricsSnapshot
from .parsing import METRIC_FIELDS, MetricsRow, RowError

# The report keeps this many problems; a file with more is refused all the same, and the
# report says how many were left out.
MAX_REPORTED_ERRORS = 1000
# Rows per INSERT ... ON CONFLICT statement (19 parameters each, PostgreSQL allows 65,535).
WRITE_BATCH_SIZE = 2000
_KEY_FIELDS = ["platform", "store_id", "as_of"]
_REPLACED_FIELDS = [
    *(field for field in METRIC_FIELDS if field not in _KEY_FIELDS),
    "batch",
    "imported_at",
]


class _ErrorReport:
    def __init__(self) -> None:
        self.kept: list[dict] = []
        self.count = 0

    def add(self, error: RowError) -> None:
        self.count += 1
        if len(self.kept) < MAX_REPORTED_ERRORS:
            self.kept.append(error.as_dict())

    def __bool__(self) -> bool:
        return self.count > 0

    def as_list(self) -> list[dict]:
        left_out = self.count - len(self.kept)
        if not left_out:
            return self.kept
        note = _("… and %(count)d more problems, not listed: fix these and import again.") % {
            "count": left_out
        }
        return [*self.kept, {"row": None, "column": "", "message": note}]


class _Rejected(Exception):
    """Raised inside the import's transaction to roll it back."""


def store_metrics_import(
    *, source: StoreMetricsSource, file_name: str, sha256: str, user=None
) -> StoreMetricsImport:
    """Import a store metrics feed whole, or not at all.

    Valid feed: every row is written in one transaction, in bulk, and the batch is
    ``succeeded``. A row whose (platform, store ID, as-of date) is already stored from an
    earlier import is an upsert: its figures are replaced and it moves to the new batch.

    Any problem (an unreadable feed, a bad value, the same store and date twice in the feed):
    nothing is written, and the batch is stored ``rejected`` with the error report, each
    problem as ``{row, column, message}``. Either way the batch is returned; ``user`` is
    None for the command.
    """
    report = _ErrorReport()
    counts = {"valid": 0}
    error_rows: set[int] = set()
    bound: set[tuple[str, str]] = set()
    file_name = file_name[-255:]
    try:
        with transaction.atomic():
            batch = StoreMetricsImport.objects.create(
                file_name=file_name,
                sha256=sha256,
                uploaded_by=user,
                status=ImportStatus.SUCCEEDED,
            )
            try:
                _import_rows(source, batch, report, counts, error_rows, bound)
            except StoreMetricsSourceUnreadable as unreadable:
                for error in unreadable.errors:
                    report.add(error)
            if report:
                raise _Rejected
            batch.rows_total = batch.rows_imported = counts["valid"]
            batch.save(update_fields=["rows_total", "rows_imported"])
            # Stores the platform now reports bound stop waiting (``stores`` listens).
            metrics_imported(
                MetricsImported(batch_id=batch.pk, at=batch.created_at, bound=frozenset(bound))
            )
            return batch
    except _Rejected:
        pass
    except (IntegrityError, DataError):
        # Only a source that skipped ``parse_metrics_record`` gets here.
        report.add(
            RowError(None, "", _("The data breaks a rule of the database: nothing was imported."))
        )
    return StoreMetricsImport.objects.create(
        file_name=file_name,
        sha256=sha256,
        uploaded_by=user,
        status=ImportStatus.REJECTED,
        rows_total=counts["valid"] + len(error_rows),
        rows_imported=0,
        errors=report.as_list(),
    )


def _import_rows(
    source: StoreMetricsSource,
    batch: StoreMetricsImport,
    report: _ErrorReport,
    counts: dict[str, int],
    error_rows: set[int],
    bound: set[tuple[str, str]],
) -> None:
    """Validate the whole feed; write its rows in bulk while it is still all good. Notes
    the stores reported bound in ``bound``."""
    imported_at = timezone.now()
    first_row_of: dict[tuple, int] = {}
    pending: list[StoreMetricsSnapshot] = []
    for item in source:
        if isinstance(item, RowError):
            report.add(item)
            if item.row is not None:
                error_rows.add(item.row)
            continue
        counts["valid"] += 1
        first = first_row_of.setdefault(item.key, item.row)
        if first != item.row:
            report.add(
                RowError(
                    item.row,
                    "platform, store_id, as_of",
                    _("Row %(first)d already has this platform, store ID and date.")
                    % {"first": first},
                )
            )
            continue
        if report:
            continue  # the file is refused: keep checking, stop writing
        if item.store_bound:
            bound.add((item.platform, item.store_id))
        pending.append(_snapshot(item, batch=batch, imported_at=imported_at))
        if len(pending) >= WRITE_BATCH_SIZE:
            _upsert(pending)
            pending = []
    if not report:
        _upsert(pending)


def _snapshot(row: MetricsRow, *, batch, imported_at) -> StoreMetricsSnapshot:
    return StoreMetricsSnapshot(
        **{field: getattr(row, field) for field in METRIC_FIELDS},
        batch=batch,
        imported_at=imported_at,
    )


def _upsert(snapshots: list[StoreMetricsSnapshot]) -> None:
    if snapshots:
        StoreMetricsSnapshot.objects.bulk_create(
            snapshots,
            batch_size=WRITE_BATCH_SIZE,
            update_conflicts=True,
            unique_fields=_KEY_FIELDS,
            update_fields=_REPLACED_FIELDS,
        )
