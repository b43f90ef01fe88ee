"""Test mode's tracking (like EasyPost's test trackers): a test parcel (an API ``jl_test_``
key's) is moved through the tracking states on request, through the same door as a
carrier's scan (``shipment_event_record``), so its ``tracker.updated`` webhooks fire as they
will in live mode; entering customs also reports the hold (``customs.held``) at once, as the
alert sweep would after the lane's clearance time. Live parcels are moved by carriers only."""

import datetime
import uuid

from django.utils import timezone
from django.utils.translation import gettext as _

from ..exceptions import IllegalStatusChange, ShipmentError
from ..models import EventSource, Shipment, ShipmentStatus
from .alerts import customs_alert_send
from .tracking import CarrierEvent, Outcome, shipment_event_record

S = ShipmentStatus
# The journey a simulated parcel takes, one step per call without a status.
JOURNEY = (S.PICKED_UP, S.IN_TRANSIT, S.CUSTOMS, S.OUT_FOR_DELIVERY, S.DELIVERED)
LOCATIONS: dict[str, str] = {
    S.PICKED_UP: "Shenzhen, CN",
    S.IN_TRANSIT: "Shanghai Pudong, CN",
    S.CUSTOMS: "Destination customs",
    S.OUT_FOR_DELIVERY: "Local depot",
    S.DELIVERED: "Recipient",
    S.EXCEPTION: "Local depot",
    S.RETURNED: "Shenzhen, CN",
}


def simulate_next_status(shipment: Shipment) -> str:
    for status in JOURNEY:
        if status in _forward(shipment.status):
            return status
    raise IllegalStatusChange(
        _("Shipment %(tracking)s is %(status)s: its journey is over.")
        % {"tracking": shipment.tracking_number, "status": shipment.get_status_display()}
    )


def _forward(status: str) -> list[str]:
    from ..models import SHIPMENT_TRANSITIONS, STATUS_RANK

    return [s for s in SHIPMENT_TRANSITIONS[status] if STATUS_RANK[s] > STATUS_RANK[status]]


def shipment_simulate(
    *, shipment: Shipment, to_status: str | None = None, at: datetime.datetime | None = None
) -> Shipment:
    """Move a test parcel to ``to_status`` (or the next step of ``JOURNEY``)."""
    if shipment.livemode:
        raise ShipmentError(_("Only test-mode parcels can be moved by the simulator."))
    target = to_status or simulate_next_status(shipment)
    if target == S.CANCELLED or target not in _forward(shipment.status) + (
        [S.IN_TRANSIT] if shipment.status in (S.CUSTOMS, S.EXCEPTION) else []
    ):
        raise IllegalStatusChange(
            _("Shipment %(tracking)s is “%(from)s”: it cannot become “%(to)s”.")
            % {
                "tracking": shipment.tracking_number,
                "from": S(shipment.status).label,
                "to": S(target).label,
            }
        )
    at = at or timezone.now()
    recorded = shipment_event_record(
        shipment=shipment,
        event=CarrierEvent(
            event_id=f"sim-{uuid.uuid4().hex}",
            tracking_number=shipment.tracking_number,
            status=target,
            at=at,
            location=LOCATIONS.get(target, ""),
            description=_("Simulated (test mode)"),
        ),
        source=EventSource.SIMULATOR,
    )
    if recorded.outcome != Outcome.APPLIED:
        raise IllegalStatusChange(_("The simulated event did not change the status."))
    if target == S.CUSTOMS:
        customs_alert_send(shipment=shipment, now=at)
    return shipment
