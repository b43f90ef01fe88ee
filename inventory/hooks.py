"""Inventory follows the shipments it made (``shipments.hooks``): a parcel from an overseas
warehouse taken by the carrier ships its stock; one cancelled before pickup releases it.
Parcels from China are not looked at (their origin says so, in memory: no query)."""

from pricing.selectors import origin_get
from shipments.hooks import StatusChange, on_status_change
from shipments.models import ShipmentStatus

from .services.shipping import allocation_release, allocation_ship

S = ShipmentStatus
# The carrier has the parcel: it has left the warehouse's shelves.
CARRIER_HAS_IT = frozenset({S.PICKED_UP, S.IN_TRANSIT, S.CUSTOMS, S.OUT_FOR_DELIVERY, S.DELIVERED})


@on_status_change
def stock_follows_shipment(change: StatusChange) -> None:
    origin = origin_get(code=change.shipment.origin)
    if origin is None or not origin.is_overseas:
        return
    if change.to_status == S.CANCELLED:
        allocation_release(shipment=change.shipment, at=change.at)
    elif change.to_status in CARRIER_HAS_IT:
        allocation_ship(shipment=change.shipment, at=change.at)
