"""Reads of inventory: the seller's pages, the audit that proves levels equal movements, and
the forecast (a transparent method, explained on its page)."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import QuerySet, Sum
from django.utils import timezone

from accounts.models import Seller

from .models import (
    Allocation,
    AllocationLine,
    AllocationStatus,
    Inbound,
    LockStatus,
    PresaleLock,
    RoutedOrder,
    Sku,
    Stock,
    StockMovement,
    Warehouse,
)

LIST_LIMIT = 200


def warehouses_active() -> QuerySet[Warehouse]:
    return Warehouse.objects.filter(is_active=True).select_related("origin").order_by("code")


def skus_of(*, seller: Seller) -> QuerySet[Sku]:
    return Sku.objects.filter(seller=seller).order_by("code")


def stock_of(*, seller: Seller) -> QuerySet[Stock]:
    return (
        Stock.objects.filter(sku__seller=seller)
        .select_related("warehouse", "sku")
        .order_by("sku__code", "warehouse__code")
    )


def movements_of(*, stock: Stock, limit: int = LIST_LIMIT) -> list[StockMovement]:
    return list(stock.movements.select_related("actor").order_by("-at", "-id")[:limit])


def inbounds_of(*, seller: Seller, limit: int = LIST_LIMIT) -> list[Inbound]:
    return list(
        Inbound.objects.filter(seller=seller)
        .select_related("warehouse")
        .prefetch_related("lines__sku")
        .order_by("-created_at", "-id")[:limit]
    )


def locks_of(*, seller: Seller, limit: int = LIST_LIMIT) -> list[PresaleLock]:
    return list(
        PresaleLock.objects.filter(campaign__seller=seller)
        .select_related("campaign", "stock__warehouse", "stock__sku")
        .order_by("-created_at", "-id")[:limit]
    )


def routed_orders_of(*, seller: Seller, limit: int = LIST_LIMIT) -> list[RoutedOrder]:
    return list(
        RoutedOrder.objects.filter(seller=seller)
        .select_related("campaign")
        .prefetch_related("allocations__warehouse", "allocations__shipment")
        .order_by("-created_at", "-id")[:limit]
    )


def allocations_of(*, route: RoutedOrder) -> list[Allocation]:
    return list(
        route.allocations.select_related("warehouse", "shipment")
        .prefetch_related("lines__stock__sku")
        .order_by("position")
    )


# --- the audit: levels = movements, and what each level promises ---------------------------
@dataclass(frozen=True, slots=True)
class AuditProblem:
    stock_id: int
    level: str
    level_value: int
    expected: int
    source: str  # "movements", "locks and orders", "inbound notices"

    def __str__(self) -> str:
        return (
            f"stock {self.stock_id}: {self.level} = {self.level_value}, "
            f"{self.source} say {self.expected}"
        )


_AUDIT_SQL = """
WITH moved AS (
    SELECT stock_id,
           SUM(on_hand_delta) AS on_hand, SUM(reserved_delta) AS reserved,
           SUM(inbound_delta) AS inbound, SUM(inbound_locked_delta) AS inbound_locked
      FROM inventory_stockmovement GROUP BY stock_id
), held AS (
    SELECT stock_id, SUM(held) AS held, SUM(awaiting) AS awaiting
      FROM inventory_presalelock WHERE status = 'active' GROUP BY stock_id
), allocated AS (
    SELECT l.stock_id, SUM(l.quantity) AS quantity
      FROM inventory_allocationline l
      JOIN inventory_allocation a ON a.id = l.allocation_id
     WHERE a.status = 'reserved' GROUP BY l.stock_id
), declared AS (
    SELECT s.id AS stock_id, SUM(l.declared - l.received) AS outstanding
      FROM inventory_inboundline l
      JOIN inventory_inbound i ON i.id = l.inbound_id
      JOIN inventory_stock s ON s.warehouse_id = i.warehouse_id AND s.sku_id = l.sku_id
     WHERE l.difference IS NULL GROUP BY s.id
)
SELECT s.id, s.on_hand, s.reserved, s.inbound, s.inbound_locked,
       COALESCE(m.on_hand, 0), COALESCE(m.reserved, 0), COALESCE(m.inbound, 0),
       COALESCE(m.inbound_locked, 0),
       COALESCE(h.held, 0) + COALESCE(a.quantity, 0), COALESCE(h.awaiting, 0),
       COALESCE(d.outstanding, 0)
  FROM inventory_stock s
  LEFT JOIN moved m ON m.stock_id = s.id
  LEFT JOIN held h ON h.stock_id = s.id
  LEFT JOIN allocated a ON a.stock_id = s.id
  LEFT JOIN declared d ON d.stock_id = s.id
 WHERE s.on_hand <> COALESCE(m.on_hand, 0)
    OR s.reserved <> COALESCE(m.reserved, 0)
    OR s.inbound <> COALESCE(m.inbound, 0)
    OR s.inbound_locked <> COALESCE(m.inbound_locked, 0)
    OR s.reserved <> COALESCE(h.held, 0) + COALESCE(a.quantity, 0)
    OR s.inbound_locked <> COALESCE(h.awaiting, 0)
    OR s.inbound <> COALESCE(d.outstanding, 0)
 ORDER BY s.id
