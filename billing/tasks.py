"""Celery entry points of billing. Each calls one service and is safe to run twice."""

from celery import shared_task
from django.db import OperationalError

from core.tasks import JingluoTask
from core.timezones import today_shanghai

from .services import period_parse, period_previous, statements_close_month
from .services.statements import statements_remind


@shared_task(
    bind=True,
    base=JingluoTask,
    name="billing.close_month",
    soft_time_limit=600,
    time_limit=900,
    max_retries=5,
)
def close_month(self: JingluoTask, period: str | None = None) -> int:
    """Close ``period`` (``"YYYY-MM"``; by default the month just ended in Asia/Shanghai)
    into statements. Idempotent: a second run issues nothing more. Returns the number of
    statements issued."""
    month = period_parse(period) if period else period_previous(today_shanghai())
    try:
        return statements_close_month(period=month).statements
    except OperationalError as error:  # the database away for a moment
        raise self.retry(exc=error, countdown=self.backoff(base=60, cap=1800)) from error


@shared_task(base=JingluoTask, name="billing.statements_remind")
def remind_statements() -> int:
    """Tell sellers of statements due within three days, and of overdue ones; each once.
    Returns how many were told."""
    return len(statements_remind())


@shared_task(
    bind=True,
    base=JingluoTask,
    name="billing.export_month",
    soft_time_limit=30 * 60,
    time_limit=35 * 60,
    max_retries=3,
)
def export_month(self: JingluoTask, job_id: int) -> str:
    """Build the whole-month export of ``ExportJob`` ``job_id``. Safe to run twice: a job
    done is skipped, a job left running by a dead worker is built again from the start."""
    import logging

    from celery.exceptions import SoftTimeLimitExceeded

    from .services.exports import export_job_fail, export_job_failure_message, export_job_run

    try:
        job = export_job_run(job_id=job_id)
    except (OperationalError, OSError) as error:  # the database or the storage away
        if self.retries_exhausted():
            export_job_fail(job_id=job_id, error=export_job_failure_message())
            return "failed"
        raise self.retry(exc=error, countdown=self.backoff(base=30, cap=600)) from error
    except SoftTimeLimitExceeded:
        export_job_fail(job_id=job_id, error=export_job_failure_message())
        return "failed"
    except Exception:
        logging.getLogger(__name__).exception("export job %s failed", job_id)
        export_job_fail(job_id=job_id, error=export_job_failure_message())
        raise
    return "skipped" if job is None else "done"
