"""Presale campaigns and their stock locks (see ``models.presale``): lock from stock on hand
first, then from goods still inbound; release at expiry (``presale_locks_expire``, the
Celery beat task) or by the seller."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Seller, User
from core.normalise import normalise_code, normalise_free_text

from ..exceptions import IllegalTransition, InvalidInventoryInput
from ..locks import presale_locks_lock, stock_lock, stock_lock_one
from ..models import (
    LOCK_TRANSITIONS,
    Campaign,
    LockStatus,
    MovementKind,
    PresaleLock,
    Sku,
    Stock,
    Warehouse,
)
from .common import quantity_clean
from .movements import Delta, Move, stock_apply, stock_rows_ensure

MAX_LOCK_DAYS = 366
EXPIRE_BATCH = 500


def campaign_get_or_create(*, seller: Seller, code: str, name: str = "") -> Campaign:
    """The seller's campaign ``code`` (upper case, no spaces), created when new."""
    code = normalise_code(code)
    if not code or len(code) > 40:
        raise InvalidInventoryInput(
            _("A campaign code has 1 to 40 letters or digits, e.g. BF2026."), field="campaign"
        )
    name = normalise_free_text(name)[:100] or code
    try:
        with transaction.atomic():
            campaign, _created = Campaign.objects.get_or_create(
                seller=seller, code=code, defaults={"name": name}
            )
    except IntegrityError:  # created by another request meanwhile
        campaign = Campaign.objects.get(seller=seller, code=code)
    return campaign


def presale_lock_create(
    *,
    campaign: Campaign,
    warehouse: Warehouse,
    sku: Sku,
    quantity: object,
    expires_at: datetime.datetime,
    user: User | None = None,
    at: datetime.datetime | None = None,
) -> PresaleLock:
    """Lock ``quantity`` of ``sku`` in ``warehouse`` for ``campaign`` until ``expires_at``:
    from free stock on hand first, then from free goods still inbound. Refused (nothing
    written) for more than those two together, a past or too distant expiry, another
    seller's SKU or campaign, or an inactive warehouse."""
    at = at or timezone.now()
    units = quantity_clean(quantity)
    if sku.seller_id != campaign.seller_id:
        raise InvalidInventoryInput(_("This SKU is not yours."), field="sku")
    if not warehouse.is_active:
        raise InvalidInventoryInput(
            _("Warehouse %(code)s takes no locks now.") % {"code": warehouse.code},
            field="warehouse",
        )
    if expires_at.tzinfo is None or expires_at <= at:
        raise InvalidInventoryInput(_("The lock must expire in the future."), field="expires_at")
    if expires_at > at + datetime.timedelta(days=MAX_LOCK_DAYS):
        raise InvalidInventoryInput(
            _("A lock lasts at most %(days)s days.") % {"days": MAX_LOCK_DAYS},
            field="expires_at",
        )
    with transaction.atomic():
        stock_rows_ensure(pairs=[(warehouse.pk, sku.pk)])
        stock = stock_lock(pairs=[(warehouse.pk, sku.pk)])[(warehouse.pk, sku.pk)]
        free, free_inbound = stock.free, stock.free_inbound
        if units > free + free_inbound:
            raise InvalidInventoryInput(
                _(
                    "Only %(free)s of %(sku)s are free in %(warehouse)s (%(on_hand)s on hand "
                    "and %(inbound)s inbound not yet promised): a lock of %(asked)s is too big."
                )
                % {
                    "free": free + free_inbound,
                    "sku": sku.code,
                    "warehouse": warehouse.code,
                    "on_hand": free,
                    "inbound": free_inbound,
                    "asked": units,
                },
                field="quantity",
            )
        held = min(units, free)
        awaiting = units - held
        lock = PresaleLock.objects.create(
            campaign=campaign,
            stock=stock,
            quantity=units,
            held=held,
            awaiting=awaiting,
            expires_at=expires_at,
            created_by=user,
            created_at=at,
        )
        stock_apply(
            moves=[
                Move(
                    stock=stock,
                    kind=MovementKind.RESERVED,
                    quantity=units,
                    delta=Delta(reserved=held, inbound_locked=awaiting),
                    reference=_lock_reference(lock),
                    reason=_("Locked for presale %(campaign)s until %(until)s")
                    % {
                        "campaign": campaign.code,
                        "until": f"{timezone.localtime(expires_at):%Y-%m-%d %H:%M}",
                    },
                )
            ],
            actor=user,
            at=at,
        )
    return lock


def _lock_reference(lock: PresaleLock) -> str:
    return f"LOCK-{lock.pk}"


def presale_lock_end(
    *,
    lock: PresaleLock,
    to_status: str,
    user: User | None = None,
    at: datetime.datetime | None = None,
) -> PresaleLock:
    """End an active lock (expired, or released by the seller): what it still holds goes
    back to free stock on hand, what it awaited to free stock inbound. Safe to run twice:
    an ended lock is left as it is (an expiry), or refused (a release)."""
    at = at or timezone.now()
    with transaction.atomic():
        stock = stock_lock_one(stock_id=lock.stock_id)
        locked = presale_locks_lock(ids=[lock.pk])[lock.pk]
        if to_status not in LOCK_TRANSITIONS[locked.status]:
            if to_status == LockStatus.EXPIRED:
                return locked
            raise IllegalTransition(_("This lock has already ended."))
        if to_status == LockStatus.EXPIRED and locked.expires_at > at:
            return locked  # extended meanwhile, or not yet due
        held, awaiting = locked.held, locked.awaiting
        locked.released += held + awaiting
        locked.held = locked.awaiting = 0
        locked.status = to_status
        locked.ended_at = at
        locked.save(update_fields=["held", "awaiting", "released", "status", "ended_at"])
        reason = (
            _("Presale lock expired") if to_status == LockStatus.EXPIRED else _("Lock released")
        )
        stock_apply(
            moves=[
                Move(
                    stock=stock,
                    kind=MovementKind.RELEASED,
                    quantity=held + awaiting,
                    delta=Delta(reserved=-held, inbound_locked=-awaiting),
                    reference=_lock_reference(locked),
                    reason=reason,
                )
            ],
            actor=user,
            at=at,
        )
    return locked


def presale_lock_release(
    *, lock: PresaleLock, user: User | None, at: datetime.datetime | None = None
) -> PresaleLock:
    return presale_lock_end(lock=lock, to_status=LockStatus.RELEASED, user=user, at=at)


def presale_locks_expire(*, now: datetime.datetime | None = None) -> int:
    """End every active lock past its expiry, each in its own transaction (a batch at a
    time). Returns how many ended."""
    now = now or timezone.now()
    ended = 0
    due = list(
        PresaleLock.objects.filter(status=LockStatus.ACTIVE, expires_at__lte=now)
        .order_by("expires_at", "pk")
        .values_list("pk", "stock_id")[:EXPIRE_BATCH]
    )
    for pk, stock_id in due:
        lock = PresaleLock(pk=pk, stock_id=stock_id)
        if presale_lock_end(lock=lock, to_status=LockStatus.EXPIRED, at=now).ended_at == now:
            ended += 1
    return ended


def lock_usable(*, lock: PresaleLock, at: datetime.datetime) -> bool:
    return lock.status == LockStatus.ACTIVE and lock.expires_at > at


def stock_of(*, warehouse: Warehouse, sku: Sku) -> Stock | None:
    return Stock.objects.filter(warehouse=warehouse, sku=sku).first()
