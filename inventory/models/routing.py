"""Routed orders (智能分单): an order split to the warehouse(s) that hold it, each allocation
reserved and shipped from its warehouse through the order gate. One route per order number
and seller: routing it again returns the first result."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Policy(models.TextChoices):
    FILL_OR_KILL = "fill_or_kill", _("All lines or nothing")
    FILL_ALL_AVAILABLE = "fill_all_available", _("What is in stock; the rest from China")


class RouteStatus(models.TextChoices):
    ROUTED = "routed", _("Routed")
    CANCELLED = "cancelled", _("Cancelled")


ROUTE_TRANSITIONS: dict[str, set[str]] = {
    RouteStatus.ROUTED: {RouteStatus.CANCELLED},
    RouteStatus.CANCELLED: set(),
}


class RoutedOrder(models.Model):
    seller = models.ForeignKey(
        "accounts.Seller",
        verbose_name=_("seller"),
        related_name="routed_orders",
        on_delete=models.PROTECT,
    )
    order_number = models.CharField(_("platform order number"), max_length=64)
    policy = models.CharField(_("policy"), max_length=20, choices=Policy.choices)
    campaign = models.ForeignKey(
        "inventory.Campaign",
        verbose_name=_("presale campaign"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    max_splits = models.PositiveSmallIntegerField(_("at most parcels"))
    country = models.CharField(_("country"), max_length=2)
    postcode = models.CharField(_("postcode"), max_length=12, blank=True)
    lines = models.JSONField(_("lines asked"), default=list)  # [{"sku", "quantity"}]
    unallocated = models.JSONField(_("not allocated"), default=list, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    seconds = models.FloatField(_("seconds to route"))
    status = models.CharField(
        _("status"), max_length=10, choices=RouteStatus.choices, default=RouteStatus.ROUTED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("routed by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("routed at"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("routed order")
        verbose_name_plural = _("routed orders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "order_number"], name="inventory_route_one_per_order"
            ),
        ]
        indexes = [
            models.Index(fields=["seller", "-created_at", "-id"], name="inventory_route_recent"),
        ]

    def __str__(self) -> str:
        return self.order_number


class AllocationStatus(models.TextChoices):
    RESERVED = "reserved", _("Reserved")
    SHIPPED = "shipped", _("Shipped")
    RELEASED = "released", _("Released")


ALLOCATION_TRANSITIONS: dict[str, set[str]] = {
    AllocationStatus.RESERVED: {AllocationStatus.SHIPPED, AllocationStatus.RELEASED},
    AllocationStatus.SHIPPED: set(),
    AllocationStatus.RELEASED: set(),
}


class Allocation(models.Model):
    """One parcel of a routed order: lines reserved at one warehouse, shipped as one
    shipment numbered ``<order number>/<position>``."""

    order = models.ForeignKey(
        RoutedOrder,
        verbose_name=_("routed order"),
        related_name="allocations",
        on_delete=models.CASCADE,
    )
    seller = models.ForeignKey(
        "accounts.Seller", verbose_name=_("seller"), related_name="+", on_delete=models.PROTECT
    )
    position = models.PositiveSmallIntegerField(_("parcel"))
    warehouse = models.ForeignKey(
        "inventory.Warehouse",
        verbose_name=_("warehouse"),
        related_name="allocations",
        on_delete=models.PROTECT,
    )
    shipment_order_number = models.CharField(_("shipment's order number"), max_length=64)
    shipment = models.OneToOneField(
        "shipments.Shipment",
        verbose_name=_("shipment"),
        related_name="allocation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AllocationStatus.choices,
        default=AllocationStatus.RESERVED,
    )
    changed_at = models.DateTimeField(_("status changed at"))

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="inventory_allocation_n"),
            models.UniqueConstraint(
                fields=["seller", "shipment_order_number"],
                name="inventory_allocation_shipment_number",
            ),
        ]

    def __str__(self) -> str:
        return self.shipment_order_number


class AllocationLine(models.Model):
    allocation = models.ForeignKey(
        Allocation, verbose_name=_("allocation"), related_name="lines", on_delete=models.CASCADE
    )
    stock = models.ForeignKey(
        "inventory.Stock", verbose_name=_("stock"), related_name="+", on_delete=models.PROTECT
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    from_lock = models.PositiveIntegerField(_("from the presale lock"), default=0)
    lock = models.ForeignKey(
        "inventory.PresaleLock",
        verbose_name=_("presale lock"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("allocated line")
        verbose_name_plural = _("allocated lines")
        ordering = ["allocation", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="inventory_allocline_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(from_lock__lte=F("quantity")), name="inventory_allocline_lock_part"
            ),
            models.CheckConstraint(
                condition=Q(from_lock=0) | Q(lock__isnull=False),
                name="inventory_allocline_lock_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stock_id} × {self.quantity}"
