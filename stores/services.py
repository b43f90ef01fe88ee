"""Everything that writes a store: opening it on approval, its service's transitions, its
trial counter, and its binding to our service on its platform."""

import contextlib
import datetime
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from redis.exceptions import RedisError

from notifications.services import notification_send
from platforms.hooks import MetricsImported
from platforms.selectors import store_metrics_latest, store_metrics_latest_for_many

from .exceptions import IllegalStoreTransition, StoreError
from .hooks import StoreTransition, transition_done
from .locks import store_lock
from .models import STORE_TRANSITIONS, Closure, Store, StoreEvent, StoreStatus
from .selectors import binding_cache_key

S = StoreStatus


def store_open(
    *,
    seller: Any,
    reference: str,
    platform: str,
    platform_store_id: str,
    company_name: str,
    sender_address: str,
    settlement_mode: str = "",
    actor: Any = None,
    reason: str = "",
) -> Store:
    """Open the store in trial (an application was approved). Audited like a transition.
    A store its platform already reports bound (a metrics feed came before approval) is
    confirmed at once; any other waits for the platform (``stores_binding_confirm``)."""
    now = timezone.now()
    metrics = store_metrics_latest(platform=platform, store_id=platform_store_id)
    with transaction.atomic():
        store = Store.objects.create(
            seller=seller,
            reference=reference,
            platform=platform,
            platform_store_id=platform_store_id,
            company_name=company_name,
            sender_address=sender_address,
            settlement_mode=settlement_mode,
            status=S.TRIAL,
            opened_at=now,
            bound_at=now if metrics is not None and metrics.store_bound else None,
        )
        StoreEvent.objects.create(store=store, to_status=S.TRIAL, actor=actor, reason=reason)
        _forget_binding_nudge(store.seller_id)
    return store


def store_transition(
    *,
    store: Store,
    to_status: str,
    closure: str = "",
    actor: Any = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> Store:
    """The one door for a store's service status: refuses what the table forbids (and a
    reinstatement of a store that was not closed by the health check), audits the rest,
    then runs the hooks (onboarding mirrors it on the application). Locks the row."""
    if (to_status == S.CLOSED) != bool(closure):
        raise ValueError("a store closes with a closure reason, and only then")
    with transaction.atomic():
        locked = store_lock(store_id=store.pk)
        allowed = STORE_TRANSITIONS[locked.status]
        reopening = locked.status == S.CLOSED and locked.closure != Closure.HEALTH
        if to_status not in allowed or reopening:
            raise IllegalStoreTransition(
                _("A store that is “%(from)s” cannot become “%(to)s”.")
                % {"from": S(locked.status).label, "to": S(to_status).label}
            )
        from_status = locked.status
        now = timezone.now()
        locked.status = to_status
        locked.closure = closure
        locked.status_reason = reason
        fields = ["status", "closure", "status_reason", "updated_at"]
        if to_status == S.ACTIVE and locked.activated_at is None:
            locked.activated_at = now
            fields.append("activated_at")
        locked.save(update_fields=fields)
        StoreEvent.objects.create(
            store=locked,
            from_status=from_status,
            to_status=to_status,
            actor=actor,
            reason=reason,
            data={**(data or {}), **({"closure": closure} if closure else {})},
        )
        _forget_binding_nudge(locked.seller_id)
        transition_done(
            StoreTransition(
                store=locked,
                from_status=from_status,
                to_status=to_status,
                closure=closure,
                actor=actor,
                reason=reason,
                data=data or {},
            )
        )
    for name in fields:
        setattr(store, name, getattr(locked, name))
    return store


def store_trial_use(*, store: Store, count: int = 1) -> None:
    """Count ``count`` trial shipments created for the store (inside the creating
    transaction, under the store's lock). The database refuses more than the quota."""
    if count:
        Store.objects.filter(pk=store.pk).update(trial_used=F("trial_used") + count)
        store.trial_used += count


def store_trial_release(*, store_id: int) -> None:
    """Give a trial slot back: a trial shipment was cancelled before pickup."""
    updated = Store.objects.filter(pk=store_id, trial_used__gt=0).update(
        trial_used=F("trial_used") - 1
    )
    if not updated:
        raise StoreError(_("This store has no trial shipment to give back."))


def store_sender_set(*, store: Store, name_latin: str, address_latin: str) -> Store:
    """The store's sender in Latin letters, printed on the customs declaration."""
    store.sender_name_latin = name_latin.strip()[:200]
    store.sender_address_latin = address_latin.strip()[:300]
    store.save(update_fields=["sender_name_latin", "sender_address_latin", "updated_at"])
    return store


# --- binding -----------------------------------------------------------------------------
def store_binding_claim(*, store: Store, actor: Any, at: datetime.datetime | None = None) -> Store:
    """The seller says it has bound the store on its platform: recorded (who, when) for
    operations' queue. It does not make orders pass: only the platform's report does.
    Saying it again updates the time; a store already confirmed is refused."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = store_lock(store_id=store.pk)
        if locked.bound_at is not None:
            raise StoreError(_("The platform has already confirmed the binding of this store."))
        locked.binding_claimed_at = at
        locked.binding_claimed_by = actor
        locked.save(update_fields=["binding_claimed_at", "binding_claimed_by", "updated_at"])
    store.binding_claimed_at, store.binding_claimed_by = at, actor
    return store


def stores_binding_confirm(
    *, reported: frozenset[tuple[str, str]], at: datetime.datetime | None = None
) -> list[Store]:
    """End the wait of every store still waiting whose platform now reports it bound (its
    latest snapshot, among ``reported``: the (platform, store ID) pairs a feed reported
    bound), and tell its seller. Safe to run twice: a confirmed store is not waiting.
    Returns the stores confirmed."""
    at = at or timezone.now()
    waiting = [
        store
        for store in Store.objects.filter(bound_at__isnull=True).select_related("seller")
        if (store.platform, store.platform_store_id) in reported
    ]
    if not waiting:
        return []
    latest = store_metrics_latest_for_many([(s.platform, s.platform_store_id) for s in waiting])
    confirmed = []
    with transaction.atomic():
        for store in waiting:
            metrics = latest.get((store.platform, store.platform_store_id))
            if metrics is None or not metrics.store_bound:
                continue  # a newer report still says unbound
            updated = Store.objects.filter(pk=store.pk, bound_at__isnull=True).update(
                bound_at=at, updated_at=at
            )
            if not updated:
                continue
            store.bound_at = at
            confirmed.append(store)
            _forget_binding_nudge(store.seller_id)
            notification_send(
                seller=store.seller,
                kind="store_bound",
                key=f"store:{store.pk}:bound",
                params={
                    "store": store.platform_store_id,
                    "platform": store.get_platform_display(),
                    "reference": store.reference,
                },
                url=reverse("stores:detail", args=[store.pk]),
            )
    return confirmed


def _forget_binding_nudge(seller_id: int) -> None:
    """The dashboard's "waiting for the binding" is cached: forget it once this commits."""
    key = binding_cache_key(seller_id)

    def forget() -> None:
        with contextlib.suppress(RedisError):
            cache.delete(key)

    transaction.on_commit(forget)


def stores_binding_on_import(event: MetricsImported) -> None:
    """``platforms.hooks`` → here: a metrics import reported stores bound."""
    if event.bound:
        stores_binding_confirm(reported=event.bound, at=event.at)
