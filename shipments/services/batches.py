"""Batches of orders from a seller's system (``POST /api/v1/batches``): up to 1,000 orders,
created by a Celery worker in committed chunks, with a result per order.

The same policy as a bulk file (``imports``): valid orders are created, every other one gets
its reason (not valid, a duplicate, or the gate's refusal, recorded as a ``RefusedOrder``);
each chunk is one transaction that locks the store and the settlement account, loads the
account's facts once, runs the gate on each order (``gate.created`` keeps the trial quota
and the balance right for the next one), numbers its shipments with one query and writes
them with one COPY. A crash loses at most the chunk in flight; the task resumes after the
last committed chunk, so nothing is created or charged twice.
"""

import datetime
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.exceptions import InsufficientBalance
from billing.locks import account_lock
from billing.services import shipment_charges_record
from core import crypto
from core.gate import Parcel, gate
from core.tasks import enqueue_on_commit
from core.timezones import shanghai_date
from customs.selectors import currencies_known
from stores.locks import store_lock
from stores.selectors import store_for_orders
from stores.services import store_trial_use

from ..exceptions import InvalidOrder, ShipmentError
from ..models import BatchStatus, RefusedOrder, Shipment, ShipmentBatch, ShipmentItem
from ..s10 import tracking_numbers
from .creation import (
    Recipient,
    order_number_clean,
    order_seller,
    order_store,
    parcel_build,
    shipment_build,
    shipment_items_build,
)
from .events import shipment_created_emit, shipment_refused_emit
from .imports.run import _shipments_insert

MAX_BATCH_ORDERS = 1000
BATCH_CHUNK = 500
STUCK_QUEUED_AFTER = datetime.timedelta(minutes=10)
STUCK_RUNNING_AFTER = datetime.timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class OrderInput:
    """One order as a seller's system sends it (the API checked its shape: types, required
    fields, no unknown field); ``parcel`` checks its values as the form and files do."""

    order_number: str
    origin: str
    country: str
    postcode: str
    weight_g: int
    recipient: Recipient
    state: str = ""
    dims_cm: tuple[Decimal, Decimal, Decimal] | None = None
    items: tuple[dict[str, Any], ...] = ()
    incoterm: str = "DDU"
    ioss_number: str = ""
    uk_vat_number: str = ""
    green: bool = False

    def parcel(self, *, currencies: frozenset[str] | None = None) -> Parcel:
        """The checked parcel, or ``InvalidOrder`` naming the field (``items[2].hs_code``)."""
        return parcel_build(
            origin=self.origin,
            country=self.country,
            postcode=self.postcode,
            weight_g=self.weight_g,
            dims_cm=self.dims_cm,
            green=self.green,
            items=list(self.items),
            state=self.state,
            city=self.recipient.city,
            address=self.recipient.address,
            incoterm=self.incoterm,
            ioss_number=self.ioss_number,
            uk_vat_number=self.uk_vat_number,
            currencies=currencies,
        )

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["dims_cm"] = [str(side) for side in self.dims_cm] if self.dims_cm else None
        data["items"] = [dict(item) for item in self.items]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "OrderInput":
        dims = data.get("dims_cm")
        return cls(
            **{
                **data,
                "recipient": Recipient(**data["recipient"]),
                "dims_cm": (Decimal(dims[0]), Decimal(dims[1]), Decimal(dims[2])) if dims else None,
                "items": tuple(data.get("items") or ()),
            }
        )


