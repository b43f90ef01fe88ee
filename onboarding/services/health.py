"""The daily health check: close the service of an active store that fails it. The seller
is told by the application's notification (``onboarding.notices``: closed, with why)."""

from django.db import transaction

from platforms.health import health_failures, health_reason
from platforms.selectors import store_metrics_latest_for_many
from stores.models import Closure, Store, StoreStatus
from stores.services import store_transition


def applications_health_check() -> list[int]:
    """Close the service of every active store whose latest metrics fail a threshold (its
    application follows, ``onboarding.store_sync``, and the seller is told). Returns the ids
    of the applications closed. Safe to run twice: a closed store is not active."""
    active = list(
        Store.objects.filter(status=StoreStatus.ACTIVE).select_related("seller", "application")
    )
    latest = store_metrics_latest_for_many([(s.platform, s.platform_store_id) for s in active])
    closed = []
    for store in active:
        failures = health_failures(latest.get((store.platform, store.platform_store_id)))
        if not failures:
            continue
        with transaction.atomic():
            store_transition(
                store=store,
                to_status=StoreStatus.CLOSED,
                closure=Closure.HEALTH,
                reason=health_reason(failures),
                data={"failed": [line.code for line in failures]},
            )
        closed.append(store.application.pk)
    return closed
