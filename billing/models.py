"""Pricing data that operations edit in the admin: rate cards, zones, peak seasons and the
green discount.

A rate card (价目表) holds lanes (origin region × destination zone × service), each with
its weight bands. The card in force on date D is the one with the latest ``effective_from``
≤ D; a card once in force is never edited: changes are a new card (``rate_card_duplicate``).

Destination zones are data too: ``ZoneCountry`` maps a country, or for the United States a
set of ZIP first digits, to a zone. The demo data (migration 0002) uses the rule
"first ZIP digit 0–3 → US East, 4–7 → US Central, 8–9 → US West".
"""

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

    def is_in_force_or_past(self, today) -> bool:
        """In force now or earlier: the card has priced shipments and is frozen."""
        return self.effective_from <= today


class Lane(models.Model):
    card = models.ForeignKey(
        RateCard, verbose_name=_("rate card"), related_name="lanes", on_delete=models.CASCADE
    )
    origin = models.CharField(_("origin region"), max_length=12, choices=Region.choices)
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

    class Meta:
        verbose_name = _("lane")
        verbose_name_plural = _("lanes")
        ordering = ["card", "origin", "zone__code", "service"]
        constraints = [
            models.UniqueConstraint(
                fields=["card", "origin", "zone", "service"], name="billing_lane_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(origin__in=Region.values), name="billing_lane_origin_known"
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
        return f"{self.origin}/{self.zone.code}/{self.service}"


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


# ---------------------------------------------------------------------------------------
# Settlement: the ledger, prepaid balances, monthly statements and payments (DOMAIN.md §3)
# ---------------------------------------------------------------------------------------


def money_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class SettlementMode(models.TextChoices):
    """How a seller pays (the same values as the application's choice, which seeds it)."""

    MONTHLY = "monthly", _("Monthly statement, due at T+15 (月结)")
    INSTANT = "instant", _("Instant debit from a prepaid balance (实时扣款)")


class SettlementAccount(models.Model):
    """A seller's settlement: the mode in force and the prepaid balance. The balance changes
    only through ``billing.services.ledger`` under ``billing.locks.account_lock``."""

    seller = models.OneToOneField(
        "accounts.Seller",
        verbose_name=_("seller"),
        related_name="settlement_account",
        on_delete=models.PROTECT,
        primary_key=True,
    )
    mode = models.CharField(_("settlement"), max_length=10, choices=SettlementMode.choices)
    balance = money_field(_("prepaid balance"), default=Decimal("0.00"))
    mode_changed_at = models.DateTimeField(_("mode changed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("settlement account")
        verbose_name_plural = _("settlement accounts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(balance__gte=0), name="settlement_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(mode__in=SettlementMode.values),
                name="settlement_mode_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seller} · {self.get_mode_display()}"


class SettlementModeChange(models.Model):
    """Audit row of a switch of settlement mode: who, when, from → to, why."""

    account = models.ForeignKey(
        SettlementAccount,
        verbose_name=_("settlement account"),
        related_name="mode_changes",
        on_delete=models.PROTECT,
    )
    from_mode = models.CharField(_("from"), max_length=10, choices=SettlementMode.choices)
    to_mode = models.CharField(_("to"), max_length=10, choices=SettlementMode.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("settlement mode change")
        verbose_name_plural = _("settlement mode changes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_mode} → {self.to_mode} ({self.at:%Y-%m-%d})"


class EntryKind(models.TextChoices):
    """The only things that move money. There is no account-opening, integration or
    annual fee (DOMAIN.md §3): no such kind exists."""

    CHARGE = "charge", _("Shipment charge")
    REFUND = "refund", _("Refund")
    TOPUP = "topup", _("Top-up")
    PAYMENT = "payment", _("Payment")
    ADJUSTMENT = "adjustment", _("Adjustment")


class LedgerEntry(models.Model):
    """One movement on a seller's account; append-only (a trigger refuses UPDATE and
    DELETE): a correction is a new entry.

    ``amount`` reads as on a bank statement, from the seller's side: top-ups, payments and
    refunds are positive, charges negative, an adjustment either (positive in the seller's
    favour). ``mode`` says which settlement the entry belongs to: instant entries move the
    prepaid balance (``balance_after``); monthly charges, refunds and adjustments accrue to
    ``period`` (the first day of the month, Asia/Shanghai) and are billed on the first
    statement issued for that period or later. ``key`` makes every entry idempotent:
    ``charge:shipment:<id>``, ``refund:shipment:<id>``, ``topup:<bank ref>``,
    ``payment:<ref>``, ``adjustment:<…>``.
    """

    seller = models.ForeignKey(
        "accounts.Seller",
        verbose_name=_("seller"),
        related_name="ledger_entries",
        on_delete=models.PROTECT,
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    mode = models.CharField(_("settlement"), max_length=10, choices=SettlementMode.choices)
    amount = money_field(_("amount"))
    balance_after = money_field(_("balance after"), null=True, blank=True)
    period = models.DateField(_("period"), null=True, blank=True)
    key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    shipment = models.ForeignKey(
        "shipments.Shipment",
        verbose_name=_("shipment"),
        null=True,
        blank=True,
        related_name="ledger_entries",
        on_delete=models.PROTECT,
    )
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    at = models.DateTimeField(_("at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind=EntryKind.CHARGE, amount__lt=0)
                    | models.Q(
                        kind__in=[EntryKind.REFUND, EntryKind.TOPUP, EntryKind.PAYMENT],
                        amount__gt=0,
                    )
                    | (models.Q(kind=EntryKind.ADJUSTMENT) & ~models.Q(amount=0))
                ),
                name="ledger_amount_sign_by_kind",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(mode=SettlementMode.INSTANT, period__isnull=True)
                    | models.Q(mode=SettlementMode.MONTHLY, balance_after__isnull=True)
                ),
                name="ledger_period_or_balance",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=EntryKind.TOPUP) | models.Q(mode=SettlementMode.INSTANT),
                name="ledger_topup_is_prepaid",
            ),
            models.CheckConstraint(
                condition=models.Q(balance_after__isnull=True) | models.Q(balance_after__gte=0),
                name="ledger_balance_after_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["seller", "-at", "-id"], name="ledger_seller_recent"),
            models.Index(
                fields=["period", "seller"],
                name="ledger_monthly_period",
                condition=models.Q(mode="monthly"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.key})"


class StatementCounter(models.Model):
    """The last statement number issued for a period; locked by the closing transaction so
    that numbers are gapless (a sequence would leave gaps on rollback)."""

    period = models.DateField(_("period"), primary_key=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("statement counter")
        verbose_name_plural = _("statement counters")

    def __str__(self) -> str:
        return f"{self.period:%Y-%m}: {self.last_number}"


class Statement(models.Model):
    """A seller's monthly statement (对账单), issued when the period closes. Issued means
    immutable: a trigger refuses UPDATE and DELETE. What was paid lives in ``Payment``;
    paid / unpaid / overdue are derived (``billing.selectors``)."""

    seller = models.ForeignKey(
        "accounts.Seller",
        verbose_name=_("seller"),
        related_name="statements",
        on_delete=models.PROTECT,
    )
    period = models.DateField(_("period"), help_text=_("The first day of the month."))
    number = models.CharField(_("number"), max_length=20, unique=True)
    company_name = models.CharField(_("company name"), max_length=200)
    issued_at = models.DateTimeField(_("issued at"))
    due_date = models.DateField(_("due date"))
    line_count = models.PositiveIntegerField(_("lines"))
    charges_total = money_field(_("charges"))
    refunds_total = money_field(_("refunds"))
    adjustments_total = money_field(_("adjustments"))
    total = money_field(_("total due"))

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["-period", "number"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "period"], name="statement_one_per_period"),
            models.CheckConstraint(
                condition=models.Q(period__day=1), name="statement_period_first_day"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    total=models.F("charges_total")
                    + models.F("refunds_total")
                    + models.F("adjustments_total")
                ),
                name="statement_total_adds_up",
            ),
        ]
        indexes = [
            models.Index(fields=["period", "due_date"], name="statement_period_due"),
            models.Index(fields=["seller", "-period"], name="statement_seller_recent"),
        ]
        permissions = [("export_statement", _("Can export statements"))]

    def __str__(self) -> str:
        return self.number


class StatementLine(models.Model):
    """One ledger entry billed on a statement. ``amount`` is what the seller owes for it
    (a charge positive, a refund negative). Immutable like its statement."""

    # Closing a month inserts a million lines in one statement, so each costs little: no
    # index of their own ((statement, position) is unique and serves "lines of a
    # statement") and no foreign-key constraint in the database (PostgreSQL checks those
    # row by row, which doubled the close). The references hold by construction: the one
    # INSERT … SELECT that writes lines takes the entry, its shipment and the statement it
    # has just issued, in the same statement; ledger entries and statements can never be
    # deleted (append-only triggers), and shipments are never deleted. ``entry`` stays unique.
    statement = models.ForeignKey(
        Statement,
        verbose_name=_("statement"),
        related_name="lines",
        on_delete=models.PROTECT,
        db_index=False,
        db_constraint=False,
    )
    position = models.PositiveIntegerField(_("line"))
    entry = models.OneToOneField(
        LedgerEntry,
        verbose_name=_("ledger entry"),
        related_name="statement_line",
        on_delete=models.PROTECT,
        db_constraint=False,
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    shipment = models.ForeignKey(
        "shipments.Shipment",
        verbose_name=_("shipment"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
        db_index=False,
        db_constraint=False,
    )
    at = models.DateTimeField(_("at"))
    description = models.CharField(_("description"), max_length=255, blank=True)
    amount = money_field(_("amount"))

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "position"], name="statement_line_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}#{self.position}"


class Payment(models.Model):
    """Money received from a seller against a statement (full or partial), recorded by
    finance; its ledger entry carries the same reference."""

    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), related_name="payments", on_delete=models.PROTECT
    )
    seller = models.ForeignKey(
        "accounts.Seller", verbose_name=_("seller"), related_name="+", on_delete=models.PROTECT
    )
    amount = money_field(_("amount"))
    reference = models.CharField(_("bank reference"), max_length=64, unique=True)
    received_on = models.DateField(_("received on"))
    entry = models.OneToOneField(
        LedgerEntry, verbose_name=_("ledger entry"), related_name="+", on_delete=models.PROTECT
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.amount})"


class TopUp(models.Model):
    """A bank transfer to an instant-debit seller's prepaid balance, recorded by finance."""

    seller = models.ForeignKey(
        "accounts.Seller", verbose_name=_("seller"), related_name="+", on_delete=models.PROTECT
    )
    amount = money_field(_("amount"))
    reference = models.CharField(_("bank reference"), max_length=64, unique=True)
    received_on = models.DateField(_("received on"))
    entry = models.OneToOneField(
        LedgerEntry, verbose_name=_("ledger entry"), related_name="+", on_delete=models.PROTECT
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("top-up")
        verbose_name_plural = _("top-ups")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="topup_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.amount})"


class OverdueStatement(Statement):
    """The overdue list in the admin: statements past their due date and not paid in full."""

    class Meta:
        proxy = True
        verbose_name = _("overdue statement")
        verbose_name_plural = _("overdue statements")


# --- exports (finance) -------------------------------------------------------------------


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


# running → running: a worker died mid-export and the task was delivered again (acks_late).
EXPORT_TRANSITIONS = {
    ExportStatus.QUEUED: {ExportStatus.RUNNING, ExportStatus.FAILED},
    ExportStatus.RUNNING: {ExportStatus.RUNNING, ExportStatus.DONE, ExportStatus.FAILED},
    ExportStatus.DONE: set(),
    ExportStatus.FAILED: set(),
}


class ExportJob(models.Model):
    """A whole-month export of every seller's statement lines, built by a Celery job
    (``billing.export_month``): its progress, and where the file is kept when done."""

    period = models.DateField(_("period"), help_text=_("The first day of the month."))
    format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    rows_total = models.PositiveIntegerField(_("lines"), default=0)
    rows_done = models.PositiveIntegerField(_("lines written"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    storage_name = models.CharField(_("stored file"), max_length=255, blank=True)
    error = models.TextField(_("why it failed"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("statement export")
        verbose_name_plural = _("statement exports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period__day=1), name="exportjob_period_first_day"
            ),
            models.CheckConstraint(
                condition=models.Q(format__in=ExportFormat.values), name="exportjob_format_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ExportStatus.values), name="exportjob_status_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ExportStatus.DONE) | ~models.Q(storage_name=""),
                name="exportjob_done_has_file",
            ),
            # One export of a month and format in progress at a time: a double click or a
            # second finance user gets the one already running.
            models.UniqueConstraint(
                fields=["period", "format"],
                condition=models.Q(status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]),
                name="exportjob_one_active_per_period_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.format} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return min(99, self.rows_done * 100 // self.rows_total) if self.rows_total else 0