def shipment_batch_create(
    *, seller: Any, orders: Sequence[OrderInput], livemode: bool = True
) -> ShipmentBatch:
    """Store the orders (encrypted) and queue their creation; ``ShipmentError`` for an empty
    batch or one of more than ``MAX_BATCH_ORDERS`` orders (nothing stored)."""
    if not orders:
        raise ShipmentError(_("A batch has at least one order."))
    if len(orders) > MAX_BATCH_ORDERS:
        raise ShipmentError(
            _("A batch has at most %(max)s orders (%(count)s given): split it.")
            % {"max": MAX_BATCH_ORDERS, "count": len(orders)}
        )
    payload = json.dumps([order.as_json() for order in orders], ensure_ascii=False)
    with transaction.atomic():
        batch = ShipmentBatch.objects.create(
            seller=seller,
            store=store_for_orders(seller=seller),
            livemode=livemode,
            orders_total=len(orders),
            orders_encrypted=crypto.encrypt(payload.encode()),
        )
        _enqueue(batch.pk)
    return batch


def _enqueue(batch_id: int) -> None:
    from ..tasks import batch_run

    enqueue_on_commit(batch_run, batch_id)


def shipment_batches_requeue_stuck(*, now: datetime.datetime | None = None) -> list[int]:
    """Send again batches never picked up (the broker was down) or whose worker died."""
    now = now or timezone.now()
    stuck = ShipmentBatch.objects.filter(
        Q(status=BatchStatus.QUEUED, created_at__lt=now - STUCK_QUEUED_AFTER)
        | Q(status=BatchStatus.RUNNING, started_at__lt=now - STUCK_RUNNING_AFTER)
    )
    ids = list(stuck.values_list("pk", flat=True)[:100])
    for batch_id in ids:
        _enqueue(batch_id)
    return ids


class _Superseded(Exception):
    """Another run of the same batch is ahead of this one."""


def shipment_batch_run(
    *, batch_id: int, at: datetime.datetime | None = None, chunk: int = BATCH_CHUNK
) -> ShipmentBatch | None:
    """Create the batch's orders from where it stopped; ``None`` when it is finished (a task
    delivered twice does nothing)."""
    batch = ShipmentBatch.objects.select_related("seller").filter(pk=batch_id).first()
    if batch is None or batch.status not in (BatchStatus.QUEUED, BatchStatus.RUNNING):
        return None
    if batch.status == BatchStatus.QUEUED:
        batch.status = BatchStatus.RUNNING
        batch.started_at = timezone.now()
        batch.save(update_fields=["status", "started_at"])
    orders = [
        OrderInput.from_json(data)
        for data in json.loads(crypto.decrypt(bytes(batch.orders_encrypted)))
    ]
    seen = {r["order_number"]: r["index"] for r in batch.results if r.get("order_number")}
    try:
        for offset in range(batch.orders_done, len(orders), chunk):
            _chunk_commit(batch, orders[offset : offset + chunk], offset, seen, at)
    except _Superseded:
        return None
    with transaction.atomic():
        locked = ShipmentBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status == BatchStatus.RUNNING:
            locked.status = BatchStatus.DONE
            locked.finished_at = timezone.now()
            locked.orders_encrypted = b""  # the recipients' data is no longer needed
            locked.save(update_fields=["status", "finished_at", "orders_encrypted"])
    return locked


def shipment_batch_fail(*, batch_id: int, reason: str) -> None:
    """Stop a batch for good; what its committed chunks created stays, with its results."""
    ShipmentBatch.objects.filter(
        pk=batch_id, status__in=[BatchStatus.QUEUED, BatchStatus.RUNNING]
    ).update(
        status=BatchStatus.FAILED, error=reason, finished_at=timezone.now(), orders_encrypted=b""
    )


def _chunk_commit(batch, orders, offset, seen, at) -> None:
    """One chunk in one transaction; an order number taken by another request meanwhile
    (unique constraint) or a balance taken by another store's order rolls the chunk back,
    and the second attempt sees it and reports or refuses the order."""
    for attempt in (1, 2):
        seen_before = dict(seen)
        try:
            with transaction.atomic():
                _chunk_process(batch, orders, offset, seen, at)
            return
        except (IntegrityError, InsufficientBalance):
            seen.clear()
            seen.update(seen_before)
            if attempt == 2:
                raise


def _result(index: int, order_number: str, status: str, **fields: Any) -> dict[str, Any]:
    return {"index": index, "order_number": order_number, "status": status, **fields}


