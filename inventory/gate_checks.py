"""Inventory's checks in the order gate (``core.gate``): a parcel leaving an overseas
warehouse is refused when its presale campaign's lock has expired, or when the warehouse
does not hold its lines. A parcel leaving China is not their matter (skipped).

The stock facts are read by a parcel loader, only for a parcel whose origin is an overseas
warehouse (pricing's origins, in memory: no query otherwise; a file of orders from China
never pays for it): the order's allocation there (held for it by routing), the free stock
and the campaign's locks. The checks are pure functions of those facts, which routing also
uses for a dry run (``stock_result`` and ``lock_result``)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from core.gate import CheckResult, OrderContext, StockFacts, StockLineFacts, gate
from pricing.selectors import origin_get

from .models import (
    AllocationLine,
    AllocationStatus,
    LockStatus,
    PresaleLock,
    Sku,
    Stock,
    Warehouse,
)


def stock_facts_load(
    *,
    seller_id: int,
    origin: str,
    order_number: str,
    requested: dict[str, int],
    campaign: str,
    at: datetime.datetime,
) -> StockFacts | None:
    """What the warehouse of ``origin`` holds for these SKU codes and quantities: the stock
    rows and the order's allocation there (two queries; one more when a SKU has no stock
    row there, one more with a campaign). None when no warehouse starts from ``origin``."""
    codes = list(requested)
    free: dict[str, int] = {}
    code = ""
    for sku, on_hand, reserved, warehouse in Stock.objects.filter(
        warehouse__origin_id=origin, sku__seller_id=seller_id, sku__code__in=codes
    ).values_list("sku__code", "on_hand", "reserved", "warehouse__code"):
        free[sku] = on_hand - reserved
        code = warehouse
    known = set(free)
    if len(known) < len(codes):  # a SKU not stocked there: is it the seller's at all?
        known |= set(
            Sku.objects.filter(seller_id=seller_id, code__in=codes).values_list("code", flat=True)
        )
    if not code:
        found = Warehouse.objects.filter(origin_id=origin).values_list("code", flat=True).first()
        if found is None:
            return None
        code = found
    held: dict[str, int] = {}
    allocated = False
    if order_number:
        for sku, quantity in AllocationLine.objects.filter(
            allocation__seller_id=seller_id,
            allocation__shipment_order_number=order_number,
            allocation__warehouse__code=code,
            allocation__status__in=[AllocationStatus.RESERVED, AllocationStatus.SHIPPED],
        ).values_list("stock__sku__code", "quantity"):
            held[sku] = held.get(sku, 0) + quantity
            allocated = True
    locked: dict[str, int] = {}
    expired_at: datetime.datetime | None = None
    if campaign and not allocated:
        locks = PresaleLock.objects.filter(
            campaign__seller_id=seller_id,
            campaign__code=campaign,
            stock__warehouse__code=code,
            stock__sku__code__in=codes,
        ).values_list("stock__sku__code", "status", "held", "expires_at")
        by_sku: dict[str, list[tuple[str, int, datetime.datetime]]] = {}
        for sku, status, units, expires_at in locks:
            by_sku.setdefault(sku, []).append((status, units, expires_at))
        for sku, rows in by_sku.items():
            usable = [units for status, units, ends in rows if _usable(status, ends, at)]
            locked[sku] = sum(usable)
            if not usable and any(_expired(status, ends, at) for status, _u, ends in rows):
                latest = max(ends for _s, _u, ends in rows)
                expired_at = latest if expired_at is None else max(expired_at, latest)
    return StockFacts(
        warehouse=code,
        lines=tuple(
            StockLineFacts(
                sku=sku,
                requested=quantity,
                held=held.get(sku, 0),
                free=max(free.get(sku, 0), 0),
                locked=locked.get(sku, 0),
            )
            for sku, quantity in requested.items()
        ),
        unknown_skus=tuple(sku for sku in codes if sku not in known),
        campaign=campaign,
        lock_expired_at=expired_at,
        allocated=allocated,
    )


def _usable(status: str, ends: datetime.datetime, at: datetime.datetime) -> bool:
    return status == LockStatus.ACTIVE and ends > at


def _expired(status: str, ends: datetime.datetime, at: datetime.datetime) -> bool:
    return status == LockStatus.EXPIRED or (status == LockStatus.ACTIVE and ends <= at)


@gate.loader(scope="parcel", provides=("stock",))
def load_stock(ctx: OrderContext) -> None:
    parcel = ctx.parcel
    ctx.facts.stock = None
    if parcel is None or ctx.seller is None:
        return
    origin = origin_get(code=parcel.origin)
    if origin is None or not origin.is_overseas:
        return  # from China: no query
    requested: dict[str, int] = {}
    for item in parcel.items:
        requested[item.sku] = requested.get(item.sku, 0) + item.quantity
    ctx.facts.stock = stock_facts_load(
        seller_id=ctx.seller.pk,
        origin=parcel.origin,
        order_number=ctx.order_number,
        requested=requested,
        campaign=parcel.campaign,
        at=ctx.at,
    )


def lock_result(stock: StockFacts | None) -> CheckResult:
    if stock is None:
        return CheckResult.skipped(reason="not_from_a_warehouse")
    if not stock.campaign:
        return CheckResult.skipped(reason="no_campaign")
    evidence = {"warehouse": stock.warehouse, "campaign": stock.campaign}
    if stock.allocated:  # taken from the lock when it was routed
        return CheckResult.passed(**evidence, allocated=True)
    if stock.lock_expired_at is not None:
        ended = stock.lock_expired_at
        return CheckResult.failed(
            _(
                "The presale lock of campaign %(campaign)s at warehouse %(warehouse)s expired "
                "at %(at)s."
            )
            % {**evidence, "at": f"{ended.astimezone(datetime.UTC):%Y-%m-%d %H:%M} UTC"},
            **evidence,
            expired_at=ended.isoformat(),
        )
    return CheckResult.passed(**evidence)


def stock_result(stock: StockFacts | None) -> CheckResult:
    if stock is None:
        return CheckResult.skipped(reason="not_from_a_warehouse")
    lines = [
        {"sku": line.sku, "requested": line.requested, "available": line.available}
        for line in stock.lines
    ]
    evidence = {"warehouse": stock.warehouse, "lines": lines}
    if stock.unknown_skus:
        return CheckResult.failed(
            _("Warehouse %(warehouse)s holds no SKU %(skus)s of yours.")
            % {
                "warehouse": stock.warehouse,
                "skus": ", ".join(s or "—" for s in stock.unknown_skus),
            },
            **evidence,
            unknown_skus=list(stock.unknown_skus),
        )
    short = stock.short
    if short:
        return CheckResult.failed(
            _("Warehouse %(warehouse)s is short of %(lines)s.")
            % {
                "warehouse": stock.warehouse,
                "lines": ", ".join(
                    _("%(sku)s (%(available)s of %(requested)s)")
                    % {"sku": ln.sku, "available": ln.available, "requested": ln.requested}
                    for ln in short
                ),
            },
            **evidence,
        )
    return CheckResult.passed(**evidence)


@gate.check(
    "presale_lock_expired",
    title=_("The presale campaign's stock lock is still in force"),
    fix=_(
        "The campaign's lock has expired and its stock went back to free stock: route the "
        "order without the campaign, or lock stock for the campaign again."
    ),
    needs=("stock",),
    fix_url_name="inventory:locks",
    needs_parcel=True,
)
def presale_lock_expired(ctx: OrderContext) -> CheckResult:
    return lock_result(ctx.facts.stock)


@gate.check(
    "stock_insufficient",
    title=_("The overseas warehouse holds the order's lines"),
    fix=_(
        "Route the order with “what is in stock” (the rest ships from China), wait for an "
        "inbound notice to be received, or ship the order from China."
    ),
    needs=("stock",),
    fix_url_name="inventory:stock",
    needs_parcel=True,
)
def stock_insufficient(ctx: OrderContext) -> CheckResult:
    return stock_result(ctx.facts.stock)
