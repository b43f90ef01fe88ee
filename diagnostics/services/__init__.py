"""Everything that writes diagnostics data: the tool's runs and the watch's warnings."""

from .diagnosis import (
    Diagnosis,
    Step,
    account_diagnose,
    diagnostic_run_record,
    order_diagnose,
    parcel_from_json,
    parcel_of_shipment,
)
from .watch import store_findings, stores_watch

__all__ = [
    "Diagnosis",
    "Step",
    "account_diagnose",
    "diagnostic_run_record",
    "order_diagnose",
    "parcel_from_json",
    "parcel_of_shipment",
    "store_findings",
    "stores_watch",
]
