"""Inbound notices (ASN): a seller declares goods on their way to a warehouse (stock's
``inbound`` grows); operations receive them, partially or in full (``on_hand`` grows, and
presale locks waiting for those goods take them); closing a notice records each line's
difference and takes what never arrived off ``inbound`` (shrinking the locks that waited
for it, newest first)."""

import datetime
from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Seller, User

from ..exceptions import IllegalTransition, InvalidInventoryInput
from ..locks import presale_locks_lock, stock_lock
from ..models import (
    INBOUND_TRANSITIONS,
    Inbound,
    InboundLine,
    InboundStatus,
    LockStatus,
    MovementKind,
    PresaleLock,
    Stock,
    Warehouse,
)
from .common import SkuQuantity, lines_resolve, reference_clean
from .movements import Delta, Move, stock_apply, stock_rows_ensure

MAX_NOTE = 1000


def inbound_declare(
    *,
    seller: Seller,
    warehouse: Warehouse,
    lines: Sequence[SkuQuantity],
    reference: str = "",
    expected_on: datetime.date | None = None,
    user: User | None = None,
    at: datetime.datetime | None = None,
) -> Inbound:
    """Declare goods on their way to ``warehouse``: refused (nothing written) for an
    inactive warehouse, an unknown SKU or a quantity out of range."""
    at = at or timezone.now()
    if not warehouse.is_active:
        raise InvalidInventoryInput(
            _("Warehouse %(code)s takes no goods now.") % {"code": warehouse.code},
            field="warehouse",
        )
    resolved = lines_resolve(seller=seller, lines=lines)
    with transaction.atomic():
        inbound = Inbound.objects.create(
            seller=seller,
            warehouse=warehouse,
            reference=reference_clean(reference),
            expected_on=expected_on,
            created_by=user,
            created_at=at,
        )
        InboundLine.objects.bulk_create(
            InboundLine(inbound=inbound, sku=sku, declared=quantity) for sku, quantity in resolved
        )
        pairs = [(warehouse.pk, sku.pk) for sku, _quantity in resolved]
        stock_rows_ensure(pairs=pairs)
        rows = stock_lock(pairs=pairs)
        stock_apply(
            moves=[
                Move(
                    stock=rows[(warehouse.pk, sku.pk)],
                    kind=MovementKind.INBOUND,
                    quantity=quantity,
                    delta=Delta(inbound=quantity),
                    reference=inbound.number,
                    reason=_("Declared on its way"),
                )
                for sku, quantity in sorted(resolved, key=lambda pair: pair[0].pk)
            ],
            actor=user,
            at=at,
        )
    return inbound


