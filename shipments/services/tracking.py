"""Tracking: the one door for a shipment's status changes, and the carrier's events.

``shipment_transition`` moves a shipment along ``SHIPMENT_TRANSITIONS`` (portal and
operations actions: label printed, cancelled…), refusing what the table forbids.
``shipment_event_record`` stores a carrier scan: once per ``event_id`` (the unique
constraint decides, never a check-then-create), applied when it moves the parcel on, kept
with ``applied=False`` when it is late (an earlier step, or a move the table forbids).

The dates the promise hangs on are fixed here: pickup sets ``promised_by`` once and nothing
overwrites it. The promise is a date: the pickup's date + the lane's transit days (frozen on
the shipment at creation), counted in the destination's time zone; ``promised_by`` is the
last instant of that date there, so delivery sets ``on_time = delivered_at <= promised_by``:
delivered on the promised date, at any hour, is on time. Event times must carry a UTC
offset: legs cross China, the US and Europe.
"""

import base64
import binascii
import datetime
import enum
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tasks import enqueue_on_commit
from pricing.destination_time import destination_zone, end_of_day, promised_date

from ..exceptions import IllegalStatusChange, TrackingEventInvalid
from ..hooks import StatusChange, status_changed
from ..models import (
    SHIPMENT_TRANSITIONS,
    STATUS_RANK,
    EventSource,
    Shipment,
    ShipmentEvent,
    ShipmentStatus,
)
from .events import tracker_updated_emit, trackers_updated_emit

S = ShipmentStatus

# Statuses a carrier reports. Created, label printed and cancelled happen in the portal.
CARRIER_STATUSES = frozenset(
    {
        S.PICKED_UP,
        S.IN_TRANSIT,
        S.CUSTOMS,
        S.OUT_FOR_DELIVERY,
        S.DELIVERED,
        S.EXCEPTION,
        S.RETURNED,
    }
)
# Reaching one of these means the carrier has the parcel, even when the pickup scan itself
# was missed: the first of them fixes the pickup time and the promise.
_CARRIER_HAS_IT = frozenset(
    {S.PICKED_UP, S.IN_TRANSIT, S.CUSTOMS, S.OUT_FOR_DELIVERY, S.DELIVERED, S.RETURNED}
)
MAX_EVENT_ID = 100


class Outcome(enum.StrEnum):
    APPLIED = "applied"  # moved the parcel on
    DUPLICATE = "duplicate"  # this event id was already stored: ignored
    LATE = "late"  # stored for the timeline, status unchanged


@dataclass(frozen=True, slots=True)
class Recorded:
    event: ShipmentEvent
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class CarrierEvent:
    """One carrier event, checked, before it is matched to a shipment."""

    event_id: str
    tracking_number: str
    status: str
    at: datetime.datetime
    location: str = ""
    description: str = ""


# ---------------------------------------------------------------------------
# The carrier webhook's signature: Standard Webhooks (https://www.standardwebhooks.com/)
# ---------------------------------------------------------------------------
SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
MAX_WEBHOOK_ID = 256


class WebhookSecretInvalid(ValueError):
    """``CARRIER_WEBHOOK_SECRET`` is not ``whsec_`` followed by base64."""


def carrier_webhook_key(secret: str) -> bytes:
    """The HMAC key of a Standard Webhooks secret: ``whsec_<base64>``; ``b""`` when unset."""
    if not secret:
        return b""
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise WebhookSecretInvalid(secret[:6]) from error
    if len(key) < 24:  # the spec asks for 24 to 64 random bytes
        raise WebhookSecretInvalid(secret[:6])
    return key


def carrier_webhook_signature(*, key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    """``v1,<base64 HMAC-SHA256 of "{msg_id}.{timestamp}.{body}">``, as the spec signs."""
    signed = msg_id.encode() + b"." + str(timestamp).encode() + b"." + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def carrier_webhook_headers(
    *, body: bytes, secret: str, msg_id: str, at: datetime.datetime | None = None
) -> dict[str, str]:
    """The three headers a carrier sends with ``body``: what the tests and the browser
    journeys send, and what the README shows carriers."""
    timestamp = int((at or timezone.now()).timestamp())
    key = carrier_webhook_key(secret)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": carrier_webhook_signature(
            key=key, msg_id=msg_id, timestamp=timestamp, body=body
        ),
    }


