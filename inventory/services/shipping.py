"""What a parcel from an overseas warehouse does to its stock, through ``shipments.hooks``:
picked up by the carrier → its reserved units leave on hand (shipped); cancelled before
pickup → they are released, the campaign's part back to its lock while the lock lasts.
Also cancelling a routed order (its shipments, through shipments' cancellation)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from shipments.models import Shipment
from shipments.services import shipment_cancel, shipment_check_can_cancel

from ..exceptions import IllegalTransition
from ..locks import presale_locks_lock, stock_lock
from ..models import (
    ALLOCATION_TRANSITIONS,
    ROUTE_TRANSITIONS,
    Allocation,
    AllocationStatus,
    LockStatus,
    MovementKind,
    RoutedOrder,
    RouteStatus,
)
from .movements import Delta, Move, stock_apply


def _allocation_locked(shipment_id: int) -> Allocation | None:
    return (
        Allocation.objects.select_for_update(of=("self",))
        .select_related("order")
        .filter(shipment_id=shipment_id)
        .first()
    )


def allocation_ship(*, shipment: Shipment, at: datetime.datetime) -> Allocation | None:
    """The carrier has the parcel: its units leave the warehouse. Safe to run twice."""
    with transaction.atomic():
        allocation = _allocation_locked(shipment.pk)
        if (
            allocation is None
            or AllocationStatus.SHIPPED not in ALLOCATION_TRANSITIONS[allocation.status]
        ):
            return allocation
        lines = list(allocation.lines.select_related("stock").order_by("pk"))
        rows = stock_lock(pairs=[(line.stock.warehouse_id, line.stock.sku_id) for line in lines])
        by_stock = {row.pk: row for row in rows.values()}
        stock_apply(
            moves=[
                Move(
                    stock=by_stock[line.stock_id],
                    kind=MovementKind.SHIPPED,
                    quantity=line.quantity,
                    delta=Delta(on_hand=-line.quantity, reserved=-line.quantity),
                    reference=allocation.shipment_order_number,
                    reason=_("Picked up: %(tracking)s") % {"tracking": shipment.tracking_number},
                )
                for line in sorted(lines, key=lambda line: by_stock[line.stock_id].sku_id)
            ],
            actor=None,
            at=at,
        )
        allocation.status = AllocationStatus.SHIPPED
        allocation.changed_at = at
        allocation.save(update_fields=["status", "changed_at"])
    return allocation


def allocation_release(
    *, shipment: Shipment, at: datetime.datetime, user: User | None = None
) -> Allocation | None:
    """The parcel was cancelled before pickup: its units are free again, the campaign's
    part back in its lock while the lock is active. Safe to run twice."""
    with transaction.atomic():
        allocation = _allocation_locked(shipment.pk)
        if (
            allocation is None
            or AllocationStatus.RELEASED not in ALLOCATION_TRANSITIONS[allocation.status]
        ):
            return allocation
        lines = list(allocation.lines.select_related("stock").order_by("pk"))
        rows = stock_lock(pairs=[(line.stock.warehouse_id, line.stock.sku_id) for line in lines])
        by_stock = {row.pk: row for row in rows.values()}
        locks = presale_locks_lock(ids=[line.lock_id for line in lines if line.lock_id])
        moves = []
        for line in sorted(lines, key=lambda line: by_stock[line.stock_id].sku_id):
            back = 0
            lock = locks.get(line.lock_id) if line.lock_id else None
            if lock is not None and line.from_lock:
                lock.consumed -= line.from_lock
                if lock.status == LockStatus.ACTIVE and lock.expires_at > at:
                    lock.held += line.from_lock
                    back = line.from_lock
                else:  # the lock has ended: its units are free like the rest
                    lock.released += line.from_lock
                lock.save(update_fields=["held", "consumed", "released"])
            reason = _("Cancelled: %(tracking)s") % {"tracking": shipment.tracking_number}
            if back:
                reason += _("; %(n)s back to the presale lock") % {"n": back}
            moves.append(
                Move(
                    stock=by_stock[line.stock_id],
                    kind=MovementKind.RELEASED,
                    quantity=line.quantity,
                    delta=Delta(reserved=-(line.quantity - back)),
                    reference=allocation.shipment_order_number,
                    reason=reason,
                )
            )
        stock_apply(moves=moves, actor=user, at=at)
        allocation.status = AllocationStatus.RELEASED
        allocation.changed_at = at
        allocation.save(update_fields=["status", "changed_at"])
        _route_cancelled_when_all_released(allocation.order, at=at)
    return allocation


def _route_cancelled_when_all_released(route: RoutedOrder, *, at: datetime.datetime) -> None:
    """A routed order whose every parcel was cancelled is cancelled."""
    if route.allocations.exclude(status=AllocationStatus.RELEASED).exists():
        return
    RoutedOrder.objects.filter(pk=route.pk, status=RouteStatus.ROUTED).update(
        status=RouteStatus.CANCELLED, cancelled_at=at
    )


def route_cancel(
    *,
    route: RoutedOrder,
    user: User | None,
    reason: str = "",
    at: datetime.datetime | None = None,
) -> RoutedOrder:
    """Cancel a routed order: every one of its shipments is cancelled (and refunded) and
    its stock released, or nothing is when one has been picked up already."""
    at = at or timezone.now()
    if RouteStatus.CANCELLED not in ROUTE_TRANSITIONS[route.status]:
        raise IllegalTransition(_("This order is already cancelled."))
    shipments = [
        allocation.shipment
        for allocation in route.allocations.select_related("shipment").order_by("position")
        if allocation.shipment is not None and allocation.status != AllocationStatus.RELEASED
    ]
    for shipment in shipments:  # a parcel picked up already: nothing is cancelled
        shipment_check_can_cancel(shipment=shipment)
    with transaction.atomic():
        for shipment in shipments:  # the hook releases each one's stock
            shipment_cancel(shipment=shipment, user=user, reason=reason, at=at)
        RoutedOrder.objects.filter(pk=route.pk, status=RouteStatus.ROUTED).update(
            status=RouteStatus.CANCELLED, cancelled_at=at
        )
    route.refresh_from_db(fields=["status", "cancelled_at"])
    return route
