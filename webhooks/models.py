"""Webhooks out: a seller's endpoints, the events that happened to the seller, and each
delivery of an event to an endpoint with every attempt logged (DOMAIN.md §7).

An event is stored once, with a stable id (``evt_…``) that every attempt sends as the
Standard Webhooks ``webhook-id``, so a receiver that sees it twice ignores the second
(delivery is at least once). An event is stored only when the seller has an endpoint that
wants it: the hot path of an order without endpoints writes nothing here.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    SHIPMENT_CREATED = "shipment.created", _("Shipment created")
    SHIPMENT_REFUSED = "shipment.refused", _("Order refused by the gate")
    TRACKER_UPDATED = "tracker.updated", _("Tracking status changed")
    CUSTOMS_HELD = "customs.held", _("Parcel held in customs")
    STATEMENT_ISSUED = "statement.issued", _("Monthly statement issued")
    BALANCE_LOW = "balance.low", _("Prepaid balance low")


class WebhookEndpoint(models.Model):
    """Where a seller's system wants its events: an ``https://`` URL, in live or test mode
    (a test key's events go to test endpoints only). The signing secret is stored
    encrypted (``core.crypto``) and shown once, when the endpoint is created or its secret
    rotated."""

    seller = models.ForeignKey(
        "accounts.Seller",
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("seller"),
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    livemode = models.BooleanField(_("live"), default=True)
    # Event types sent to this endpoint; empty: every type.
    enabled_events = models.JSONField(_("events"), default=list, blank=True)
    secret_encrypted = models.BinaryField(_("signing secret (encrypted)"), editable=False)
    # After a rotation the previous secret still signs, beside the new one, until
    # ``previous_secret_until``: the receiver switches secrets without missing an event.
    previous_secret_encrypted = models.BinaryField(
        _("previous signing secret (encrypted)"), editable=False, default=b""
    )
    previous_secret_until = models.DateTimeField(
        _("previous secret signs until"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set at the first failed attempt after a success, cleared by the next success: an
    # endpoint failing for ``DISABLE_AFTER`` is disabled and its owner e-mailed.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    disabled_reason = models.CharField(_("why disabled"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["seller", "livemode"], name="webhook_endpoint_seller")]

    def __str__(self) -> str:
        return self.url

    @property
    def enabled(self) -> bool:
        return self.disabled_at is None


class WebhookEvent(models.Model):
    """Something that happened to a seller, as sent to its endpoints."""

    public_id = models.CharField(_("event ID"), max_length=40, unique=True)
    type = models.CharField(_("type"), max_length=40, choices=EventType.choices)
    seller = models.ForeignKey(
        "accounts.Seller", on_delete=models.CASCADE, related_name="+", verbose_name=_("seller")
    )
    livemode = models.BooleanField(_("live"), default=True)
    data = models.JSONField(_("data"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.public_id} {self.type}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed (gave up)")


class WebhookDelivery(models.Model):
    """One event to one endpoint: attempted until the endpoint answers 2xx or the retry
    schedule (``services.RETRY_SCHEDULE``, more than 24 h) runs out."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # When the next attempt is due; also a lease: a worker taking the delivery moves it
    # ahead, so that the sweeper does not hand it to another worker meanwhile.
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="webhook_delivery_once"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due",
                condition=Q(status="pending"),
            ),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery, as the seller sees it on the webhooks page."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    at = models.DateTimeField(_("at"))
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    response_excerpt = models.CharField(_("response (excerpt)"), max_length=500, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhook_attempt_once"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
