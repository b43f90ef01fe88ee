"""The API's bodies as plain dicts (the shapes ``serializers`` declares for the schema):
built by hand, the hot path's few microseconds rather than a serializer's milliseconds."""

import datetime
import json
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.urls import reverse

from core.gate import PriceQuote
from shipments.models import RefusedOrder, Shipment, ShipmentBatch
from webhooks.models import WebhookDelivery, WebhookEndpoint


def dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def json_response(
    data: Any, *, status: int = 200, content_type: str = "application/json"
) -> HttpResponse:
    return HttpResponse(dumps(data), status=status, content_type=content_type)


def _time(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _money(value: Decimal | None) -> str:
    return f"{value:.2f}" if value is not None else "0.00"


def price_of_quote(quote: PriceQuote, charge: Decimal | None) -> dict[str, Any]:
    return {
        "currency": "CNY",
        "lane": quote.lane,
        "zone": quote.zone,
        "chargeable_weight_g": quote.chargeable_weight_g,
        "volumetric_weight_g": quote.volumetric_weight_g,
        "fulfilment_score": f"{quote.score:.2f}",
        "base": _money(quote.base),
        "fulfillment_adjustment": _money(quote.fulfillment_adjustment),
        "peak_adjustment": _money(quote.peak_adjustment),
        "green_discount": _money(quote.green_discount),
        "total": _money(quote.total),
        "charge": _money(charge),
        "transit_days": quote.transit_days,
    }


def price_of_shipment(s: Shipment) -> dict[str, Any]:
    return {
        "currency": "CNY",
        "lane": s.lane,
        "zone": s.zone,
        "chargeable_weight_g": s.chargeable_weight_g,
        "volumetric_weight_g": s.volumetric_weight_g,
        "fulfilment_score": f"{s.score:.2f}",
        "base": _money(s.base),
        "fulfillment_adjustment": _money(s.fulfillment_adjustment),
        "peak_adjustment": _money(s.peak_adjustment),
        "green_discount": _money(s.green_discount),
        "total": _money(s.quoted_total),
        "charge": _money(s.charge),
        "transit_days": s.transit_days,
    }


def shipment_data(s: Shipment) -> dict[str, Any]:
    dims = (
        {"length": str(s.length_cm), "width": str(s.width_cm), "height": str(s.height_cm)}
        if s.length_cm is not None
        else None
    )
    return {
        "tracking_number": s.tracking_number,
        "order_number": s.order_number,
        "livemode": s.livemode,
        "status": s.status,
        "is_trial": s.is_trial,
        "created_at": _time(s.created_at),
        "status_changed_at": _time(s.status_changed_at),
        "origin": s.origin,
        "recipient": {
            "name": s.recipient_name,
            "phone": s.recipient_phone,
            "email": s.recipient_email,
            "address": s.address,
            "address2": s.address2,
            "city": s.city,
            "state": s.state,
            "postcode": s.postcode,
            "country": s.country,
        },
        "weight_g": s.weight_g,
        "dimensions_cm": dims,
        "incoterm": s.incoterm,
        "ioss_number": s.ioss_number,
        "uk_vat_number": s.uk_vat_number,
        "customs_form": s.customs_form,
        "declared_value": _money(s.declared_value),
        "declared_currency": s.declared_currency,
        "price": price_of_shipment(s),
        "promised_by": _time(s.promised_by),
        "delivered_at": _time(s.delivered_at),
        "on_time": s.on_time,
        "label_url": reverse("api:shipment_label", kwargs={"tracking_number": s.tracking_number}),
    }


def shipment_detail(s: Shipment, *, items: list[Any], events: list[Any]) -> dict[str, Any]:
    return {
        **shipment_data(s),
        "items": [
            {
                "description": i.description,
                "description_zh": i.description_zh,
                "quantity": i.quantity,
                "unit_value": _money(i.unit_value),
                "currency": i.currency,
                "unit_weight_g": i.unit_weight_g,
                "hs_code": i.hs_code,
                "origin_country": i.origin_country,
                "sku": i.sku,
                "gtin": i.gtin,
                "mpn": i.mpn,
                "contains_battery": i.contains_battery,
            }
            for i in items
        ],
        "events": [
            {
                "status": e.status,
                "at": _time(e.at),
                "location": e.location,
                "description": e.description,
            }
            for e in events
            if e.applied
        ],
    }


def refusal_data(r: RefusedOrder, *, title: str, diagnosis: str) -> dict[str, Any]:
    return {
        "order_number": r.order_number,
        "code": r.check_code,
        "title": title,
        "detail": r.message,
        "evidence": r.evidence,
        "refused_at": _time(r.at),
        "source": r.source,
        "diagnosis": diagnosis,
    }


def batch_data(b: ShipmentBatch, *, results: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": b.pk,
        "livemode": b.livemode,
        "status": b.status,
        "orders_total": b.orders_total,
        "orders_done": b.orders_done,
        "created": b.created_count,
        "refused": b.refused_count,
        "invalid": b.invalid_count,
        "created_at": _time(b.created_at),
        "finished_at": _time(b.finished_at),
        "error": b.error,
        "results": results,
    }


def endpoint_data(e: WebhookEndpoint) -> dict[str, Any]:
    return {
        "id": e.pk,
        "url": e.url,
        "description": e.description,
        "livemode": e.livemode,
        "enabled_events": list(e.enabled_events or []),
        "enabled": e.enabled,
        "created_at": _time(e.created_at),
        "failing_since": _time(e.failing_since),
        "disabled_at": _time(e.disabled_at),
        "previous_secret_until": _time(e.previous_secret_until),
    }


def delivery_data(d: WebhookDelivery) -> dict[str, Any]:
    """A delivery of an event to an endpoint, with its attempts (newest first)."""
    return {
        "id": d.pk,
        "event_id": d.event.public_id,
        "type": d.event.type,
        "status": d.status,
        "attempts": [
            {
                "number": a.number,
                "at": _time(a.at),
                "status_code": a.status_code,
                "error": a.error,
                "duration_ms": a.duration_ms,
                "response_excerpt": a.response_excerpt,
            }
            for a in getattr(d, "attempts_newest", [])
        ],
        "next_attempt_at": _time(d.next_attempt_at),
        "created_at": _time(d.created_at),
    }
