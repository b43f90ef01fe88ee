"""Statement exports for finance: one statement as PDF, XLSX or CSV, and a whole month
(every seller's statement lines) as CSV or XLSX, built by a Celery job with progress.

The month export streams from PostgreSQL to a temporary file on disk (``COPY … TO
STDOUT`` for CSV, a server-side cursor and openpyxl ``write_only`` for XLSX) and from
there to storage (``default_storage.save`` copies in chunks; S3 uploads in parts): the
file is never whole in memory. ``python manage.py export_statements`` calls the same
``month_export_write`` into a file of its own choosing.
"""

import datetime
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.tasks import enqueue_on_commit
from core.timezones import today_shanghai

from ..exceptions import BillingError
from ..exports.pdf import statement_pdf
from ..exports.tabular import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_write,
    statement_rows,
    xlsx_write,
)
from ..models import EXPORT_TRANSITIONS, ExportFormat, ExportJob, ExportStatus, Statement
from ..selectors_exports import AMOUNT_INDEX, DESCRIPTION_INDEX, HEADERS, period_line_count
from .payments import statement_paid

logger = logging.getLogger(__name__)

EXPORT_PERMISSION = "billing.export_statement"
STATEMENT_FORMATS = ("pdf", "xlsx", "csv")
PDF_CONTENT_TYPE = "application/pdf"
# A single statement's CSV or XLSX stays in memory up to this size, then spills to disk.
SPOOL_BYTES = 8 * 1024 * 1024
# A job queued or running for longer than this is lost (the task's hard limit is 35 min and
# a redelivered task restarts it within Redis's 1 h visibility timeout).
STALE_AFTER = datetime.timedelta(hours=2)


class ExportNotAllowed(BillingError):
    default_message = gettext_lazy("Only finance may export statements.")


class UnknownExportFormat(BillingError):
    default_message = gettext_lazy("Unknown export format: choose PDF, XLSX or CSV.")


class ExportNotReady(BillingError):
    default_message = gettext_lazy("The export is not ready yet: wait until it is done.")


@dataclass
class ExportFile:
    filename: str
    content_type: str
    file: IO[bytes] | File[bytes]  # at position 0; the caller closes it


def export_check_allowed(*, user) -> None:
    if not (user and user.is_active and user.has_perm(EXPORT_PERMISSION)):
        raise ExportNotAllowed


# --- one statement -----------------------------------------------------------------------


def _totals_rows(statement: Statement) -> list[list]:
    """The statement's totals as issued, below its lines: label in the description column,
    amount in the amount column."""

    def row(label: str, amount: Decimal) -> list:
        values: list = [""] * len(HEADERS)
        values[0] = statement.number
        values[DESCRIPTION_INDEX] = label
        values[AMOUNT_INDEX] = amount
        return values

    return [
        row("运费合计 Charges", statement.charges_total),
        row("退款合计 Refunds", statement.refunds_total),
        row("调整合计 Adjustments", statement.adjustments_total),
        row("应付总额 Total due", statement.total),
    ]


def statement_export(*, statement: Statement, fmt: str) -> ExportFile:
    """``statement`` as a PDF, XLSX or CSV file. The caller has checked who may see it (its
    seller, or finance)."""
    if fmt not in STATEMENT_FORMATS:
        raise UnknownExportFormat
    filename = f"{statement.number}.{fmt}"
    if fmt == "pdf":
        rows = statement_rows(statement_id=statement.pk, neutralise=False)
        out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - caller closes
        paid = statement_paid(statement=statement)
        out.write(statement_pdf(statement=statement, rows=rows, paid=paid, as_of=today_shanghai()))
        out.seek(0)
        return ExportFile(filename, PDF_CONTENT_TYPE, out)
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - caller closes
    totals = _totals_rows(statement)
    if fmt == "csv":
        csv_write(out=out, by="statement", key=statement.pk, extra_rows=totals)
        content_type = CSV_CONTENT_TYPE
    else:
        xlsx_write(
            out=out, by="statement", key=statement.pk, title=statement.number, extra_rows=totals
        )
        content_type = XLSX_CONTENT_TYPE
    out.seek(0)
    return ExportFile(filename, content_type, out)


# --- a whole month -----------------------------------------------------------------------


