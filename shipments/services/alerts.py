"""Customs alerts (DOMAIN.md §2): a parcel held in customs is pushed to the seller at least
four hours before the hold threatens the promise.

A shipment in customs is due an alert when its promise is still ahead and either the hold
has lasted the lane's expected clearance time (``customs_since + customs_clearance_hours``)
or the promise is at most ``CUSTOMS_ALERT_LEAD`` + one sweep interval away, whichever comes
first. The sweep runs every ``CUSTOMS_ALERT_SWEEP`` (settings), so a hold that will be
within 4 hours of its promise by the next sweep is announced now: the seller always hears
of it at least 4 hours before the promise (the article: 提前4小时), never later (unless the
parcel entered customs with less time left, when it is announced at the first sweep). One
alert per hold: ``customs_alerted_at`` is claimed by a conditional UPDATE, so two workers
running the sweep at once cannot both send, and a new hold (entering customs again) clears
it.

The alert goes by SMS (``shipments.sms``) to the mobile number the owner set, if any, and by
e-mail to the seller's active users; each message is a ``Notification`` row. If every
channel fails, the claim is rolled back and the next sweep tries again.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import DateTimeField, DurationField, ExpressionWrapper, F, Q, Value
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pricing.destination_time import destination_zone

from ..models import Notification, Shipment, ShipmentStatus
from ..sms import sms_send
from .events import customs_held_emit

logger = logging.getLogger(__name__)

CUSTOMS_ALERT_LEAD = datetime.timedelta(hours=4)
# How often beat runs the sweep (``CELERY_BEAT_SCHEDULE``'s "shipments-customs-alerts").
CUSTOMS_ALERT_SWEEP = datetime.timedelta(seconds=settings.CUSTOMS_ALERT_SWEEP_SECONDS)
KIND = "customs_hold"


class _NothingSent(Exception):
    """Every channel failed: roll the claim back for the next sweep."""


def seller_sms_number(seller) -> str:
    """The number a seller's SMS alerts go to (E.164), set by the account's owner on the
    team page; "" when none is set, and the alert goes by e-mail only."""
    return seller.alert_phone


def customs_alerts_due(*, now: datetime.datetime):
    """Shipments in customs whose alert is due at ``now`` and not yet sent."""
    hold_ends = ExpressionWrapper(
        F("customs_since")
        + ExpressionWrapper(
            F("customs_clearance_hours") * Value(datetime.timedelta(hours=1)),
            output_field=DurationField(),
        ),
        output_field=DateTimeField(),
    )
    return (
        Shipment.objects.filter(
            status=ShipmentStatus.CUSTOMS,
            customs_since__isnull=False,
            customs_alerted_at__isnull=True,
            promised_by__gt=now,
        )
        .annotate(hold_ends=hold_ends)
        .filter(
            Q(hold_ends__lte=now)
            | Q(promised_by__lte=now + CUSTOMS_ALERT_LEAD + CUSTOMS_ALERT_SWEEP)
        )
        .select_related("seller")
        .order_by("customs_since", "pk")
    )


def customs_alerts_send(*, now: datetime.datetime | None = None) -> list[int]:
    """Send every alert due at ``now``; returns the ids of the shipments alerted. Safe to
    run twice, or on two workers at once."""
    now = now or timezone.now()
    alerted = []
    for shipment in customs_alerts_due(now=now):
        try:
            if customs_alert_send(shipment=shipment, now=now):
                alerted.append(shipment.pk)
        except _NothingSent:
            logger.warning("Customs alert for %s: every channel failed", shipment.tracking_number)
    return alerted


def customs_alert_send(*, shipment: Shipment, now: datetime.datetime) -> bool:
    """Claim this hold's alert and send it; ``False`` if another run claimed it first."""
    with transaction.atomic():
        claimed = Shipment.objects.filter(
            pk=shipment.pk,
            status=ShipmentStatus.CUSTOMS,
            customs_since=shipment.customs_since,
            customs_alerted_at__isnull=True,
        ).update(customs_alerted_at=now)
        if not claimed:
            return False
        shipment.customs_alerted_at = now
        customs_held_emit(shipment)
        if not shipment.livemode:  # a test parcel: its webhook only, no SMS or e-mail
            return True
        notifications = _notify(shipment)
        Notification.objects.bulk_create(notifications)
    return True


def _message(shipment: Shipment) -> tuple[str, str]:
    local = timezone.localtime
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Jingluo Express: parcel %(tracking)s is held in customs") % {
            "tracking": shipment.tracking_number
        }
        body = _(
            "Parcel %(tracking)s (order %(order)s) has been in customs since %(since)s, "
            "beyond the expected clearance of %(hours)d hours. Its promised delivery is "
            "%(promised)s. We are following it up with customs; check the shipment's "
            "timeline in the portal."
        ) % {
            "tracking": shipment.tracking_number,
            "order": shipment.order_number,
            "since": f"{local(shipment.customs_since):%Y-%m-%d %H:%M}",
            "hours": shipment.customs_clearance_hours,
            "promised": promised_label(shipment),
        }
    return subject, body


def promised_label(shipment: Shipment) -> str:
    """The promised date as the destination counts it: "2026-08-21 (America/Los_Angeles)"."""
    if shipment.promised_by is None:
        return "—"
    zone = destination_zone(shipment.country, shipment.postcode)
    return f"{timezone.localtime(shipment.promised_by, zone):%Y-%m-%d} ({zone.key})"


def _notify(shipment: Shipment) -> list[Notification]:
    subject, body = _message(shipment)
    attempted, sent = 0, []
    phone = seller_sms_number(shipment.seller)
    if phone:
        attempted += 1
        try:
            sms_send(to=phone, body=body)
        except Exception:
            logger.exception("Customs alert SMS for %s failed", shipment.tracking_number)
        else:
            sent.append(_row(shipment, Notification.Channel.SMS, phone, body))
    emails = list(
        shipment.seller.users.filter(is_active=True).order_by("pk").values_list("email", flat=True)
    )
    if emails:
        attempted += 1
        try:
            send_mail(subject=subject, message=body, from_email=None, recipient_list=emails)
        except Exception:
            logger.exception("Customs alert e-mail for %s failed", shipment.tracking_number)
        else:
            sent.extend(_row(shipment, Notification.Channel.EMAIL, e, body) for e in emails)
    if attempted and not sent:
        raise _NothingSent
    if not attempted:
        logger.warning("Customs alert for %s: the seller has no contact", shipment.tracking_number)
    return sent


def _row(shipment: Shipment, channel: str, recipient: str, body: str) -> Notification:
    return Notification(
        shipment=shipment, kind=KIND, channel=channel, recipient=recipient, body=body
    )
