"""Settlement: the ledger, prepaid balances, monthly statements and payments (DOMAIN.md §3)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    # The owner is told (``notifications``) when an instant debit takes the balance from at
    # least this to below it; empty: never.
    low_balance_alert = money_field(
        _("tell me when the balance falls below"), null=True, blank=True
    )
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
            models.CheckConstraint(
                condition=models.Q(low_balance_alert__isnull=True)
                | models.Q(low_balance_alert__gt=0),
                name="settlement_low_balance_alert_positive",
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
    # What the statement and finance's exports show of the shipment charged or refunded,
    # copied when the entry is written: billing never reads shipments back.
    order_number = models.CharField(
        _("order number"), max_length=64, blank=True, default="", db_default=""
    )
    tracking_number = models.CharField(
        _("tracking number"), max_length=32, blank=True, default="", db_default=""
    )
    base = money_field(_("base freight"), null=True, blank=True)
    fulfillment_adjustment = money_field(_("fulfilment-score adjustment"), null=True, blank=True)
    peak_adjustment = money_field(_("peak-season surcharge"), null=True, blank=True)
    green_discount = money_field(_("green discount"), null=True, blank=True)
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
        permissions = [
            ("export_statement", _("Can export statements")),
            ("close_month", _("Can close a month into statements")),
        ]

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
    # Copied from the ledger entry when the statement is issued: the statement never changes.
    order_number = models.CharField(
        _("order number"), max_length=64, blank=True, default="", db_default=""
    )
    tracking_number = models.CharField(
        _("tracking number"), max_length=32, blank=True, default="", db_default=""
    )
    base = money_field(_("base freight"), null=True, blank=True)
    fulfillment_adjustment = money_field(_("fulfilment-score adjustment"), null=True, blank=True)
    peak_adjustment = money_field(_("peak-season surcharge"), null=True, blank=True)
    green_discount = money_field(_("green discount"), null=True, blank=True)
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


class MoneyReceived(models.Model):
    """Money received by bank transfer, recorded by finance with the bank's reference (unique
    per kind) and the ledger entry it made."""

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
        abstract = True
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reference} ({self.amount})"


class Payment(MoneyReceived):
    """Money received from a seller against a statement (full or partial), recorded by
    finance; its ledger entry carries the same reference."""

    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), related_name="payments", on_delete=models.PROTECT
    )

    class Meta(MoneyReceived.Meta):
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive"),
        ]


class TopUp(MoneyReceived):
    """A bank transfer to an instant-debit seller's prepaid balance, recorded by finance."""

    class Meta(MoneyReceived.Meta):
        verbose_name = _("top-up")
        verbose_name_plural = _("top-ups")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="topup_positive"),
        ]


class OverdueStatement(Statement):
    """The overdue list in the admin: statements past their due date and not paid in full."""

    class Meta:
        proxy = True
        verbose_name = _("overdue statement")
        verbose_name_plural = _("overdue statements")
