"""Celery entry points of webhooks: one delivery attempt, and the sweeper."""

from celery import shared_task

from core.tasks import JingluoTask


@shared_task(base=JingluoTask, name="webhooks.deliver", soft_time_limit=60, time_limit=90)
def deliver(delivery_id: int) -> str:
    """Attempt one delivery (``services.delivery_attempt``): safe to run twice."""
    from .services import delivery_attempt

    return delivery_attempt(delivery_id=delivery_id)


@shared_task(base=JingluoTask, name="webhooks.sweep")
def sweep() -> int:
    """Queue the deliveries whose next attempt is due."""
    from .services import deliveries_due_enqueue

    return deliveries_due_enqueue()
