"""Pricing data that operations edit in the admin: rate cards, zones, peak seasons and the
green discount.

A rate card (价目表) holds lanes (origin × destination zone × service), each with its
weight bands. Origins are data too (``Origin``): the Chinese regions a seller ships from,
and the overseas warehouses (海外仓) whose last-mile lanes are priced like any other.
The card in force on date D is the one with the latest ``effective_from`` ≤ D; a card
once in force is never edited: changes are a new card (``rate_card_duplicate``).

Destination zones are data too: ``ZoneCountry`` maps a country, or for the United States a
set of ZIP first digits, to a zone. The demo data (migration 0002) uses the rule
"first ZIP digit 0–3 → US East, 4–7 → US Central, 8–9 → US West".
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# The green discount never exceeds 3 % (the article's figure).
GREEN_DISCOUNT_MAX_PCT = Decimal("3.00")
DEFAULT_VOLUMETRIC_DIVISOR = 8000


class Region(models.TextChoices):
    """Where the parcel starts: the Chinese region of the seller's warehouse."""

    EAST = "east", _("East China (华东)")
    SOUTH = "south", _("South China (华南)")
    NORTH = "north", _("North China (华北)")
    CENTRAL = "central", _("Central China (华中)")
    SOUTHWEST = "southwest", _("Southwest China (西南)")


class OriginKind(models.TextChoices):
    CHINA = "china", _("Chinese region")
    WAREHOUSE = "warehouse", _("Overseas warehouse")


class Origin(models.Model):
    """Where a lane starts: a Chinese region (the regions of ``Region``, loaded by migration
    0004) or an overseas warehouse (``inventory.Warehouse`` points at its origin). Lanes
    refer to it by its code, which shipments keep as their ``origin``."""

    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        validators=[
            RegexValidator(
                r"^[a-z0-9][a-z0-9-]*$", _("Lower-case letters, digits and hyphens, e.g. wh-uslax.")
            )
        ],
        help_text=_("Kept on every shipment from here; never changed once lanes use it."),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=OriginKind.choices)
    country = models.CharField(
        _("country"),
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Two capital letters (ISO 3166-1)."))],
        help_text=_("Where parcels leave from: CN for a Chinese region."),
    )
    address = models.TextField(
        _("dispatch address"),
        blank=True,
        help_text=_(
            "An overseas warehouse's address, printed as the sender's on its labels; empty "
            "for a Chinese region (the store's address is printed)."
        ),
    )

    class Meta:
        verbose_name = _("origin")
        verbose_name_plural = _("origins")
        ordering = ["kind", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[a-z0-9][a-z0-9-]*$"), name="pricing_origin_code"
            ),
            models.CheckConstraint(
                condition=models.Q(country__regex=r"^[A-Z]{2}$"), name="pricing_origin_country_iso"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["china", "warehouse"]), name="pricing_origin_kind"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="china") | models.Q(country="CN"),
                name="pricing_origin_china_in_cn",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.code})"

    @property
    def label(self) -> str:
        """A Chinese region's translated name; a warehouse's name as operations wrote it."""
        if self.kind == OriginKind.CHINA and self.code in Region.values:
            return str(Region(self.code).label)
        return self.name


class Service(models.TextChoices):
    STANDARD = "standard", _("Standard small parcel")


