"""Celery entry points of notifications. Each is safe to run twice (the row's e-mail state
guards it)."""

from celery import shared_task
from django.db import OperationalError

from core.tasks import JingluoTask

from .services import notification_email as _email
from .services import notifications_requeue_unsent


@shared_task(bind=True, base=JingluoTask, name="notifications.email", max_retries=3)
def notification_email(self: JingluoTask, notification_id: int) -> str:
    """E-mail one notification, once."""
    try:
        return str(_email(notification_id=notification_id))
    except OperationalError as error:  # the database away for a moment
        raise self.retry(exc=error, countdown=self.backoff()) from error


@shared_task(base=JingluoTask, name="notifications.email_many", soft_time_limit=300, time_limit=360)
def notifications_email(notification_ids: list[int]) -> int:
    """E-mail a chunk of notifications (a bulk send); each once. Returns how many were sent."""
    return sum(1 for pk in notification_ids if _email(notification_id=pk) == "sent")


@shared_task(base=JingluoTask, name="notifications.sweep_unsent")
def sweep_unsent() -> int:
    """Queue again the e-mails the broker lost or a failed send left pending."""
    return len(notifications_requeue_unsent())
