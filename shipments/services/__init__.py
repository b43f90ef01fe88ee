"""Shipment services: creation through the order gate, and (in their own modules) labels,
tracking, bulk files and the trial's evaluation."""

from .creation import (
    Recipient,
    parcel_build,
    refused_order_record,
    shipment_create,
    store_for_orders,
)

__all__ = [
    "Recipient",
    "parcel_build",
    "refused_order_record",
    "shipment_create",
    "store_for_orders",
]