def carrier_webhook_verify(*, body: bytes, headers, now: datetime.datetime | None = None) -> bool:
    """Whether the Standard Webhooks headers sign ``body`` with ``CARRIER_WEBHOOK_SECRET``
    within the replay window (``CARRIER_WEBHOOK_TOLERANCE_SECONDS`` either side of now).
    Any of the space-separated ``v1,`` signatures may match (the carrier rotating its
    secret); compared in constant time. No secret configured, a missing or malformed header,
    a timestamp outside the window: not valid."""
    try:
        key = carrier_webhook_key(settings.CARRIER_WEBHOOK_SECRET)
    except WebhookSecretInvalid:
        return False  # reported at start by the system check shipments.W001
    msg_id = headers.get("webhook-id", "")
    raw_timestamp = headers.get("webhook-timestamp", "")
    signatures = headers.get("webhook-signature", "")
    if not (key and msg_id and signatures) or len(msg_id) > MAX_WEBHOOK_ID:
        return False
    if not (raw_timestamp.isascii() and raw_timestamp.isdigit()) or len(raw_timestamp) > 12:
        return False
    timestamp = int(raw_timestamp)
    now_s = (now or timezone.now()).timestamp()
    if abs(now_s - timestamp) > settings.CARRIER_WEBHOOK_TOLERANCE_SECONDS:
        return False
    expected = carrier_webhook_signature(
        key=key, msg_id=msg_id, timestamp=timestamp, body=body
    ).encode()
    matched = False
    for candidate in signatures.split(" ")[:10]:
        matched |= hmac.compare_digest(expected, candidate.strip().encode("utf-8", "replace"))
    return matched


def aware_check(at: datetime.datetime) -> datetime.datetime:
    if not isinstance(at, datetime.datetime) or timezone.is_naive(at):
        raise TrackingEventInvalid(
            _("The event time must carry a UTC offset, e.g. 2026-08-15T10:00:00+08:00.")
        )
    return at


def carrier_event_parse(raw: dict) -> CarrierEvent:
    """A ``CarrierEvent`` from the webhook's JSON object or a CSV row (strings), or
    ``TrackingEventInvalid`` saying what is wrong."""
    values = {key: raw.get(key) for key in ("event_id", "tracking_number", "status", "at")}
    missing = [key for key, value in values.items() if not str(value or "").strip()]
    if missing:
        raise TrackingEventInvalid(_("Missing value: %(fields)s.") % {"fields": ", ".join(missing)})
    texts = {key: value for key, value in values.items() if isinstance(value, str)}
    if len(texts) != len(values):
        raise TrackingEventInvalid(_("event_id, tracking_number, status and at are text."))
    event_id = texts["event_id"].strip()
    if len(event_id) > MAX_EVENT_ID:
        raise TrackingEventInvalid(
            _("The event ID is longer than %(max)d characters.") % {"max": MAX_EVENT_ID}
        )
    status = texts["status"].strip().lower()
    if status not in CARRIER_STATUSES:
        raise TrackingEventInvalid(
            _("Unknown status “%(status)s”: use one of %(statuses)s.")
            % {"status": texts["status"].strip(), "statuses": ", ".join(sorted(CARRIER_STATUSES))}
        )
    try:
        at = datetime.datetime.fromisoformat(texts["at"].strip())
    except ValueError:
        raise TrackingEventInvalid(
            _("“%(at)s” is not a date and time in ISO 8601, e.g. 2026-08-15T10:00:00+08:00.")
            % {"at": texts["at"].strip()}
        ) from None
    aware_check(at)
    return CarrierEvent(
        event_id=event_id,
        tracking_number=texts["tracking_number"].strip().upper(),
        status=status,
        at=at,
        location=_text(raw.get("location"), 200),
        description=_text(raw.get("description"), 300),
    )


def _text(value, limit: int) -> str:
    return str(value or "").strip()[:limit]


def _lock(shipment: Shipment) -> Shipment:
    """The one place shipments are locked for a status change."""
    return Shipment.objects.select_for_update().get(pk=shipment.pk)


