"""What shipments tell a seller's systems (webhooks out, ``webhooks.services``): the payload
of each event, built here from the rows, the same shape as the API shows them. Called
inside the transaction that made the change, so an event is sent only if it committed."""

import datetime
from collections.abc import Sequence
from typing import Any

from webhooks.models import EventType
from webhooks.services import webhook_emit, webhook_emit_many

from ..models import RefusedOrder, Shipment


def _time(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def shipment_summary(shipment: Shipment) -> dict[str, Any]:
    """A shipment in the few fields an ERP keys on: the API's detail has the rest."""
    return {
        "tracking_number": shipment.tracking_number,
        "order_number": shipment.order_number,
        "status": shipment.status,
        "livemode": shipment.livemode,
        "country": shipment.country,
        "charge": str(shipment.charge),
        "currency": "CNY",
        "created_at": _time(shipment.created_at),
        "promised_by": _time(shipment.promised_by),
    }


def _by_account(rows: Sequence[Any]) -> dict[tuple[Any, bool], list[Any]]:
    groups: dict[tuple[Any, bool], list[Any]] = {}
    for row in rows:
        groups.setdefault((row.seller_id, row.livemode), []).append(row)
    return groups


def shipment_created_emit(shipments: Sequence[Shipment]) -> None:
    for (seller_id, livemode), group in _by_account(shipments).items():
        webhook_emit_many(
            seller_id=seller_id,
            livemode=livemode,
            type=EventType.SHIPMENT_CREATED,
            data=[shipment_summary(s) for s in group],
        )


def refusal_data(refusal: RefusedOrder) -> dict[str, Any]:
    return {
        "order_number": refusal.order_number,
        "code": refusal.check_code,
        "detail": refusal.message,
        "evidence": refusal.evidence,
        "livemode": refusal.livemode,
        "refused_at": _time(refusal.at),
    }


def shipment_refused_emit(refusals: Sequence[RefusedOrder]) -> None:
    for (seller_id, livemode), group in _by_account(refusals).items():
        webhook_emit_many(
            seller_id=seller_id,
            livemode=livemode,
            type=EventType.SHIPMENT_REFUSED,
            data=[refusal_data(r) for r in group],
        )


def tracker_updated_emit(
    shipment: Shipment,
    *,
    from_status: str,
    at: datetime.datetime,
    location: str = "",
    description: str = "",
) -> None:
    webhook_emit(
        seller_id=shipment.seller_id,
        livemode=shipment.livemode,
        type=EventType.TRACKER_UPDATED,
        data={
            **shipment_summary(shipment),
            "previous_status": from_status,
            "at": _time(at),
            "location": location,
            "description": description,
        },
    )


def trackers_updated_emit(
    shipments: Sequence[Shipment], *, from_status: str, at: datetime.datetime
) -> None:
    for (seller_id, livemode), group in _by_account(shipments).items():
        webhook_emit_many(
            seller_id=seller_id,
            livemode=livemode,
            type=EventType.TRACKER_UPDATED,
            data=[
                {
                    **shipment_summary(s),
                    "previous_status": from_status,
                    "at": _time(at),
                    "location": "",
                    "description": "",
                }
                for s in group
            ],
        )


def customs_held_emit(shipment: Shipment) -> None:
    webhook_emit(
        seller_id=shipment.seller_id,
        livemode=shipment.livemode,
        type=EventType.CUSTOMS_HELD,
        data={
            **shipment_summary(shipment),
            "customs_since": _time(shipment.customs_since),
            "expected_clearance_hours": shipment.customs_clearance_hours,
        },
    )
