"""Webhooks out: endpoints (created with a secret shown once, deleted, re-enabled), events
emitted by the apps where things happen, and their delivery by Celery workers.

``webhook_emit`` is called inside the business transaction (a shipment's creation, a
tracking event): it stores the event and one delivery per endpoint that wants it, and the
deliveries are queued once the transaction commits (``core.tasks.enqueue_on_commit``), so an
event of a rolled-back transaction is never sent. Each delivery is attempted at once, then
after each delay of ``RETRY_SCHEDULE`` (about 27 h in all), until the endpoint answers 2xx:
at least once, with the event's stable id. Every attempt is logged. An endpoint that has been
failing for ``DISABLE_AFTER`` is disabled and the seller's owner e-mailed.
"""

import datetime
import json
import logging
import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import certifi
import urllib3
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import crypto
from core.prepared import PreparedQuery
from core.tasks import enqueue_on_commit

from .addresses import Target, webhook_url_check
from .exceptions import InvalidEventTypes, InvalidWebhookUrl
from .models import (
    DeliveryStatus,
    EventType,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from .signing import secret_new, signed_headers

logger = logging.getLogger(__name__)

# After the first attempt, the delays before each retry (as Svix schedules them): 5 s,
# 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; the last attempt comes some 27 h after the event.
RETRY_SCHEDULE: tuple[datetime.timedelta, ...] = tuple(
    datetime.timedelta(seconds=s) for s in (5, 300, 1800, 7200, 18000, 36000, 36000)
)
MAX_ATTEMPTS = len(RETRY_SCHEDULE) + 1
DISABLE_AFTER = datetime.timedelta(days=3)
# After a secret's rotation the old secret signs too, for this long.
ROTATION_OVERLAP = datetime.timedelta(hours=24)
# A worker taking a delivery moves its next attempt this far ahead: if it dies mid-request
# the sweeper hands the delivery out again after the lease.
LEASE = datetime.timedelta(minutes=2)
MAX_ENDPOINTS = 10
EXCERPT = 500
USER_AGENT = "Jingluo-Webhooks/1"


# ---------------------------------------------------------------------------
# Endpoints
# ---------------------------------------------------------------------------
def event_types_clean(values: Iterable[object] | None) -> list[str]:
    types = list(dict.fromkeys(str(v) for v in values or ()))
    unknown = [t for t in types if t not in EventType.values]
    if unknown:
        raise InvalidEventTypes(
            _("Unknown event type %(types)s: use %(known)s.")
            % {"types": ", ".join(unknown)[:100], "known": ", ".join(EventType.values)}
        )
    return types


def endpoint_create(
    *,
    seller: Any,
    url: str,
    livemode: bool,
    enabled_events: Iterable[object] | None = None,
    description: str = "",
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret (returned once, stored only encrypted).
    Refuses a URL that is not ``https://`` or resolves to a private address
    (``InvalidWebhookUrl``), unknown event types, and more than ``MAX_ENDPOINTS`` per mode."""
    webhook_url_check(url)
    types = event_types_clean(enabled_events)
    if WebhookEndpoint.objects.filter(seller=seller, livemode=livemode).count() >= MAX_ENDPOINTS:
        raise InvalidWebhookUrl(
            _("At most %(max)s endpoints per mode: delete one first.") % {"max": MAX_ENDPOINTS}
        )
    secret = secret_new()
    endpoint = WebhookEndpoint.objects.create(
        seller=seller,
        url=url.strip(),
        livemode=livemode,
        enabled_events=types,
        description=(description or "").strip()[:200],
        secret_encrypted=crypto.encrypt(secret.encode()),
    )
    return endpoint, secret


def endpoint_secret(endpoint: WebhookEndpoint) -> str:
    return crypto.decrypt(bytes(endpoint.secret_encrypted)).decode()


def endpoint_previous_secret(endpoint: WebhookEndpoint, *, now: datetime.datetime) -> str | None:
    """The secret a rotation replaced, while it still signs (``ROTATION_OVERLAP``)."""
    until = endpoint.previous_secret_until
    if until is None or until <= now or not endpoint.previous_secret_encrypted:
        return None
    return crypto.decrypt(bytes(endpoint.previous_secret_encrypted)).decode()


def endpoint_secret_rotate(
    *, endpoint: WebhookEndpoint, now: datetime.datetime | None = None
) -> str:
    """A new signing secret, returned once. For ``ROTATION_OVERLAP`` every attempt is signed
    with the old one too, so the receiver can switch whenever it likes within that time;
    rotating again ends the old secret's overlap at once (a leaked secret is dropped)."""
    now = now or timezone.now()
    secret = secret_new()
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        locked.previous_secret_encrypted = locked.secret_encrypted
        locked.previous_secret_until = now + ROTATION_OVERLAP
        locked.secret_encrypted = crypto.encrypt(secret.encode())
        locked.save(
            update_fields=["secret_encrypted", "previous_secret_encrypted", "previous_secret_until"]
        )
    endpoint.refresh_from_db()
    return secret


def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Delete the endpoint with its deliveries and their log: nothing more is sent."""
    endpoint.delete()


def endpoint_enable(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Enable an endpoint again (disabled after failing): the failing clock starts anew."""
    endpoint.disabled_at = None
    endpoint.disabled_reason = ""
    endpoint.failing_since = None
    endpoint.save(update_fields=["disabled_at", "disabled_reason", "failing_since"])
    return endpoint


# ---------------------------------------------------------------------------
# Emitting
# ---------------------------------------------------------------------------
def _event_id() -> str:
    return "evt_" + secrets.token_urlsafe(18)


def _endpoints_for(seller_id: Any, livemode: bool, type: str) -> list[WebhookEndpoint]:
    endpoints = _ENABLED.all(seller_id=seller_id, livemode=livemode)
    return [e for e in endpoints if not e.enabled_events or type in e.enabled_events]


# Asked for every event (every order created): compiled once per mode (``core.prepared``).
_ENABLED: PreparedQuery[WebhookEndpoint] = PreparedQuery(
    lambda seller_id, livemode: WebhookEndpoint.objects.filter(
        seller_id=seller_id, livemode=livemode, disabled_at__isnull=True
    ).only("pk", "enabled_events"),
    seller_id=int,
    livemode=bool,
)


def sellers_listening(*, type: str, livemode: bool = True) -> set[Any]:
    """The sellers with an enabled endpoint that wants ``type``: one query, so that an
    event of every seller at once (statements) is built only for those who listen."""
    rows = WebhookEndpoint.objects.filter(livemode=livemode, disabled_at__isnull=True).values_list(
        "seller_id", "enabled_events"
    )
    return {seller_id for seller_id, types in rows if not types or type in types}


def webhook_emit(
    *,
    seller_id: Any,
    livemode: bool,
    type: str,
    data: dict[str, Any],
    at: datetime.datetime | None = None,
) -> WebhookEvent | None:
    """Record that ``type`` happened to the seller and queue its delivery to every endpoint
    that wants it, after the caller's transaction commits. One query when the seller has no
    such endpoint (and then nothing is stored); ``None`` then."""
    events = webhook_emit_many(
        seller_id=seller_id, livemode=livemode, type=type, data=[data], at=at
    )
    return events[0] if events else None


def webhook_emit_many(
    *,
    seller_id: Any,
    livemode: bool,
    type: str,
    data: Sequence[dict[str, Any]],
    at: datetime.datetime | None = None,
) -> list[WebhookEvent]:
    """``webhook_emit`` for many events of one type at once (a chunk of a bulk file): one
    query for the endpoints, one insert for the events, one for the deliveries."""
    if type not in EventType.values:
        raise ValueError(f"unknown webhook event type {type!r}")
    if not data:
        return []
    endpoints = _endpoints_for(seller_id, livemode, type)
    if not endpoints:
        return []
    at = at or timezone.now()
    events = WebhookEvent.objects.bulk_create(
        WebhookEvent(
            public_id=_event_id(),
            type=type,
            seller_id=seller_id,
            livemode=livemode,
            data=item,
            created_at=at,
        )
        for item in data
    )
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(endpoint=endpoint, event=event, next_attempt_at=at, created_at=at)
        for event in events
        for endpoint in endpoints
    )
    _enqueue([d.pk for d in deliveries])
    return events


def _enqueue(delivery_ids: list[int]) -> None:
    from .tasks import deliver

    for delivery_id in delivery_ids:
        enqueue_on_commit(deliver, delivery_id)


def event_body(event: WebhookEvent) -> str:
    """The JSON body every attempt of ``event`` sends, the same bytes each time."""
    return json.dumps(
        {
            "id": event.public_id,
            "type": event.type,
            "created_at": event.created_at.isoformat(),
            "livemode": event.livemode,
            "data": event.data,
        },
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    )


# ---------------------------------------------------------------------------
# Delivering
# ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Response:
    status_code: int | None
    excerpt: str = ""
    error: str = ""
    duration_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def http_post(target: Target, *, body: bytes, headers: dict[str, str]) -> Response:
    """POST ``body`` to the checked address (the name is not resolved again), no redirect
    followed, short timeouts, at most ``EXCERPT`` characters of the answer read."""
    timeout = urllib3.Timeout(
        connect=settings.WEBHOOK_CONNECT_TIMEOUT_SECONDS, read=settings.WEBHOOK_READ_TIMEOUT_SECONDS
    )
    pool: urllib3.HTTPConnectionPool
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            target.address,
            port=target.port,
            timeout=timeout,
            retries=False,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
        )
    else:
        pool = urllib3.HTTPConnectionPool(
            target.address, port=target.port, timeout=timeout, retries=False
        )
    default_port = 443 if target.scheme == "https" else 80
    host = target.host if target.port == default_port else f"{target.host}:{target.port}"
    if ":" in target.host and not target.host.startswith("["):
        host = (
            f"[{target.host}]" if target.port == default_port else f"[{target.host}]:{target.port}"
        )
    started = time.monotonic()
    try:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body,
            headers={
                **headers,
                "Host": host,
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
            },
            redirect=False,
            retries=False,
            preload_content=False,
        )
        try:
            excerpt = response.read(EXCERPT, decode_content=True).decode("utf-8", "replace")
        finally:
            response.release_conn()
        return Response(
            response.status,
            excerpt=excerpt[:EXCERPT],
            duration_ms=int((time.monotonic() - started) * 1000),
        )
    except (urllib3.exceptions.HTTPError, OSError) as error:
        return Response(
            None,
            error=f"{type(error).__name__}: {error}"[:300],
            duration_ms=int((time.monotonic() - started) * 1000),
        )
    finally:
        pool.close()


