"""Stock per (warehouse, SKU) and its append-only movements.

The four levels of a stock row are the sums of its movements' deltas, always: a service
that changes a level writes the movement in the same transaction (``services.movements``),
and ``stock_audit`` (command and admin action) proves it. The database keeps
on hand ≥ reserved ≥ 0 and inbound ≥ inbound locked ≥ 0; movements refuse UPDATE and
DELETE (a trigger, migration 0002).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Stock(models.Model):
    """What a warehouse holds of a SKU (4PX's available / pending / in transit):

    - ``on_hand``: on the shelves;
    - ``reserved``: of those, promised: to routed orders not yet picked up, and to presale
      locks (their part already on hand); free = on hand − reserved;
    - ``inbound``: declared on inbound notices (ASN), on their way, not yet received;
    - ``inbound_locked``: of those, locked for presale campaigns ahead of arrival.
    """

    warehouse = models.ForeignKey(
        "inventory.Warehouse",
        verbose_name=_("warehouse"),
        related_name="stock",
        on_delete=models.PROTECT,
    )
    sku = models.ForeignKey(
        "inventory.Sku", verbose_name=_("SKU"), related_name="stock", on_delete=models.PROTECT
    )
    on_hand = models.IntegerField(_("on hand"), default=0)
    reserved = models.IntegerField(_("reserved"), default=0)
    inbound = models.IntegerField(_("inbound"), default=0)
    inbound_locked = models.IntegerField(_("inbound, locked for presale"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        ordering = ["warehouse", "sku"]
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "sku"], name="inventory_stock_one_row"),
            models.CheckConstraint(
                condition=Q(on_hand__gte=F("reserved")), name="inventory_stock_on_hand_gte_reserved"
            ),
            models.CheckConstraint(
                condition=Q(reserved__gte=0), name="inventory_stock_reserved_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(inbound__gte=F("inbound_locked")),
                name="inventory_stock_inbound_gte_locked",
            ),
            models.CheckConstraint(
                condition=Q(inbound_locked__gte=0),
                name="inventory_stock_inbound_locked_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["sku", "warehouse"], name="inventory_stock_sku")]

    def __str__(self) -> str:
        return f"{self.warehouse_id}/{self.sku_id}"

    @property
    def free(self) -> int:
        return self.on_hand - self.reserved

    @property
    def free_inbound(self) -> int:
        return self.inbound - self.inbound_locked


class MovementKind(models.TextChoices):
    INBOUND = "inbound", _("Declared inbound")
    RECEIVED = "received", _("Received")
    RESERVED = "reserved", _("Reserved")
    RELEASED = "released", _("Released")
    SHIPPED = "shipped", _("Shipped")
    ADJUSTED = "adjusted", _("Adjusted")


class StockMovement(models.Model):
    """One change of a stock row's levels, with who and why; never changed or deleted."""

    stock = models.ForeignKey(
        Stock, verbose_name=_("stock"), related_name="movements", on_delete=models.PROTECT
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MovementKind.choices)
    quantity = models.PositiveIntegerField(_("quantity"))
    on_hand_delta = models.IntegerField(_("on hand ±"), default=0)
    reserved_delta = models.IntegerField(_("reserved ±"), default=0)
    inbound_delta = models.IntegerField(_("inbound ±"), default=0)
    inbound_locked_delta = models.IntegerField(_("inbound locked ±"), default=0)
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    reason = models.CharField(_("why"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    at = models.DateTimeField(_("at"), db_index=True)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["stock", "at"], name="inventory_movement_stock_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity} ({self.reference})"