def _chunk_process(batch: ShipmentBatch, orders: list[OrderInput], offset: int, seen, at) -> None:
    locked = ShipmentBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.orders_done != offset or locked.status != BatchStatus.RUNNING:
        raise _Superseded
    seller = batch.seller
    store = store_lock(store_id=batch.store_id) if batch.store_id else None
    if batch.livemode:
        account_lock(seller=seller)  # the balance the gate reads stays this chunk's
    account = gate.context(seller=seller, store=store, parcel=None, at=at or timezone.now())
    currencies = currencies_known(shanghai_date(account.at))
    existing = set(
        Shipment.objects.filter(
            seller=seller,
            livemode=batch.livemode,
            order_number__in=[order.order_number.strip() for order in orders],
        ).values_list("order_number", flat=True)
    )
    results: list[dict[str, Any]] = []
    created: list[tuple[Shipment, Parcel, int]] = []
    refused: list[RefusedOrder] = []
    for index, order in enumerate(orders, offset):
        number = order.order_number.strip()
        try:
            number = order_number_clean(order.order_number)
            parcel = order.parcel(currencies=currencies)
        except InvalidOrder as error:
            results.append(
                _result(index, number, "invalid", field=error.field, detail=str(error.message))
            )
            continue
        first = seen.setdefault(number, index)
        if number in existing or first != index:
            results.append(
                _result(
                    index,
                    number,
                    "duplicate",
                    detail=_("A shipment for order %(order)s already exists.") % {"order": number},
                )
            )
            continue
        ctx = gate.with_parcel(account, parcel=parcel, order_number=number)
        cause = gate.run(ctx).root_cause
        if cause is not None:
            refused.append(
                RefusedOrder(
                    seller=order_seller(ctx),
                    store=order_store(ctx),
                    order_number=number,
                    check_code=cause.code,
                    message=cause.message,
                    evidence=cause.result.evidence,
                    parcel=parcel.as_json(),
                    source="api",
                    livemode=batch.livemode,
                    at=ctx.at,
                )
            )
            results.append(
                _result(
                    index,
                    number,
                    "refused",
                    code=cause.code,
                    detail=cause.message,
                    evidence=cause.result.evidence,
                )
            )
            continue
        shipment = shipment_build(
            ctx=ctx, tracking_number="", recipient=order.recipient, livemode=batch.livemode
        )
        gate.created(account, shipment)
        created.append((shipment, parcel, len(results)))
        results.append(_result(index, number, "created"))
    shipments = [shipment for shipment, _parcel, _at in created]
    if shipments:
        numbers = tracking_numbers(len(shipments), livemode=batch.livemode)
        for shipment, tracking_number in zip(shipments, numbers, strict=True):
            shipment.tracking_number = tracking_number
        _shipments_insert(shipments)
        ShipmentItem.objects.bulk_create(
            [
                item
                for shipment, parcel, _at in created
                for item in shipment_items_build(shipment, parcel.items)
            ]
        )
        if batch.livemode:
            if store is not None:
                store_trial_use(store=store, count=sum(1 for s in shipments if s.is_trial))
            shipment_charges_record(seller=seller, shipments=shipments)
        shipment_created_emit(shipments)
        for shipment, _parcel, position in created:
            results[position]["tracking_number"] = shipment.tracking_number
    if refused:
        RefusedOrder.objects.bulk_create(refused)
        shipment_refused_emit(refused)
    counts = {"created": 0, "refused": 0, "invalid": 0, "duplicate": 0}
    for result in results:
        counts[result["status"]] += 1
    locked.results = [*locked.results, *results]
    locked.orders_done = offset + len(orders)
    locked.created_count += counts["created"]
    locked.refused_count += counts["refused"]
    locked.invalid_count += counts["invalid"] + counts["duplicate"]
    locked.save(
        update_fields=["results", "orders_done", "created_count", "refused_count", "invalid_count"]
    )
    batch.orders_done = locked.orders_done
