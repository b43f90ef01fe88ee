"""Everything that writes a store: opening it on approval, its service's transitions, and
its trial counter."""

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import IllegalStoreTransition, StoreError
from .hooks import StoreTransition, transition_done
from .locks import store_lock
from .models import STORE_TRANSITIONS, Closure, Store, StoreEvent, StoreStatus

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
    """Open the store in trial (an application was approved). Audited like a transition."""
    now = timezone.now()
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
        )
        StoreEvent.objects.create(store=store, to_status=S.TRIAL, actor=actor, reason=reason)
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