class Zone(models.Model):
    """A destination zone, e.g. US West, UK, EU, South-East Asia."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("destination zone")
        verbose_name_plural = _("destination zones")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class ZoneCountry(models.Model):
    """A country (or, by the first digit of its postcode, part of it) in a zone."""

    zone = models.ForeignKey(
        Zone, verbose_name=_("zone"), related_name="countries", on_delete=models.CASCADE
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Two capital letters (ISO 3166-1)."))],
        help_text=_("ISO 3166-1 alpha-2 code, e.g. US, DE, SG."),
    )
    postcode_first_digits = models.CharField(
        _("postcode first digits"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^\d*$", _("Digits only."))],
        help_text=_(
            "Empty: the whole country. Otherwise the postcodes starting with one of these "
            "digits, e.g. 0123 for US East (ZIP 0xxxx to 3xxxx)."
        ),
    )

    class Meta:
        verbose_name = _("zone country")
        verbose_name_plural = _("zone countries")
        ordering = ["country", "postcode_first_digits"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "postcode_first_digits"],
                name="billing_zonecountry_unique_rule",
            ),
            models.CheckConstraint(
                condition=models.Q(country__regex=r"^[A-Z]{2}$"),
                name="billing_zonecountry_country_iso",
            ),
            models.CheckConstraint(
                condition=models.Q(postcode_first_digits__regex=r"^[0-9]*$"),
                name="billing_zonecountry_digits_only",
            ),
        ]

    def __str__(self) -> str:
        suffix = f" {self.postcode_first_digits}…" if self.postcode_first_digits else ""
        return f"{self.country}{suffix} → {self.zone.code}"


class RateCard(models.Model):
    """One version of the price list, in force from ``effective_from`` until the next one."""

    name = models.CharField(_("name"), max_length=100)
    effective_from = models.DateField(
        _("effective from"),
        unique=True,
        help_text=_("Shipments dated from this day (Asia/Shanghai) are priced with this card."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("rate card")
        verbose_name_plural = _("rate cards")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%Y-%m-%d})"

    def is_in_force_or_past(self, today: datetime.date) -> bool:
        """In force now or earlier: the card has priced shipments and is frozen."""
        return self.effective_from <= today


class Lane(models.Model):
    card = models.ForeignKey(
        RateCard, verbose_name=_("rate card"), related_name="lanes", on_delete=models.CASCADE
    )
    # The column keeps the origin's code (``to_field``), as before origins were a table.
    origin = models.ForeignKey(
        Origin,
        verbose_name=_("origin"),
        related_name="lanes",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="origin",
    )
    zone = models.ForeignKey(
        Zone, verbose_name=_("destination zone"), related_name="lanes", on_delete=models.PROTECT
    )
    service = models.CharField(
        _("service"), max_length=12, choices=Service.choices, default=Service.STANDARD
    )
    max_weight_g = models.PositiveIntegerField(
        _("maximum weight (g)"),
        help_text=_("Chargeable weight above this is refused."),
    )
    volumetric_divisor = models.PositiveIntegerField(
        _("volumetric divisor"),
        default=DEFAULT_VOLUMETRIC_DIVISOR,
        help_text=_("Volumetric weight (kg) = length × width × height (cm) / divisor."),
    )
    transit_days = models.PositiveSmallIntegerField(_("promised transit time (days)"))
    customs_clearance_hours = models.PositiveSmallIntegerField(
        _("expected customs clearance (hours)")
    )
    accepts_batteries = models.BooleanField(
        _("accepts lithium batteries"),
        default=True,
        help_text=_("Whether parcels with lithium batteries (in or with equipment) may use it."),
    )

    class Meta:
        verbose_name = _("lane")
        verbose_name_plural = _("lanes")
        ordering = ["card", "origin_id", "zone__code", "service"]
        constraints = [
            models.UniqueConstraint(
                fields=["card", "origin", "zone", "service"], name="billing_lane_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(service__in=Service.values), name="billing_lane_service_known"
            ),
            models.CheckConstraint(
                condition=models.Q(max_weight_g__gt=0), name="billing_lane_max_weight_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(volumetric_divisor__gt=0),
                name="billing_lane_divisor_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.origin_id}/{self.zone.code}/{self.service}"


class WeightBand(models.Model):
    """Up to ``up_to_g`` grams (inclusive), the base freight is ``price``."""

    lane = models.ForeignKey(
        Lane, verbose_name=_("lane"), related_name="bands", on_delete=models.CASCADE
    )
    up_to_g = models.PositiveIntegerField(_("up to (g)"))
    price = models.DecimalField(_("price (RMB)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("weight band")
        verbose_name_plural = _("weight bands")
        ordering = ["lane", "up_to_g"]
        constraints = [
            models.UniqueConstraint(fields=["lane", "up_to_g"], name="billing_band_unique"),
            models.CheckConstraint(
                condition=models.Q(up_to_g__gt=0), name="billing_band_bound_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="billing_band_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"≤ {self.up_to_g} g: ¥{self.price}"


class PeakSeason(models.Model):
    """A yearly surcharge period, inclusive at both ends; it may run over the new year.

    If several active seasons cover a day, the highest rate applies (they do not stack).
    """

    name = models.CharField(_("name"), max_length=100)
    start_month = models.PositiveSmallIntegerField(
        _("start month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    start_day = models.PositiveSmallIntegerField(
        _("start day"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    end_month = models.PositiveSmallIntegerField(
        _("end month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    end_day = models.PositiveSmallIntegerField(
        _("end day"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    surcharge_pct = models.DecimalField(
        _("surcharge (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("peak season")
        verbose_name_plural = _("peak seasons")
        ordering = ["start_month", "start_day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(surcharge_pct__gte=0, surcharge_pct__lte=100),
                name="billing_peak_surcharge_range",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    start_month__gte=1,
                    start_month__lte=12,
                    end_month__gte=1,
                    end_month__lte=12,
                    start_day__gte=1,
                    start_day__lte=31,
                    end_day__gte=1,
                    end_day__lte=31,
                ),
                name="billing_peak_dates_range",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.name}: {self.start_month}/{self.start_day}–{self.end_month}/{self.end_day}"
            f" +{self.surcharge_pct} %"
        )


class GreenDiscount(models.Model):
    """The green discount (≤ 3 %) from ``effective_from``: for a seller whose carbon
    account (碳账户) is bound, on a shipment carried by a new-energy vehicle."""

    effective_from = models.DateField(_("effective from"), unique=True)
    discount_pct = models.DecimalField(
        _("discount (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(GREEN_DISCOUNT_MAX_PCT)],
    )

    class Meta:
        verbose_name = _("green discount")
        verbose_name_plural = _("green discounts")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(discount_pct__gte=0, discount_pct__lte=GREEN_DISCOUNT_MAX_PCT),
                name="billing_green_discount_at_most_3_pct",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.discount_pct} % ({self.effective_from:%Y-%m-%d})"
