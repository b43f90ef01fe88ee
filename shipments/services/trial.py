"""The trial's evaluation (DOMAIN.md §1): once the store's three free trial shipments are
settled, on-time rate ≥ 99.2 % makes the store active, if its fulfilment health self-check
passes too (DSR, return rate, label-print success from the platform's latest metrics);
anything less sends it to manual review with the figures and the failed metrics in the
audit row for operations, and the seller is told why (the application's notification).

A trial shipment is settled when it is delivered (on time or not), returned (not on time),
or overdue: its promise has passed without a delivery. A shipment cancelled before pickup
never travelled: it gives its trial slot back and is not evaluated. The rate is on-time / 3,
as the trial has three shipments.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platforms.health import health_failures, health_reason
from platforms.selectors import store_metrics_latest
from stores.locks import store_lock
from stores.models import Store, StoreStatus
from stores.services import store_transition

from ..models import Shipment, ShipmentStatus

S = ShipmentStatus
ON_TIME_THRESHOLD = Decimal("0.992")


@dataclass(frozen=True, slots=True)
class TrialVerdict:
    store_id: int
    to_status: str
    on_time: int
    total: int

    @property
    def rate_pct(self) -> Decimal:
        return (Decimal(100) * self.on_time / self.total).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


def _settled(shipment: Shipment, now: datetime.datetime) -> bool:
    if shipment.status in (S.DELIVERED, S.RETURNED):
        return True
    return shipment.promised_by is not None and shipment.promised_by < now


def _evidence(shipment: Shipment, now: datetime.datetime) -> dict:
    def iso(value):
        return value.isoformat() if value else None

    return {
        "tracking_number": shipment.tracking_number,
        "order_number": shipment.order_number,
        "status": shipment.status,
        "picked_up_at": iso(shipment.picked_up_at),
        "promised_by": iso(shipment.promised_by),
        "delivered_at": iso(shipment.delivered_at),
        "on_time": bool(shipment.on_time),
        "overdue": shipment.status != S.DELIVERED and _settled(shipment, now),
    }


def trial_evaluate(*, store: Store, now: datetime.datetime | None = None) -> TrialVerdict | None:
    """Evaluate a store's trial if it is due; returns the ``TrialVerdict`` or ``None`` (not
    in trial any more, or shipments still under way). Safe to run any number of times:
    the store's row is locked and a store no longer in trial is left alone."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = store_lock(store_id=store.pk)
        if locked.status != StoreStatus.TRIAL:
            return None
        trials = list(
            # Test-mode parcels (API test keys) never count towards the trial.
            Shipment.objects.filter(store=locked, is_trial=True, livemode=True)
            .exclude(status=S.CANCELLED)
            .order_by("created_at", "id")
        )
        if len(trials) < locked.trial_quota or not all(_settled(s, now) for s in trials):
            return None
        on_time = sum(1 for s in trials if s.status == S.DELIVERED and s.on_time)
        passed = Decimal(on_time) / len(trials) >= ON_TIME_THRESHOLD
        # The health self-check before activation (DOMAIN.md §1, 开通前完成自检): a store
        # whose DSR, return rate or label-print success is past its threshold is not
        # activated, whatever its on-time rate: operations review it.
        unhealthy = health_failures(
            store_metrics_latest(platform=locked.platform, store_id=locked.platform_store_id)
        )
        verdict = TrialVerdict(
            store_id=locked.pk,
            to_status=StoreStatus.ACTIVE if passed and not unhealthy else StoreStatus.TRIAL_REVIEW,
            on_time=on_time,
            total=len(trials),
        )
        figures = {"on_time": on_time, "total": len(trials), "rate_pct": str(verdict.rate_pct)}
        reason = (
            _(
                "Trial on-time rate %(rate_pct)s %% (%(on_time)d of %(total)d shipments on time); "
                "the threshold is 99.2 %%."
            )
            % figures
        )
        if unhealthy:
            reason += " " + _("The health self-check before activation fails: %(failures)s.") % {
                "failures": health_reason(unhealthy)
            }
        store_transition(
            store=locked,
            to_status=verdict.to_status,
            reason=reason,
            data={
                **figures,
                "threshold_pct": "99.2",
                "health_failed": [line.code for line in unhealthy],
                "shipments": [_evidence(s, now) for s in trials],
            },
        )
    store.refresh_from_db()
    return verdict


def trials_evaluate_due(*, now: datetime.datetime | None = None) -> list[TrialVerdict]:
    """The daily sweep: evaluate every store in trial whose three shipments are all
    settled (the overdue ones have no delivery event to trigger them)."""
    now = now or timezone.now()
    store_ids = (
        Shipment.objects.filter(is_trial=True, livemode=True, store__status=StoreStatus.TRIAL)
        .values_list("store_id", flat=True)
        .distinct()
    )
    verdicts = []
    for store in Store.objects.filter(pk__in=list(store_ids)):
        verdict = trial_evaluate(store=store, now=now)
        if verdict is not None:
            verdicts.append(verdict)
    return verdicts
