"""The warehouse network we operate, and the sellers' SKUs stocked in it."""

import datetime

from django.contrib.postgres.fields import ArrayField
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

WAREHOUSE_CODE = r"^[A-Z0-9][A-Z0-9-]{1,11}$"
COUNTRY = r"^[A-Z]{2}$"
HS_CODE = r"^[0-9]{6,10}$"


class Warehouse(models.Model):
    """An overseas warehouse (海外仓) operated by us, managed by operations in the admin.
    Its last-mile lanes are rate-card lanes with its ``origin`` (pricing) as their start."""

    code = models.CharField(
        _("code"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(WAREHOUSE_CODE, _("Capital letters, digits and hyphens."))],
        help_text=_("Short and stable, e.g. US-LAX; sellers and reports name it."),
    )
    name = models.CharField(_("name"), max_length=100)
    country = models.CharField(
        _("country"), max_length=2, validators=[RegexValidator(COUNTRY, _("ISO 3166-1 code."))]
    )
    serves = ArrayField(
        models.CharField(max_length=2),
        verbose_name=_("destination countries served"),
        default=list,
        blank=True,
        help_text=_("ISO codes of the countries it ships to, e.g. US or DE, FR, GB."),
    )
    cutoff = models.TimeField(
        _("cut-off time"),
        default=datetime.time(15, 0),
        help_text=_("Orders routed after this local time leave the next day."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", help_text=_("e.g. America/Los_Angeles")
    )
    origin = models.OneToOneField(
        "pricing.Origin",
        verbose_name=_("origin on the rate card"),
        related_name="warehouse",
        on_delete=models.PROTECT,
        to_field="code",
        limit_choices_to={"kind": "warehouse"},
        help_text=_("The origin its last-mile lanes start from (Pricing → Origins)."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive: no order is routed to it.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=WAREHOUSE_CODE), name="inventory_warehouse_code"
            ),
            models.CheckConstraint(
                condition=models.Q(country__regex=COUNTRY), name="inventory_warehouse_country"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Sku(models.Model):
    """A seller's product as stocked and declared: the item line of every parcel routing
    makes from it (description, HS code, weight, value, battery) comes from here."""

    seller = models.ForeignKey(
        "accounts.Seller", verbose_name=_("seller"), related_name="skus", on_delete=models.PROTECT
    )
    code = models.CharField(_("SKU"), max_length=64)
    name_en = models.CharField(
        _("description (English)"),
        max_length=200,
        help_text=_("What it is, as customs read it, e.g. “women's cotton T-shirt”."),
    )
    name_zh = models.CharField(_("description (Chinese)"), max_length=200, blank=True)
    hs_code = models.CharField(_("HS code"), max_length=10, blank=True)
    unit_weight_g = models.PositiveIntegerField(_("unit weight (g)"))
    length_cm = models.DecimalField(
        _("length (cm)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    width_cm = models.DecimalField(
        _("width (cm)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    height_cm = models.DecimalField(
        _("height (cm)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    contains_battery = models.BooleanField(_("contains lithium batteries"), default=False)
    unit_value = models.DecimalField(_("unit value"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    origin_country = models.CharField(_("country of origin"), max_length=2, default="CN")
    gtin = models.CharField(_("GTIN/EAN"), max_length=14, blank=True)
    mpn = models.CharField(_("manufacturer part number"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("SKU")
        verbose_name_plural = _("SKUs")
        ordering = ["seller", "code"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "code"], name="inventory_sku_one_per_code"),
            models.CheckConstraint(
                condition=models.Q(unit_weight_g__gte=1), name="inventory_sku_weight_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(unit_value__gt=0), name="inventory_sku_value_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(hs_code="") | models.Q(hs_code__regex=HS_CODE),
                name="inventory_sku_hs_code_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name_en}"

    @property
    def dims_cm(self) -> tuple[object, object, object] | None:
        if self.length_cm is None or self.width_cm is None or self.height_cm is None:
            return None
        return (self.length_cm, self.width_cm, self.height_cm)
