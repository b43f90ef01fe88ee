"""Reads of webhooks for the seller's pages and the API: always through the seller."""

import datetime
from typing import Any

from django.db.models import Q, QuerySet

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


def delivery_of_endpoint(*, endpoint: WebhookEndpoint, pk: int) -> WebhookDelivery | None:
    """The endpoint's delivery ``pk`` with its event and attempts (as ``deliveries_page``)."""
    delivery = (
        WebhookDelivery.objects.filter(endpoint=endpoint, pk=pk).select_related("event").first()
    )
    if delivery is not None:
        delivery.attempts_newest = list(  # type: ignore[attr-defined]
            delivery.attempt_log.order_by("-number")
        )
    return delivery


def deliveries_page(
    *,
    endpoint: WebhookEndpoint,
    after: tuple[datetime.datetime, int] | None,
    size: int,
) -> tuple[list[WebhookDelivery], tuple[datetime.datetime, int] | None]:
    """One page of an endpoint's deliveries, newest first, each with its event and its
    attempts (newest first, in ``delivery.attempts_newest``), after the (created_at, id)
    of the last one shown; and the position of this page's last when more follow. Two
    queries whatever the size."""
    deliveries = WebhookDelivery.objects.filter(endpoint=endpoint).select_related("event")
    if after is not None:
        at, pk = after
        deliveries = deliveries.filter(Q(created_at__lt=at) | Q(created_at=at, id__lt=pk))
    rows = list(deliveries.order_by("-created_at", "-id")[: size + 1])
    more, rows = len(rows) > size, rows[:size]
    attempts: dict[int, list[WebhookAttempt]] = {row.pk: [] for row in rows}
    for attempt in WebhookAttempt.objects.filter(delivery__in=rows).order_by("-number"):
        attempts[attempt.delivery_id].append(attempt)
    for row in rows:
        row.attempts_newest = attempts[row.pk]  # type: ignore[attr-defined]
    last = rows[-1] if more else None
    return rows, ((last.created_at, last.pk) if last is not None else None)
