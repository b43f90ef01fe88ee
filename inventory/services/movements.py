"""The one door through which stock levels change: ``stock_apply`` updates each (locked)
stock row with a conditional UPDATE — the last guard: the levels after the change must
keep on hand ≥ reserved ≥ 0 and inbound ≥ inbound locked ≥ 0, else nothing is written and
``StockChanged`` is raised — and appends one movement per change, in the same transaction.
The database's CHECKs stand behind it."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F

from accounts.models import User

from ..exceptions import StockChanged
from ..models import Stock, StockMovement


@dataclass(frozen=True, slots=True)
class Delta:
    on_hand: int = 0
    reserved: int = 0
    inbound: int = 0
    inbound_locked: int = 0

    def __bool__(self) -> bool:
        return any((self.on_hand, self.reserved, self.inbound, self.inbound_locked))


@dataclass(frozen=True, slots=True)
class Move:
    stock: Stock
    kind: str  # MovementKind
    quantity: int
    delta: Delta
    reference: str = ""
    reason: str = ""


def stock_apply(
    *, moves: Sequence[Move], actor: User | None, at: datetime.datetime
) -> list[StockMovement]:
    """Apply ``moves`` in order (their rows locked by the caller, ``locks.stock_lock``) and
    append their movements. Updates each ``Stock`` object in place."""
    movements = []
    for move in moves:
        d, stock = move.delta, move.stock
        if d:
            changed = Stock.objects.filter(
                pk=stock.pk,
                on_hand__gte=F("reserved") + (d.reserved - d.on_hand),
                reserved__gte=-d.reserved,
                inbound__gte=F("inbound_locked") + (d.inbound_locked - d.inbound),
                inbound_locked__gte=-d.inbound_locked,
            ).update(
                on_hand=F("on_hand") + d.on_hand,
                reserved=F("reserved") + d.reserved,
                inbound=F("inbound") + d.inbound,
                inbound_locked=F("inbound_locked") + d.inbound_locked,
                updated_at=at,
            )
            if changed != 1:
                raise StockChanged()
            stock.on_hand += d.on_hand
            stock.reserved += d.reserved
            stock.inbound += d.inbound
            stock.inbound_locked += d.inbound_locked
        movements.append(
            StockMovement(
                stock=stock,
                kind=move.kind,
                quantity=move.quantity,
                on_hand_delta=d.on_hand,
                reserved_delta=d.reserved,
                inbound_delta=d.inbound,
                inbound_locked_delta=d.inbound_locked,
                reference=move.reference[:80],
                reason=move.reason[:300],
                actor=actor,
                at=at,
            )
        )
    return StockMovement.objects.bulk_create(movements)


def stock_rows_ensure(*, pairs: Sequence[tuple[int, int]]) -> None:
    """Create the missing stock rows of these (warehouse id, SKU id) pairs, all levels 0
    (an upsert on the unique pair: two at once create one row)."""
    Stock.objects.bulk_create(
        [Stock(warehouse_id=w, sku_id=s) for w, s in sorted(set(pairs))], ignore_conflicts=True
    )