def delivery_attempt(*, delivery_id: int, now: datetime.datetime | None = None) -> str:
    """Attempt one delivery that is due: take it (a lease), POST the signed event, log the
    attempt, then mark it delivered, or schedule the next attempt, or give up after
    ``MAX_ATTEMPTS``. Returns what happened; safe to run twice (the second finds it taken
    or done)."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("endpoint", "event")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None:
            return "not due"
        endpoint, event = delivery.endpoint, delivery.event
        if not endpoint.enabled:
            delivery.next_attempt_at = None  # waits for the endpoint to be enabled again
            delivery.save(update_fields=["next_attempt_at"])
            return "endpoint disabled"
        delivery.next_attempt_at = now + LEASE
        delivery.save(update_fields=["next_attempt_at"])
    body = event_body(event)
    try:
        target = webhook_url_check(endpoint.url)  # again: the name may point elsewhere now
    except InvalidWebhookUrl as refused:
        response = Response(None, error=str(refused.message)[:300])
    else:
        headers = signed_headers(
            secret=endpoint_secret(endpoint),
            previous=endpoint_previous_secret(endpoint, now=now),
            msg_id=event.public_id,
            at=now,
            body=body,
        )
        response = http_post(target, body=body.encode(), headers=headers)
    return _attempt_record(delivery, response, now=now)


def _attempt_record(
    delivery: WebhookDelivery, response: Response, *, now: datetime.datetime
) -> str:
    endpoint = delivery.endpoint
    with transaction.atomic():
        locked = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        number = locked.attempts + 1
        WebhookAttempt.objects.create(
            delivery=locked,
            number=number,
            at=now,
            status_code=response.status_code,
            response_excerpt=response.excerpt,
            error=response.error,
            duration_ms=response.duration_ms,
        )
        locked.attempts = number
        locked.last_attempt_at = now
        if response.ok:
            locked.status = DeliveryStatus.SUCCEEDED
            locked.next_attempt_at = None
            outcome = "delivered"
        elif number >= MAX_ATTEMPTS:
            locked.status = DeliveryStatus.FAILED
            locked.next_attempt_at = None
            outcome = "gave up"
        else:
            locked.next_attempt_at = now + RETRY_SCHEDULE[number - 1]
            outcome = "retry"
        locked.save(update_fields=["attempts", "last_attempt_at", "status", "next_attempt_at"])
        if response.ok:
            WebhookEndpoint.objects.filter(pk=endpoint.pk).exclude(failing_since=None).update(
                failing_since=None
            )
        else:
            _endpoint_failed(endpoint, now=now)
    if outcome == "retry" and RETRY_SCHEDULE[number - 1] <= datetime.timedelta(minutes=5):
        # Short delays go to the broker with a countdown; longer ones wait for the sweeper
        # (a countdown of hours would outlive the broker's visibility timeout).
        from .tasks import deliver

        delay = RETRY_SCHEDULE[number - 1]
        transaction.on_commit(
            lambda: _send_later(deliver, locked.pk, int(delay.total_seconds()) + 1)
        )
    return outcome


def _send_later(task: Any, delivery_id: int, countdown: int) -> None:
    try:
        task.apply_async(args=[delivery_id], countdown=countdown, retry=False)
    except Exception:  # noqa: BLE001 - the sweeper sends it when the broker is back
        logger.warning("webhooks.deliver %s not queued: the broker is unavailable", delivery_id)


def _endpoint_failed(endpoint: WebhookEndpoint, *, now: datetime.datetime) -> None:
    """Start the endpoint's failing clock, or disable it once it has run ``DISABLE_AFTER``."""
    locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if locked.failing_since is None:
        locked.failing_since = now
        locked.save(update_fields=["failing_since"])
        return
    if locked.disabled_at is None and now - locked.failing_since >= DISABLE_AFTER:
        locked.disabled_at = now
        locked.disabled_reason = "failing for 3 days"
        locked.save(update_fields=["disabled_at", "disabled_reason"])
        transaction.on_commit(lambda: _owner_told_disabled(locked))