"""


def stock_audit() -> list[AuditProblem]:
    """Every stock row whose levels differ from the sum of its movements, or whose
    reserved differs from its active locks' held units and its orders' reserved units, its
    inbound locked from its locks' awaiting units, or its inbound from its open notices'
    outstanding lines. One query; empty when all is well."""
    problems: list[AuditProblem] = []
    with connection.cursor() as cursor:
        cursor.execute(_AUDIT_SQL)
        for row in cursor.fetchall():
            (
                pk,
                on_hand,
                reserved,
                inbound,
                locked,
                m_oh,
                m_r,
                m_i,
                m_il,
                promised,
                awaiting,
                due,
            ) = row
            checks = [
                ("on_hand", on_hand, m_oh, "movements"),
                ("reserved", reserved, m_r, "movements"),
                ("inbound", inbound, m_i, "movements"),
                ("inbound_locked", locked, m_il, "movements"),
                ("reserved", reserved, promised, "locks and orders"),
                ("inbound_locked", locked, awaiting, "locks"),
                ("inbound", inbound, due, "inbound notices"),
            ]
            problems.extend(
                AuditProblem(pk, level, value, expected, source)
                for level, value, expected, source in checks
                if value != expected
            )
    return problems


# --- the forecast -----------------------------------------------------------------------
FORECAST_WEEKS = 4
DEFAULT_TARGET_DAYS = 30


@dataclass(frozen=True, slots=True)
class ForecastRow:
    warehouse: str
    sku: str
    sku_name: str
    weekly: tuple[int, ...]  # units per week, oldest first (the last is the latest 7 days)
    by_destination: tuple[tuple[str, int], ...]  # (country, units), most first
    daily: Decimal  # average units a day over the weeks
    free: int  # on hand, promised to nobody
    coming: int  # inbound, not locked for presale
    locked: int  # held or awaited for presale campaigns
    cover_days: Decimal | None  # (free + coming) / daily; None without demand
    suggested: int  # to inbound now to reach the target cover

    @property
    def units(self) -> int:
        return sum(self.weekly)


def forecast(
    *,
    seller: Seller,
    target_days: int = DEFAULT_TARGET_DAYS,
    weeks: int = FORECAST_WEEKS,
    now: datetime.datetime | None = None,
) -> list[ForecastRow]:
    """Per SKU and warehouse: the units routed there in each of the last ``weeks`` weeks
    (orders not cancelled), by destination; the average a day (units ÷ days); the days the
    stock not yet promised lasts at that pace ((free + inbound not locked) ÷ a day); and the
    units to send now so that it lasts ``target_days``: ⌈a day × target − (free + inbound
    not locked)⌉, at least 0. Three queries."""
    now = now or timezone.now()
    days = weeks * 7
    since = now - datetime.timedelta(days=days)
    demand: dict[int, list[int]] = {}  # stock id → units per week
    destinations: dict[int, dict[str, int]] = {}
    rows = (
        AllocationLine.objects.filter(
            allocation__seller=seller,
            allocation__status__in=[AllocationStatus.RESERVED, AllocationStatus.SHIPPED],
            allocation__order__created_at__gte=since,
        )
        .values_list("stock_id", "allocation__order__created_at", "allocation__order__country")
        .annotate(units=Sum("quantity"))
    )
    for stock_id, at, country, units in rows:
        week = min(weeks - 1, int((now - at).total_seconds() // (7 * 86400)))
        series = demand.setdefault(stock_id, [0] * weeks)
        series[weeks - 1 - week] += units
        by_country = destinations.setdefault(stock_id, {})
        by_country[country] = by_country.get(country, 0) + units
    locked_units = locked_by_stock(seller=seller)
    result = []
    for stock in stock_of(seller=seller):
        weekly = tuple(demand.get(stock.pk, [0] * weeks))
        daily = (Decimal(sum(weekly)) / days).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        exact_daily = Decimal(sum(weekly)) / days
        free, coming = stock.free, stock.free_inbound
        cover = (
            (Decimal(free + coming) / exact_daily).quantize(Decimal("0.1")) if exact_daily else None
        )
        needed = exact_daily * target_days - (free + coming)
        result.append(
            ForecastRow(
                warehouse=stock.warehouse.code,
                sku=stock.sku.code,
                sku_name=stock.sku.name_zh or stock.sku.name_en,
                weekly=weekly,
                by_destination=tuple(
                    sorted(destinations.get(stock.pk, {}).items(), key=lambda kv: (-kv[1], kv[0]))
                ),
                daily=daily,
                free=free,
                coming=coming,
                locked=locked_units.get(stock.pk, 0),
                cover_days=cover,
                suggested=max(0, math.ceil(needed)),
            )
        )
    return result


def locked_by_stock(*, seller: Seller) -> dict[int, int]:
    """Units held or awaited by active presale locks, per stock row."""
    return {
        stock_id: held + awaiting
        for stock_id, held, awaiting in PresaleLock.objects.filter(
            campaign__seller=seller, status=LockStatus.ACTIVE
        )
        .values_list("stock_id")
        .annotate(held=Sum("held"), awaiting=Sum("awaiting"))
    }
