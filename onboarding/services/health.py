"""The daily health check: close the service of an active store that fails it."""

import functools

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from platforms.selectors import store_metrics_latest_for_many
from stores.models import Closure, Store, StoreStatus
from stores.services import store_transition

from ..health import health_failures


def applications_health_check() -> list[int]:
    """Close the service of every active store whose latest metrics fail a threshold (its
    application follows, ``onboarding.store_sync``); e-mail the seller. Returns the ids of
    the applications closed. Safe to run twice: a closed store is not active."""
    active = list(
        Store.objects.filter(status=StoreStatus.ACTIVE).select_related("seller", "application")
    )
    latest = store_metrics_latest_for_many([(s.platform, s.platform_store_id) for s in active])
    closed = []
    for store in active:
        failures = health_failures(latest.get((store.platform, store.platform_store_id)))
        if not failures:
            continue
        reason = "; ".join(
            f"{line.label} {line.value} ({'≥' if line.higher_is_better else '≤'} {line.threshold})"
            for line in failures
        )
        with transaction.atomic():
            store_transition(
                store=store,
                to_status=StoreStatus.CLOSED,
                closure=Closure.HEALTH,
                reason=reason,
                data={"failed": [line.code for line in failures]},
            )
            transaction.on_commit(functools.partial(_notify_closed, store, reason))
        closed.append(store.application.pk)
    return closed


def _notify_closed(store: Store, reason: str) -> None:
    recipients = list(store.seller.users.filter(is_active=True).values_list("email", flat=True))
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            subject=_("Jingluo Express: service closed for store %(store)s")
            % {"store": store.platform_store_id},
            message=_(
                "The fulfilment health check closed the service for store %(store)s "
                "(application %(ref)s): %(reason)s. New orders are refused until the metrics "
                "recover and our operations team reinstates the service."
            )
            % {"store": store.platform_store_id, "ref": store.reference, "reason": reason},
            from_email=None,
            recipient_list=recipients,
        )
