"""Lanes as sellers read them: never the codes (``south/us-west/standard``), but the
origin region, the destination zone's name and the service, in the reader's language."""

from .models import Region, Service
from .rates import pricing_table


def lane_label(lane: str) -> str:
    """``east/us-west/standard`` → "East China (华东) → US West · Standard small parcel".
    A part that is not known is shown as it is (an old lane of a retired card)."""
    origin, _sep, rest = lane.partition("/")
    zone, _sep, service = rest.partition("/")
    region = str(Region(origin).label) if origin in Region.values else origin
    zone_name = pricing_table().zone_names.get(zone, zone)
    service_name = str(Service(service).label) if service in Service.values else service
    return f"{region} → {zone_name} · {service_name}" if service_name else f"{region} → {zone_name}"
