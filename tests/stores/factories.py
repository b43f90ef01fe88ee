"""Stores for tests: the store an application in a service status has, as the approval
and the later transitions would have made it."""

from django.utils import timezone

from onboarding.models import Application, ApplicationStatus
from platforms.selectors import store_metrics_latest
from stores.models import Closure, Store, StoreStatus

A = ApplicationStatus
SERVICE_STATUS = {
    A.TRIAL: (StoreStatus.TRIAL, ""),
    A.TRIAL_REVIEW: (StoreStatus.TRIAL_REVIEW, ""),
    A.ACTIVE: (StoreStatus.ACTIVE, ""),
    A.CLOSED: (StoreStatus.CLOSED, Closure.HEALTH),
}


def store_for_application(application: Application) -> Store | None:
    """Open the store of an application whose status is a service status (trial, trial
    review, active, closed by the health check) and link it; None for the others."""
    if application.status not in SERVICE_STATUS:
        return None
    status, closure = SERVICE_STATUS[application.status]
    metrics = store_metrics_latest(platform=application.platform, store_id=application.store_id)
    opened_at = application.approved_at or timezone.now()
    store = Store.objects.create(
        seller=application.seller,
        reference=application.reference,
        platform=application.platform,
        platform_store_id=application.store_id,
        company_name=application.company_name,
        sender_address=application.registered_address,
        settlement_mode=application.settlement_mode,
        status=status,
        closure=closure,
        status_reason=application.decision_reason if closure else "",
        opened_at=opened_at,
        activated_at=application.activated_at,
        # As ``store_open`` does: a store its platform reports bound is confirmed.
        bound_at=opened_at if metrics is not None and metrics.store_bound else None,
    )
    application.opened_store = store
    application.save(update_fields=["opened_store"])
    return store
