"""The one place inventory rows are locked (``SELECT … FOR UPDATE``).

Within inventory, a transaction takes a routed order's row (its insert), then stock rows in
(warehouse, SKU) order, then presale locks by id, then inbound lines by id. Across apps
(``core/locks.py``): after a shipment (a pickup or cancellation reaches its stock through
``shipments.hooks``), before the store and the seller's settlement account (a route
creates its shipments last).
"""

from collections.abc import Iterable

from django.db import transaction

from .models import PresaleLock, Stock


def _inside_transaction(name: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} must run inside transaction.atomic()")


def stock_lock(*, pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], Stock]:
    """The stock rows of these (warehouse id, SKU id) pairs that exist, locked in
    (warehouse, SKU) order until the end of the transaction; keyed by the pair."""
    _inside_transaction("stock_lock")
    wanted = sorted(set(pairs))
    if not wanted:
        return {}
    warehouses = {w for w, _ in wanted}
    skus = {s for _, s in wanted}
    rows = (
        Stock.objects.select_for_update()
        .filter(warehouse_id__in=warehouses, sku_id__in=skus)
        .order_by("warehouse_id", "sku_id")
    )
    locked = {(row.warehouse_id, row.sku_id): row for row in rows}
    return {pair: locked[pair] for pair in wanted if pair in locked}


def stock_lock_one(*, stock_id: int) -> Stock:
    _inside_transaction("stock_lock_one")
    return Stock.objects.select_for_update().get(pk=stock_id)


def presale_locks_lock(*, ids: Iterable[int]) -> dict[int, PresaleLock]:
    """Presale locks, locked by id (after their stock rows)."""
    _inside_transaction("presale_locks_lock")
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = PresaleLock.objects.select_for_update().filter(pk__in=wanted).order_by("pk")
    return {row.pk: row for row in rows}
