"""Overseas warehouses: the network, the sellers' SKUs, stock and its movements, inbound
notices, presale locks and routed orders (DOMAIN.md §6)."""

from .inbound import INBOUND_TRANSITIONS, Inbound, InboundLine, InboundStatus
from .network import Sku, Warehouse
from .presale import LOCK_TRANSITIONS, Campaign, LockStatus, PresaleLock
from .routing import (
    ALLOCATION_TRANSITIONS,
    ROUTE_TRANSITIONS,
    Allocation,
    AllocationLine,
    AllocationStatus,
    Policy,
    RoutedOrder,
    RouteStatus,
)
from .stock import MovementKind, Stock, StockMovement

__all__ = [
    "ALLOCATION_TRANSITIONS",
    "INBOUND_TRANSITIONS",
    "LOCK_TRANSITIONS",
    "ROUTE_TRANSITIONS",
    "Allocation",
    "AllocationLine",
    "AllocationStatus",
    "Campaign",
    "Inbound",
    "InboundLine",
    "InboundStatus",
    "LockStatus",
    "MovementKind",
    "Policy",
    "PresaleLock",
    "RouteStatus",
    "RoutedOrder",
    "Sku",
    "Stock",
    "StockMovement",
    "Warehouse",
]