def month_export_write(
    *,
    period: datetime.date,
    fmt: str,
    out: IO[bytes],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write every statement line of ``period`` (all sellers, by statement number and
    line) into ``out`` as CSV or XLSX; returns the number of lines."""
    period = period.replace(day=1)
    if fmt == ExportFormat.CSV:
        return csv_write(out=out, by="period", key=period, progress=progress)
    if fmt == ExportFormat.XLSX:
        return xlsx_write(
            out=out, by="period", key=period, title=f"{period:%Y-%m}", progress=progress
        )
    raise UnknownExportFormat


def month_export_filename(*, period: datetime.date, fmt: str) -> str:
    return f"statements-{period:%Y-%m}.{fmt}"


def export_job_request(*, user, period: datetime.date, fmt: str) -> ExportJob:
    """Queue the export of ``period`` as ``fmt`` for ``user`` (finance). An export of the
    same month and format already queued or running is returned instead of a second one."""
    export_check_allowed(user=user)
    if fmt not in ExportFormat.values:
        raise UnknownExportFormat
    period = period.replace(day=1)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                job = ExportJob.objects.create(
                    period=period,
                    format=fmt,
                    requested_by=user,
                    rows_total=period_line_count(period=period),
                )
            break
        except IntegrityError:
            active = ExportJob.objects.filter(
                period=period, format=fmt, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]
            ).first()
            if active is None:  # finished in between: try again
                continue
            if (active.started_at or active.created_at) > timezone.now() - STALE_AFTER:
                return active
            # Past every time limit and still not finished: its task is lost (the broker
            # was flushed). Say so on that job and start a new one.
            export_job_fail(job_id=active.pk, error=export_job_failure_message())
    else:
        raise IntegrityError("could not queue the export")  # pragma: no cover - a race twice
    from ..tasks import export_month

    # Lost with the broker, the job is past every limit and replaced at the next request.
    enqueue_on_commit(export_month, job.pk)
    return job


def _allowed_from(to: str) -> list[str]:
    return [status for status, targets in EXPORT_TRANSITIONS.items() if to in targets]


def _job_move(*, job_id: int, to: str, **fields) -> bool:
    """Move the job to ``to`` if the transition table allows it from its current status
    (one conditional UPDATE: two workers cannot both win a transition)."""
    return bool(
        ExportJob.objects.filter(pk=job_id, status__in=_allowed_from(to)).update(
            status=to, **fields
        )
    )


class _ProgressRow:
    """Writes ``rows_done`` through a connection of its own: the export's connection is
    busy streaming (a COPY), and the progress must be visible at once (autocommit)."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.connection = connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self, rows: int) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ExportJob._meta.db_table} SET rows_done = %s "  # noqa: S608 - table name
                "WHERE id = %s AND status = %s",
                [rows, self.job_id, ExportStatus.RUNNING],
            )

    def close(self) -> None:
        self.connection.close()


def export_job_run(*, job_id: int) -> ExportJob | None:
    """Build the job's file and store it. Safe to run twice: a job done (or failed) is
    skipped; a job left running by a dead worker starts again from the beginning and
    replaces the partial file. Returns None when there was nothing to do."""
    now = timezone.now()
    if not _job_move(
        job_id=job_id,
        to=ExportStatus.RUNNING,
        started_at=now,
        rows_done=0,
        attempts=F("attempts") + 1,
        error="",
    ):
        return None
    job = ExportJob.objects.get(pk=job_id)
    total = period_line_count(period=job.period)
    ExportJob.objects.filter(pk=job_id).update(rows_total=total)
    name = f"exports/{job.pk}/{month_export_filename(period=job.period, fmt=job.format)}"
    progress = _ProgressRow(job_id)
    try:
        with tempfile.TemporaryFile() as out:
            rows = month_export_write(period=job.period, fmt=job.format, out=out, progress=progress)
            out.seek(0)
            if default_storage.exists(name):  # a previous attempt's file
                default_storage.delete(name)
            stored = default_storage.save(name, File(out, name=name))
    finally:
        progress.close()
    if not _job_move(
        job_id=job_id,
        to=ExportStatus.DONE,
        rows_done=rows,
        rows_total=rows,
        storage_name=stored,
        finished_at=timezone.now(),
    ):
        return None
    job.refresh_from_db()
    return job


def export_job_fail(*, job_id: int, error: str) -> bool:
    """Record the final failure of a job (shown on the export page)."""
    return _job_move(
        job_id=job_id, to=ExportStatus.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def export_job_file(*, job: ExportJob, user) -> ExportFile:
    """The stored file of a finished job, for finance."""
    export_check_allowed(user=user)
    if job.status != ExportStatus.DONE:
        raise ExportNotReady
    content_type = CSV_CONTENT_TYPE if job.format == ExportFormat.CSV else XLSX_CONTENT_TYPE
    return ExportFile(
        month_export_filename(period=job.period, fmt=job.format),
        content_type,
        default_storage.open(job.storage_name, "rb"),
    )


def export_job_failure_message() -> str:
    return _("The export failed: start it again; if it fails again, tell the developers.")
