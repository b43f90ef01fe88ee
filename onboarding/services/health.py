"""The daily health check: close the service of an active store that fails it."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from platforms.selectors import store_metrics_latest_for_many

from ..health import health_failures
from ..models import Application, ApplicationStatus
from .applications import application_transition

S = ApplicationStatus


def applications_health_check() -> list[int]:
    """Close every active application whose latest metrics fail a threshold; e-mail the
    seller. Returns the ids closed. Safe to run twice: a closed one is not active."""
    active = list(Application.objects.filter(status=S.ACTIVE).select_related("seller"))
    latest = store_metrics_latest_for_many([(a.platform, a.store_id) for a in active])
    closed = []
    for application in active:
        failures = health_failures(latest.get((application.platform, application.store_id)))
        if not failures:
            continue
        reason = "; ".join(
            f"{line.label} {line.value} ({'≥' if line.higher_is_better else '≤'} {line.threshold})"
            for line in failures
        )
        with transaction.atomic():
            application_transition(
                application=application,
                to_status=S.CLOSED,
                reason=reason,
                data={"failed": [line.code for line in failures]},
            )
            transaction.on_commit(lambda a=application, r=reason: _notify_closed(a, r))
        closed.append(application.pk)
    return closed


def _notify_closed(application: Application, reason: str) -> None:
    recipients = list(
        application.seller.users.filter(is_active=True).values_list("email", flat=True)
    )
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            subject=_("Jingluo Express: service closed for store %(store)s")
            % {"store": application.store_id},
            message=_(
                "The fulfilment health check closed the service for store %(store)s "
                "(application %(ref)s): %(reason)s. New orders are refused until the metrics "
                "recover and our operations team reinstates the service."
            )
            % {"store": application.store_id, "ref": application.reference, "reason": reason},
            from_email=None,
            recipient_list=recipients,
        )
