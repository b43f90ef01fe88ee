"""Reads of webhooks for the seller's pages and the API: always through the seller."""

from typing import Any

from django.db.models import QuerySet

from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


def endpoints_for_seller(*, seller: Any, livemode: bool | None = None) -> QuerySet[WebhookEndpoint]:
    endpoints = WebhookEndpoint.objects.filter(seller=seller)
    if livemode is not None:
        endpoints = endpoints.filter(livemode=livemode)
    return endpoints.order_by("-created_at", "-id")


def endpoint_get_for_seller(
    *, seller: Any, pk: Any, livemode: bool | None = None
) -> WebhookEndpoint | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return endpoints_for_seller(seller=seller, livemode=livemode).filter(pk=pk).first()


def deliveries_recent(*, seller: Any, limit: int = 50) -> list[WebhookDelivery]:
    """The seller's latest deliveries with their event, endpoint and last attempt."""
    deliveries = list(
        WebhookDelivery.objects.filter(endpoint__seller=seller)
        .select_related("event", "endpoint")
        .order_by("-created_at", "-id")[:limit]
    )
    last: dict[int, WebhookAttempt] = {}
    for attempt in WebhookAttempt.objects.filter(delivery__in=deliveries).order_by("number"):
        last[attempt.delivery_id] = attempt
    for delivery in deliveries:
        delivery.last_attempt = last.get(delivery.pk)  # type: ignore[attr-defined]
    return deliveries


def delivery_get_for_seller(*, seller: Any, pk: int) -> WebhookDelivery | None:
    return WebhookDelivery.objects.filter(endpoint__seller=seller, pk=pk).first()
