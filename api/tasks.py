from celery import shared_task

from core.tasks import JingluoTask


@shared_task(base=JingluoTask, name="api.idempotency_expire")
def idempotency_expire() -> int:
    """Hourly: delete idempotency records past their 24 h."""
    from .idempotency import idempotency_records_expire

    return idempotency_records_expire()
