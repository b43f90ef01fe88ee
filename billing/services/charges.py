"""The charge of each new shipment, and its refund when the shipment is cancelled before
pickup.

An instant-debit seller's charge is taken from the prepaid balance in the transaction that
creates the shipment; a monthly seller's accrues to the open period (the calendar month of
the shipment's creation, Asia/Shanghai) and is billed when that month closes. A trial
shipment (charge 0) records nothing. Keys: ``charge:shipment:<id>``,
``refund:shipment:<id>``.
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone

from ..locks import account_lock
from ..models import EntryKind, LedgerEntry, SettlementMode
from .ledger import ledger_entries_append, period_of


def charge_key(shipment_id: int) -> str:
    return f"charge:shipment:{shipment_id}"


def refund_key(shipment_id: int) -> str:
    return f"refund:shipment:{shipment_id}"


class ChargedShipment(Protocol):
    """What billing records of a shipment it charges: shipments hand their rows over,
    billing copies these onto the ledger (and the statement copies them from there)."""

    pk: Any
    order_number: str
    tracking_number: str
    created_at: datetime.datetime
    charge: Decimal | None
    base: Decimal | None
    fulfillment_adjustment: Decimal | None
    peak_adjustment: Decimal | None
    green_discount: Decimal | None


def _describe(order_number: str, tracking_number: str) -> str:
    return f"{order_number} · {tracking_number}"[:255]


def shipment_charges_record(*, seller, shipments: Sequence[ChargedShipment]) -> list[LedgerEntry]:
    """Record the charges of shipments just created for one account (``ctx.seller``),
    inside the creating transaction: one lock, one bulk insert, one balance update.

    An instant-debit seller's balance is debited (``InsufficientBalance`` if it would go
    below zero, which rolls the creation back); a monthly seller's charges accrue to the
    open period. Recording the same shipment twice records it once."""
    charged = [s for s in shipments if s.charge and s.charge > 0]
    if not charged:
        return []
    with transaction.atomic(savepoint=False):
        account = account_lock(seller=seller)
        instant = account.mode == SettlementMode.INSTANT
        entries = [
            LedgerEntry(
                kind=EntryKind.CHARGE,
                mode=account.mode,
                amount=-(shipment.charge or Decimal(0)),
                period=None if instant else period_of(shipment.created_at),
                key=charge_key(shipment.pk),
                shipment_id=shipment.pk,
                order_number=shipment.order_number,
                tracking_number=shipment.tracking_number,
                base=shipment.base,
                fulfillment_adjustment=shipment.fulfillment_adjustment,
                peak_adjustment=shipment.peak_adjustment,
                green_discount=shipment.green_discount,
                note=_describe(shipment.order_number, shipment.tracking_number),
                at=shipment.created_at,
            )
            for shipment in charged
        ]
        return ledger_entries_append(seller=seller, entries=entries, account=account)


def shipment_charge_refund(
    *, shipment: ChargedShipment, user=None, at: datetime.datetime | None = None
) -> LedgerEntry | None:
    """Give back the charge of a shipment cancelled before pickup, in the settlement it
    was charged in: an instant charge goes back to the prepaid balance; a monthly charge
    is offset by a refund entry in the open period (on the same statement as the charge
    when its month is still open, else as a credit line on the next statement).

    Returns the refund entry, or ``None`` when nothing was charged (a trial shipment) or
    the refund exists already (cancelling twice refunds once)."""
    charge = LedgerEntry.objects.filter(key=charge_key(shipment.pk)).first()
    if charge is None:
        return None
    at = at or timezone.now()
    instant = charge.mode == SettlementMode.INSTANT
    entry = LedgerEntry(
        kind=EntryKind.REFUND,
        mode=charge.mode,
        amount=-charge.amount,
        period=None if instant else period_of(at),
        key=refund_key(shipment.pk),
        shipment_id=shipment.pk,
        order_number=charge.order_number,
        tracking_number=charge.tracking_number,
        note=_describe(charge.order_number, charge.tracking_number),
        at=at,
        created_by=user,
    )
    appended = ledger_entries_append(seller=charge.seller, entries=[entry])
    return appended[0] if appended else None
