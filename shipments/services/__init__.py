"""Shipment services: creation through the order gate, and (in their own modules) labels,
tracking, bulk files and the trial's evaluation."""

from .alerts import customs_alerts_send
from .cancel import shipment_cancel, shipment_check_can_cancel
from .creation import (
    Recipient,
    parcel_build,
    refused_order_record,
    shipment_create,
)
from .imports import (
    shipment_import_create,
    shipment_import_fail,
    shipment_import_requeue,
    shipment_import_run,
)
from .labels import labels_pdf, shipment_labels_print
from .tracking import (
    carrier_event_parse,
    carrier_events_record,
    shipment_event_record,
    shipment_transition,
    shipments_mark_label_printed,
)
from .tracking_files import tracking_import
from .trial import trial_evaluate, trials_evaluate_due

__all__ = [
    "Recipient",
    "carrier_event_parse",
    "carrier_events_record",
    "customs_alerts_send",
    "labels_pdf",
    "parcel_build",
    "refused_order_record",
    "shipment_cancel",
    "shipment_check_can_cancel",
    "shipment_create",
    "shipment_event_record",
    "shipment_import_create",
    "shipment_import_fail",
    "shipment_import_requeue",
    "shipment_import_run",
    "shipment_labels_print",
    "shipment_transition",
    "shipments_mark_label_printed",
    "tracking_import",
    "trial_evaluate",
    "trials_evaluate_due",
]