def _owner_told_disabled(endpoint: WebhookEndpoint) -> None:
    from django.contrib.auth import get_user_model

    owners = list(
        get_user_model()
        .objects.filter(seller_id=endpoint.seller_id, seller_role="owner", is_active=True)
        .values_list("email", flat=True)
    )
    if not owners:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Jingluo Express: your webhook endpoint was disabled")
        body = _(
            "Your webhook endpoint %(url)s has failed every delivery for 3 days, so we have "
            "disabled it. Fix the receiving server, then enable the endpoint again on the "
            "webhooks page of the portal; events that were not delivered can be sent again "
            "from there."
        ) % {"url": endpoint.url}
    try:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=owners)
    except Exception:
        logger.exception("E-mail about disabled webhook endpoint %s failed", endpoint.pk)


def delivery_resend(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again now (the seller's button): the same event, id and body, a new
    attempt; a delivery that gave up gets a fresh schedule."""
    with transaction.atomic():
        locked = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        locked.status = DeliveryStatus.PENDING
        locked.next_attempt_at = timezone.now()
        if locked.attempts >= MAX_ATTEMPTS:
            locked.attempts = MAX_ATTEMPTS - 1  # one more attempt, then it gives up again
        locked.save(update_fields=["status", "next_attempt_at", "attempts"])
        _enqueue([locked.pk])
    return locked


def deliveries_due_enqueue(*, now: datetime.datetime | None = None, limit: int = 1000) -> int:
    """The sweeper: queue every pending delivery whose attempt is due (a long retry delay
    over, a lease run out, the broker down when it was first queued)."""
    now = now or timezone.now()
    due = list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING,
            next_attempt_at__lte=now,
            endpoint__disabled_at__isnull=True,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    _enqueue(due)
    return len(due)
