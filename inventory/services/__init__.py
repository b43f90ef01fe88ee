"""Inventory's services: every write of the app (see each module)."""

from .common import SkuQuantity, lines_parse, lines_resolve, quantity_clean
from .inbound import inbound_declare, inbound_receive
from .movements import Delta, Move, stock_apply
from .network import SkuInput, sku_save, warehouse_create
from .presale import (
    campaign_get_or_create,
    presale_lock_create,
    presale_lock_end,
    presale_lock_release,
    presale_locks_expire,
)
from .routing import (
    DEFAULT_MAX_SPLITS,
    MAX_SPLITS,
    AllocatedLine,
    AllocationResult,
    Destination,
    RouteResult,
    order_route,
    route_result,
)
from .shipping import allocation_release, allocation_ship, route_cancel
from .stock import stock_adjust

__all__ = [
    "DEFAULT_MAX_SPLITS",
    "MAX_SPLITS",
    "AllocatedLine",
    "AllocationResult",
    "Delta",
    "Destination",
    "Move",
    "RouteResult",
    "SkuInput",
    "SkuQuantity",
    "allocation_release",
    "allocation_ship",
    "campaign_get_or_create",
    "inbound_declare",
    "inbound_receive",
    "lines_parse",
    "lines_resolve",
    "order_route",
    "presale_lock_create",
    "presale_lock_end",
    "presale_lock_release",
    "presale_locks_expire",
    "quantity_clean",
    "route_cancel",
    "route_result",
    "sku_save",
    "stock_adjust",
    "stock_apply",
    "warehouse_create",
]