def _applies(shipment: Shipment, to_status: str, at: datetime.datetime) -> bool:
    """Whether an event moves the parcel: the table allows the move, and it does not go
    back in the lifecycle, unless the table allows that step back (customs → in transit,
    an exception resolved) and the event is newer than the current status."""
    if to_status not in SHIPMENT_TRANSITIONS[shipment.status]:
        return False
    if STATUS_RANK[to_status] >= STATUS_RANK[shipment.status]:
        return True
    return at > shipment.status_changed_at


def _apply(shipment: Shipment, to_status: str, at: datetime.datetime) -> None:
    """Move the (locked) shipment and stamp the dates that belong to the new status; the
    apps hooked on status changes (``shipments.hooks``) follow in the same transaction."""
    from_status = shipment.status
    fields: dict[str, Any] = {"status": to_status, "status_changed_at": at}
    if to_status == S.LABEL_PRINTED and shipment.label_printed_at is None:
        fields["label_printed_at"] = at
    if to_status in _CARRIER_HAS_IT:
        picked_up_at = shipment.picked_up_at
        if picked_up_at is None:
            picked_up_at = fields["picked_up_at"] = at
        if shipment.promised_by is None:
            # Fixed once, at pickup; a carrier's later estimate never moves it.
            fields["promised_by"] = promise_of(shipment, picked_up_at=picked_up_at)
    if to_status == S.CUSTOMS:
        fields["customs_since"] = at
        fields["customs_alerted_at"] = None  # a new hold, a new alert
    if to_status == S.DELIVERED:
        fields["delivered_at"] = at
        promised_by = fields.get("promised_by", shipment.promised_by)  # set at pickup
        fields["on_time"] = None if promised_by is None else at <= promised_by
    if to_status == S.CANCELLED:
        fields["cancelled_at"] = at
    for name, value in fields.items():
        setattr(shipment, name, value)
    shipment.save(update_fields=list(fields))
    status_changed(StatusChange(shipment, from_status, to_status, at))
    if shipment.is_trial and shipment.livemode and to_status in (S.DELIVERED, S.RETURNED):
        from ..tasks import trial_evaluate

        # Lost with the broker, the daily sweep (``trials_evaluate_due``) evaluates it.
        enqueue_on_commit(trial_evaluate, shipment.store_id)


def promise_of(shipment: Shipment, *, picked_up_at: datetime.datetime) -> datetime.datetime:
    """The promise as an instant: the end of the promised date (pickup's date + the lane's
    transit days) in the destination's time zone (``pricing.destination_time``), so that a
    parcel delivered on that date there is on time, whatever the hour."""
    day = promised_date(picked_up_at=picked_up_at, transit_days=shipment.transit_days)
    return end_of_day(day, destination_zone(shipment.country, shipment.postcode))


def shipment_transition(
    *,
    shipment: Shipment,
    to_status: str,
    at: datetime.datetime,
    source: str,
    actor=None,
    event_id: str | None = None,
    location: str = "",
    description: str = "",
) -> ShipmentEvent:
    """Move a shipment to ``to_status`` and write its audit event, in one transaction.

    Raises ``IllegalStatusChange`` when the table forbids the move (nothing written) and
    ``TrackingEventInvalid`` for a naive time. Updates ``shipment`` in place.
    """
    aware_check(at)
    with transaction.atomic():
        locked = _lock(shipment)
        if to_status not in SHIPMENT_TRANSITIONS[locked.status]:
            raise IllegalStatusChange(
                _("Shipment %(tracking)s is “%(from)s”: it cannot become “%(to)s”.")
                % {
                    "tracking": locked.tracking_number,
                    "from": S(locked.status).label,
                    "to": S(to_status).label,
                }
            )
        from_status = locked.status
        _apply(locked, to_status, at)
        event = ShipmentEvent.objects.create(
            shipment=locked,
            event_id=event_id,
            status=to_status,
            from_status=from_status,
            at=at,
            location=location,
            description=description,
            source=source,
            applied=True,
            actor=actor,
        )
        tracker_updated_emit(
            locked, from_status=from_status, at=at, location=location, description=description
        )
    _copy_tracking_fields(locked, shipment)
    return event


