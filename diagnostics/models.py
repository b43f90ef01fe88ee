"""What the diagnostics tool remembers: every run of the tool (operations read the
distribution of root causes from them), and the warnings the daily watch sent.
DOMAIN.md §4."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RunKind(models.TextChoices):
    ORDER = "order", _("An order number")
    ACCOUNT = "account", _("The account itself")
    PARCEL = "parcel", _("A hypothetical parcel")


class RunSource(models.TextChoices):
    SELLER = "seller", _("Seller's tool")
    ADMIN = "admin", _("Operations (admin)")
    COMMAND = "command", _("diagnose command")


class DiagnosticRun(models.Model):
    """One run of the tool: the question, the answer, who asked. Append-only."""

    seller = models.ForeignKey(
        "accounts.Seller",
        verbose_name=_("seller"),
        related_name="diagnostic_runs",
        on_delete=models.CASCADE,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    kind = models.CharField(_("question"), max_length=10, choices=RunKind.choices)
    source = models.CharField(_("source"), max_length=10, choices=RunSource.choices)
    order_number = models.CharField(_("platform order number"), max_length=64, blank=True)
    # What the order number was: "refused", "shipment", or "" (not found / not an order).
    found = models.CharField(_("found"), max_length=10, blank=True)
    root_cause = models.CharField(_("root cause"), max_length=40, blank=True)
    result = models.JSONField(_("trace"), default=dict, encoder=DjangoJSONEncoder)
    at = models.DateTimeField(_("run at"), db_index=True)

    class Meta:
        verbose_name = _("diagnostic run")
        verbose_name_plural = _("diagnostic runs")
        ordering = ["-at", "-id"]
        permissions = [
            ("run_diagnostics", _("Can run the diagnostics tool for any seller")),
        ]
        indexes = [
            models.Index(fields=["root_cause", "at"], name="diag_run_cause_at"),
            models.Index(fields=["seller", "-at"], name="diag_run_seller_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="order") | ~Q(order_number=""),
                name="diag_run_order_has_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_number or self.kind}: {self.root_cause or 'pass'}"


class WatchWarning(models.Model):
    """A warning the daily watch sent: a store that would now fail the gate check ``code``.
    One per store, cause and day (a database constraint); the watch repeats a cause at
    most once every ``WARNING_REPEAT_DAYS``."""

    seller = models.ForeignKey(
        "accounts.Seller",
        verbose_name=_("seller"),
        related_name="watch_warnings",
        on_delete=models.CASCADE,
    )
    store = models.ForeignKey(
        "stores.Store",
        verbose_name=_("store"),
        related_name="+",
        on_delete=models.CASCADE,
    )
    code = models.CharField(_("check"), max_length=40)
    message = models.TextField(_("message"))
    evidence = models.JSONField(_("evidence"), default=dict, encoder=DjangoJSONEncoder)
    sent_on = models.DateField(_("sent on"))
    recipients = models.JSONField(_("sent to"), default=list)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("watch warning")
        verbose_name_plural = _("watch warnings")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "code", "sent_on"], name="diag_warning_once_per_day"
            ),
        ]
        indexes = [
            models.Index(fields=["store", "code", "-sent_on"], name="diag_warning_last"),
        ]

    def __str__(self) -> str:
        return f"{self.code} → {self.store_id} ({self.sent_on})"
