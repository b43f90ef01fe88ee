"""Celery entry points for diagnostics. Each calls one service and is safe to run twice."""

from celery import shared_task

from core.tasks import JingluoTask

from .services import stores_watch


@shared_task(base=JingluoTask, name="diagnostics.watch", soft_time_limit=1800, time_limit=1900)
def watch() -> int:
    """Daily: warn the stores the order gate would refuse, before an order fails."""
    return len(stores_watch())
