"""Operations' own changes to stock: a stocktake's adjustment of what is on hand."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from ..exceptions import InvalidInventoryInput, StockChanged
from ..locks import stock_lock
from ..models import MovementKind, Stock, StockMovement
from .movements import Delta, Move, stock_apply

MAX_ADJUSTMENT = 100_000


def stock_adjust(
    *,
    stock: Stock,
    delta: object,
    reason: str,
    user: User | None,
    at: datetime.datetime | None = None,
) -> StockMovement:
    """Add (or, negative, take) ``delta`` units to what is on hand, with why (a stocktake,
    damage). Refused, nothing written: no reason, 0, or taking what is promised (on hand
    would fall below reserved)."""
    at = at or timezone.now()
    if (
        isinstance(delta, bool)
        or not isinstance(delta, int)
        or delta == 0
        or abs(delta) > MAX_ADJUSTMENT
    ):
        raise InvalidInventoryInput(
            _("An adjustment is a whole number of units, not 0, at most %(max)s either way.")
            % {"max": f"{MAX_ADJUSTMENT:,}"},
            field="delta",
        )
    reason = " ".join(reason.split())[:300]
    if not reason:
        raise InvalidInventoryInput(_("Say why the stock is adjusted."), field="reason")
    with transaction.atomic():
        row = stock_lock(pairs=[(stock.warehouse_id, stock.sku_id)])[
            (stock.warehouse_id, stock.sku_id)
        ]
        try:
            (movement,) = stock_apply(
                moves=[
                    Move(
                        stock=row,
                        kind=MovementKind.ADJUSTED,
                        quantity=abs(delta),
                        delta=Delta(on_hand=delta),
                        reference=_("stocktake"),
                        reason=reason,
                    )
                ],
                actor=user,
                at=at,
            )
        except StockChanged:
            raise InvalidInventoryInput(
                _(
                    "Only %(free)s units are free (%(on_hand)s on hand, %(reserved)s promised): "
                    "taking %(taken)s would leave orders and locks without their goods."
                )
                % {
                    "free": row.free,
                    "on_hand": row.on_hand,
                    "reserved": row.reserved,
                    "taken": -delta,
                },
                field="delta",
            ) from None
    return movement