def shipment_event_record(
    *, shipment: Shipment, event: CarrierEvent, source: str = EventSource.WEBHOOK
) -> Recorded:
    """Store one carrier event for ``shipment``: applied, a duplicate (ignored, the stored
    one returned) or late (stored with ``applied=False``, status unchanged)."""
    aware_check(event.at)
    with transaction.atomic():
        locked = _lock(shipment)
        applies = _applies(locked, event.status, event.at)
        from_status = locked.status
        try:
            # The unique event_id decides: two deliveries of the same event at once both
            # try, one wins, the other lands here.
            with transaction.atomic():
                stored = ShipmentEvent.objects.create(
                    shipment=locked,
                    event_id=event.event_id,
                    status=event.status,
                    from_status=from_status,
                    at=event.at,
                    location=event.location,
                    description=event.description,
                    source=source,
                    applied=applies,
                )
        except IntegrityError:
            return Recorded(ShipmentEvent.objects.get(event_id=event.event_id), Outcome.DUPLICATE)
        if applies:
            _apply(locked, event.status, event.at)
            tracker_updated_emit(
                locked,
                from_status=from_status,
                at=event.at,
                location=event.location,
                description=event.description,
            )
    _copy_tracking_fields(locked, shipment)
    return Recorded(stored, Outcome.APPLIED if applies else Outcome.LATE)


@dataclass
class OutcomeCounts:
    """How many carrier events were applied, ignored as duplicates, or kept as late."""

    applied: int = 0
    duplicates: int = 0
    late: int = 0

    def count(self, outcome: Outcome) -> None:
        if outcome == Outcome.APPLIED:
            self.applied += 1
        elif outcome == Outcome.DUPLICATE:
            self.duplicates += 1
        else:
            self.late += 1


@dataclass
class EventBatchResult(OutcomeCounts):
    unknown: list[str] | None = None

    def as_json(self) -> dict:
        return {
            "applied": self.applied,
            "duplicates": self.duplicates,
            "late": self.late,
            "unknown_tracking_numbers": self.unknown or [],
        }


def carrier_events_record(*, events: list[CarrierEvent], source: str) -> EventBatchResult:
    """Record checked carrier events in order, each in its own transaction (a retry of the
    batch is harmless: duplicates are ignored). Unknown tracking numbers are reported."""
    numbers = {event.tracking_number for event in events}
    shipments = {s.tracking_number: s for s in Shipment.objects.filter(tracking_number__in=numbers)}
    unknown: list[str] = []
    result = EventBatchResult(unknown=unknown)
    for event in events:
        shipment = shipments.get(event.tracking_number)
        if shipment is None:
            if event.tracking_number not in unknown:
                unknown.append(event.tracking_number)
            continue
        result.count(shipment_event_record(shipment=shipment, event=event, source=source).outcome)
    return result


def shipments_mark_label_printed(
    *, shipment_ids: list[int], at: datetime.datetime, actor=None, source: str = EventSource.PORTAL
) -> int:
    """Move every shipment of ``shipment_ids`` that is still ``created`` to
    ``label_printed``, with one audit event each; others are left as they are (a reprint).
    One lock, one update and one insert for the lot. Returns how many moved."""
    aware_check(at)
    with transaction.atomic():
        ids = list(
            Shipment.objects.select_for_update()
            .filter(pk__in=shipment_ids, status=S.CREATED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        Shipment.objects.filter(pk__in=ids).update(
            status=S.LABEL_PRINTED, status_changed_at=at, label_printed_at=at
        )
        ShipmentEvent.objects.bulk_create(
            ShipmentEvent(
                shipment_id=pk,
                status=S.LABEL_PRINTED,
                from_status=S.CREATED,
                at=at,
                source=source,
                applied=True,
                actor=actor,
            )
            for pk in ids
        )
        trackers_updated_emit(
            list(Shipment.objects.filter(pk__in=ids).order_by("pk")),
            from_status=S.CREATED,
            at=at,
        )
    return len(ids)


_TRACKING_FIELDS = (
    "status",
    "status_changed_at",
    "label_printed_at",
    "picked_up_at",
    "promised_by",
    "customs_since",
    "customs_alerted_at",
    "delivered_at",
    "on_time",
    "cancelled_at",
)


def _copy_tracking_fields(source: Shipment, target: Shipment) -> None:
    if source is not target:
        for name in _TRACKING_FIELDS:
            setattr(target, name, getattr(source, name))
