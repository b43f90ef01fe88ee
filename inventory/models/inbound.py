"""Inbound notices (ASN): goods a seller declares on their way to a warehouse, received by
operations partially or in full; a notice closed short records each line's difference."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class InboundStatus(models.TextChoices):
    IN_TRANSIT = "in_transit", _("On its way")
    PARTIAL = "partial", _("Partly received")
    CLOSED = "closed", _("Closed")


# Where a notice may go: receiving moves it on; closing ends it (differences recorded).
INBOUND_TRANSITIONS: dict[str, set[str]] = {
    InboundStatus.IN_TRANSIT: {InboundStatus.PARTIAL, InboundStatus.CLOSED},
    InboundStatus.PARTIAL: {InboundStatus.PARTIAL, InboundStatus.CLOSED},
    InboundStatus.CLOSED: set(),
}


class Inbound(models.Model):
    seller = models.ForeignKey(
        "accounts.Seller",
        verbose_name=_("seller"),
        related_name="inbounds",
        on_delete=models.PROTECT,
    )
    warehouse = models.ForeignKey(
        "inventory.Warehouse",
        verbose_name=_("warehouse"),
        related_name="inbounds",
        on_delete=models.PROTECT,
    )
    reference = models.CharField(
        _("your reference"),
        max_length=64,
        blank=True,
        help_text=_("The freight's tracking or container number, for the warehouse."),
    )
    expected_on = models.DateField(_("expected on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=InboundStatus.choices, default=InboundStatus.IN_TRANSIT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("declared at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    note = models.TextField(_("receiving note"), blank=True)

    class Meta:
        verbose_name = _("inbound notice")
        verbose_name_plural = _("inbound notices")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["seller", "-created_at"], name="inventory_inbound_seller")]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"ASN-{self.pk:06d}" if self.pk else "ASN-new"


class InboundLine(models.Model):
    inbound = models.ForeignKey(
        Inbound, verbose_name=_("inbound notice"), related_name="lines", on_delete=models.CASCADE
    )
    sku = models.ForeignKey(
        "inventory.Sku", verbose_name=_("SKU"), related_name="+", on_delete=models.PROTECT
    )
    declared = models.PositiveIntegerField(_("declared"))
    received = models.PositiveIntegerField(_("received"), default=0)
    # Set when the notice is closed: declared − received, what never arrived.
    difference = models.PositiveIntegerField(_("difference"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbound line")
        verbose_name_plural = _("inbound lines")
        ordering = ["inbound", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inbound", "sku"], name="inventory_inbound_line_sku"),
            models.CheckConstraint(
                condition=Q(declared__gte=1), name="inventory_inbound_declared_positive"
            ),
            models.CheckConstraint(
                condition=Q(received__lte=F("declared")),
                name="inventory_inbound_received_within_declared",
            ),
            models.CheckConstraint(
                condition=Q(difference__isnull=True) | Q(difference=F("declared") - F("received")),
                name="inventory_inbound_difference_is_shortfall",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku_id}: {self.received}/{self.declared}"

    @property
    def outstanding(self) -> int:
        return 0 if self.difference is not None else self.declared - self.received
