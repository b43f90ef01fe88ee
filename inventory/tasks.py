"""Inventory's Celery entry points."""

from celery import shared_task

from core.tasks import JingluoTask

from .services import presale_locks_expire


@shared_task(base=JingluoTask, name="inventory.expire_presale_locks")
def expire_presale_locks() -> int:
    """Every 5 minutes (``CELERY_BEAT_SCHEDULE``): locks past their expiry go back to free
    stock. Safe to run twice or at once: each lock ends once, under its row's lock."""
    return presale_locks_expire()
