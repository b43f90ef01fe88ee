"""Celery entry points for diagnostics. Each calls one service and is safe to run twice."""

from celery import shared_task

from onboarding.models import Application
from onboarding.services.renewal import id_renewal_apply as id_renewal_apply_service

from .services import stores_watch


@shared_task(name="diagnostics.watch", acks_late=True, soft_time_limit=1800, time_limit=1900)
def watch() -> int:
    """Daily: warn the stores the order gate would refuse, before an order fails."""
    return len(stores_watch())


@shared_task(name="diagnostics.id_renewal_apply", acks_late=True)
def id_renewal_apply(application_id: int) -> str:
    """After a renewed ID card is read: take its validity into the application, so that
    the gate's ``legal_rep_id_expiring`` passes. The fix of that check, hence here; safe to
    run twice (a card is applied once)."""
    application = Application.objects.filter(pk=application_id).first()
    if application is None:
        return "gone"
    return id_renewal_apply_service(application=application).state