def inbound_receive(
    *,
    inbound: Inbound,
    quantities: Mapping[int, int],
    close: bool = False,
    note: str = "",
    user: User | None = None,
    at: datetime.datetime | None = None,
) -> Inbound:
    """Receive ``quantities`` (line id → units arrived now, 0 or more) into the warehouse;
    ``close`` ends the notice, recording each line's difference (declared − received).

    Refused, with nothing written: a closed notice, a line not of this notice, a negative
    quantity, or receiving more than a line declared."""
    at = at or timezone.now()
    with transaction.atomic():
        inbound = Inbound.objects.select_for_update().get(pk=inbound.pk)
        if inbound.status == InboundStatus.CLOSED:
            raise IllegalTransition(
                _("%(number)s is closed: nothing more can be received.")
                % {"number": inbound.number}
            )
        lines = {line.pk: line for line in inbound.lines.select_related("sku").order_by("pk")}
        for line_id, quantity in quantities.items():
            line = lines.get(line_id)
            if line is None:
                raise InvalidInventoryInput(_("That line is not on this notice."), field="lines")
            if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
                raise InvalidInventoryInput(
                    _("A received quantity is a whole number, 0 or more."), field="lines"
                )
            if line.received + quantity > line.declared:
                raise InvalidInventoryInput(
                    _(
                        "%(sku)s: %(received)s received and %(now)s more would exceed the "
                        "%(declared)s declared. Receive at most %(left)s; declare the rest "
                        "on a new notice."
                    )
                    % {
                        "sku": line.sku.code,
                        "received": line.received,
                        "now": quantity,
                        "declared": line.declared,
                        "left": line.declared - line.received,
                    },
                    field="lines",
                )
        arriving = {pk: q for pk, q in quantities.items() if q > 0}
        if not arriving and not close:
            raise InvalidInventoryInput(
                _("Enter what arrived, or close the notice."), field="lines"
            )
        warehouse_id = inbound.warehouse_id
        rows = stock_lock(pairs=[(warehouse_id, line.sku_id) for line in lines.values()])
        waiting = _locks_waiting(list(rows.values()))
        moves: list[Move] = []
        for line in sorted(lines.values(), key=lambda line: line.sku_id):
            stock = rows[(warehouse_id, line.sku_id)]
            locks = waiting.get(stock.pk, [])
            # The row's inbound levels as this notice leaves them (one line per SKU).
            inbound_left, locked_left = stock.inbound, stock.inbound_locked
            quantity = arriving.get(line.pk, 0)
            if quantity:
                taken = _locks_take_arrivals(locks, quantity)
                inbound_left -= quantity
                locked_left -= taken
                reason = _("Received by the warehouse")
                if taken:
                    reason += _("; %(n)s for presale locks") % {"n": taken}
                moves.append(
                    Move(
                        stock=stock,
                        kind=MovementKind.RECEIVED,
                        quantity=quantity,
                        delta=Delta(
                            on_hand=quantity,
                            inbound=-quantity,
                            reserved=taken,
                            inbound_locked=-taken,
                        ),
                        reference=inbound.number,
                        reason=reason,
                    )
                )
                line.received += quantity
            if close:
                short = line.declared - line.received
                line.difference = short
                if short:
                    # Locks cannot wait for more than is still on its way.
                    shrink = max(0, locked_left - (inbound_left - short))
                    _locks_shrink(locks, shrink)
                    reason = _("Closed short: %(n)s never arrived") % {"n": short}
                    if shrink:
                        reason += _("; presale locks cut by %(n)s") % {"n": shrink}
                    moves.append(
                        Move(
                            stock=stock,
                            kind=MovementKind.ADJUSTED,
                            quantity=short,
                            delta=Delta(inbound=-short, inbound_locked=-shrink),
                            reference=inbound.number,
                            reason=reason,
                        )
                    )
        stock_apply(moves=moves, actor=user, at=at)
        for locks in waiting.values():
            for lock in locks:
                lock.save(update_fields=["held", "awaiting", "released"])
        InboundLine.objects.bulk_update(list(lines.values()), ["received", "difference"])
        to_status = InboundStatus.CLOSED if close else InboundStatus.PARTIAL
        if to_status not in INBOUND_TRANSITIONS[inbound.status]:  # not reached: closed above
            raise IllegalTransition()
        inbound.status = to_status
        fields = ["status"]
        if close:
            inbound.closed_at, inbound.closed_by = at, user
            fields += ["closed_at", "closed_by"]
        if note.strip():
            inbound.note = (inbound.note + "\n" + note.strip()).strip()[:MAX_NOTE]
            fields.append("note")
        inbound.save(update_fields=fields)
    return inbound


def _locks_waiting(stocks: list[Stock]) -> dict[int, list[PresaleLock]]:
    """Active locks still waiting for inbound goods at these stock rows, locked, oldest
    first, by stock id."""
    ids = list(
        PresaleLock.objects.filter(
            stock__in=stocks, status=LockStatus.ACTIVE, awaiting__gt=0
        ).values_list("pk", flat=True)
    )
    locked = presale_locks_lock(ids=ids)
    by_stock: dict[int, list[PresaleLock]] = {}
    for lock in sorted(locked.values(), key=lambda lock: (lock.created_at, lock.pk)):
        by_stock.setdefault(lock.stock_id, []).append(lock)
    return by_stock


def _locks_take_arrivals(locks: list[PresaleLock], quantity: int) -> int:
    """Arrived goods go to the locks waiting for them, oldest first. Returns how many."""
    taken = 0
    for lock in locks:
        part = min(lock.awaiting, quantity - taken)
        lock.awaiting -= part
        lock.held += part
        taken += part
    return taken


def _locks_shrink(locks: list[PresaleLock], quantity: int) -> None:
    """Goods that will never arrive leave the locks waiting for them, newest first."""
    left = quantity
    for lock in reversed(locks):
        part = min(lock.awaiting, left)
        lock.awaiting -= part
        lock.released += part
        left -= part
