"""Cancelling a shipment before pickup: the status moves to cancelled with its audit row and
billing refunds the charge, all in one transaction."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.services import shipment_charge_refund
from stores.services import store_trial_release

from ..exceptions import IllegalStatusChange, NotCancellable
from ..models import CANCELLABLE_STATUSES, EventSource, Shipment, ShipmentStatus
from .tracking import shipment_transition

MAX_REASON = 300


def shipment_check_can_cancel(*, shipment: Shipment) -> None:
    """Raise ``NotCancellable`` unless the parcel is still with the seller (created or
    label printed): once picked up it is on its way and can only be returned."""
    if shipment.status not in CANCELLABLE_STATUSES:
        raise NotCancellable(
            _(
                "Shipment %(tracking)s is %(status)s: only a shipment that has not been "
                "picked up can be cancelled."
            )
            % {"tracking": shipment.tracking_number, "status": shipment.get_status_display()}
        )


def shipment_cancel(
    *, shipment: Shipment, user, reason: str = "", at: datetime.datetime | None = None
) -> Shipment:
    """Cancel ``shipment`` through tracking's one door for status changes (it locks the
    row and writes the audit event with the user and the reason) and refund its charge,
    in one transaction. A pickup scan that lands between the check and the lock is caught
    by the transition table under the lock: still refused, nothing written. Returns the
    shipment, updated in place."""
    at = at or timezone.now()
    shipment_check_can_cancel(shipment=shipment)
    with transaction.atomic():
        try:
            shipment_transition(
                shipment=shipment,
                to_status=ShipmentStatus.CANCELLED,
                at=at,
                source=EventSource.PORTAL,
                actor=user,
                description=(reason or "").strip()[:MAX_REASON],
            )
        except IllegalStatusChange:
            # Picked up meanwhile: the locked row's status, not ours, decided.
            shipment.refresh_from_db(fields=["status"])
            shipment_check_can_cancel(shipment=shipment)
            raise
        if shipment.is_trial:  # it never travelled: the trial gets its slot back
            store_trial_release(store_id=shipment.store_id)
        shipment_charge_refund(shipment=shipment, user=user, at=at)
    return shipment
