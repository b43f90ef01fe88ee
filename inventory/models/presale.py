"""Presale campaigns and their stock locks (预售锁仓).

A lock holds a quantity of a SKU in a warehouse for a campaign until it expires: the part
already on hand is counted in the stock's ``reserved`` (``held``), the part still inbound in
its ``inbound_locked`` (``awaiting``, held once received). Orders for the campaign consume
it before free stock; a cancelled order gives back to it while it lasts. At expiry (the
Celery beat task), or when the seller releases it, what is left goes back to free stock.
Always: quantity = held + awaiting + consumed + released.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Campaign(models.Model):
    seller = models.ForeignKey(
        "accounts.Seller",
        verbose_name=_("seller"),
        related_name="campaigns",
        on_delete=models.PROTECT,
    )
    code = models.CharField(
        _("campaign code"), max_length=40, help_text=_("e.g. BF2026: orders name it.")
    )
    name = models.CharField(_("name"), max_length=100)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("presale campaign")
        verbose_name_plural = _("presale campaigns")
        ordering = ["seller", "code"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "code"], name="inventory_campaign_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class LockStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    RELEASED = "released", _("Released")


# A lock ends once, by its expiry or by the seller: nothing reopens it.
LOCK_TRANSITIONS: dict[str, set[str]] = {
    LockStatus.ACTIVE: {LockStatus.EXPIRED, LockStatus.RELEASED},
    LockStatus.EXPIRED: set(),
    LockStatus.RELEASED: set(),
}


class PresaleLock(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), related_name="locks", on_delete=models.PROTECT
    )
    stock = models.ForeignKey(
        "inventory.Stock",
        verbose_name=_("stock"),
        related_name="locks",
        on_delete=models.PROTECT,
    )
    quantity = models.PositiveIntegerField(_("locked"))
    held = models.IntegerField(_("held on hand"), default=0)
    awaiting = models.IntegerField(_("awaiting inbound"), default=0)
    consumed = models.IntegerField(_("taken by orders"), default=0)
    released = models.IntegerField(_("released"), default=0)
    expires_at = models.DateTimeField(_("expires at"))
    status = models.CharField(
        _("status"), max_length=10, choices=LockStatus.choices, default=LockStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("locked by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("locked at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("presale lock")
        verbose_name_plural = _("presale locks")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="inventory_lock_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(held__gte=0, awaiting__gte=0, consumed__gte=0, released__gte=0),
                name="inventory_lock_parts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(quantity=F("held") + F("awaiting") + F("consumed") + F("released")),
                name="inventory_lock_parts_add_up",
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(held=0, awaiting=0),
                name="inventory_lock_ended_holds_nothing",
            ),
        ]
        indexes = [
            models.Index(
                fields=["expires_at"],
                name="inventory_lock_active_expiry",
                condition=Q(status="active"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.quantity} of {self.stock_id}"

    @property
    def remaining(self) -> int:
        return self.held + self.awaiting
