"""A store in service: a seller's platform store once operations approved its application.

Onboarding keeps the application (documents, OCR, review) and opens the ``Store`` when it
approves one; everything that ships, bills or diagnoses depends on the store, never on the
application. The store's service status has its transition table beside it;
``stores.services.store_transition`` performs every transition and writes a ``StoreEvent``
in the same transaction.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from platforms.models import Platform

# The trial (DOMAIN.md §1): three free shipments of at most 5 kg.
TRIAL_SHIPMENTS = 3
TRIAL_MAX_WEIGHT_G = 5000


class StoreStatus(models.TextChoices):
    TRIAL = "trial", _("Trial")
    TRIAL_REVIEW = "trial_review", _("Trial under manual review")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class Closure(models.TextChoices):
    """Why a closed store is closed."""

    HEALTH = "health", _("Closed by the health check")
    REJECTED = "rejected", _("Rejected after the trial")


S = StoreStatus
# from → the statuses it may move to. ``store_transition`` enforces this table; only a
# store closed by the health check may be reinstated (CLOSED → ACTIVE).
STORE_TRANSITIONS: dict[str, set[str]] = {
    S.TRIAL: {S.ACTIVE, S.TRIAL_REVIEW},
    S.TRIAL_REVIEW: {S.ACTIVE, S.CLOSED},
    S.ACTIVE: {S.CLOSED},
    S.CLOSED: {S.ACTIVE},
}
# Stores whose orders pass the service check: the trial and the active service.
SHIPPING_STATUSES = (S.TRIAL, S.ACTIVE)


class Store(models.Model):
    seller = models.ForeignKey(
        "accounts.Seller", verbose_name=_("seller"), related_name="stores", on_delete=models.PROTECT
    )
    reference = models.CharField(
        _("reference"),
        max_length=20,
        unique=True,
        help_text=_("The reference of the application that opened it, e.g. JL-000123."),
    )
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    platform_store_id = models.CharField(_("store ID"), max_length=64)
    # The sender printed on labels: the company as on its licence, and its address.
    company_name = models.CharField(_("company name"), max_length=200)
    sender_address = models.CharField(_("sender address"), max_length=300)
    # The same in Latin letters, for the customs declaration a foreign border reads.
    sender_name_latin = models.CharField(
        _("sender name (Latin letters)"), max_length=200, blank=True
    )
    sender_address_latin = models.CharField(
        _("sender address (Latin letters)"), max_length=300, blank=True
    )
    # How the seller chose to settle on applying (月结 / 实时扣款): billing opens the
    # settlement account with it.
    settlement_mode = models.CharField(_("settlement chosen"), max_length=10, blank=True)
    status = models.CharField(
        _("service status"), max_length=20, choices=StoreStatus.choices, default=S.TRIAL
    )
    closure = models.CharField(
        _("closed because"), max_length=10, choices=Closure.choices, blank=True
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    trial_quota = models.PositiveSmallIntegerField(_("trial shipments"), default=TRIAL_SHIPMENTS)
    trial_used = models.PositiveSmallIntegerField(_("trial shipments used"), default=0)
    opened_at = models.DateTimeField(_("opened at"))
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    # Binding (DOMAIN.md §4): whether the store ticked our service on its platform is the
    # platform's fact (the latest store-metrics snapshot's ``store_bound``). The store waits
    # from opening until the platform first reports it bound (``bound_at``); meanwhile the
    # seller may tell us it has done its part (``binding_claimed_at``), which operations see
    # in their queue of stores awaiting binding.
    binding_claimed_at = models.DateTimeField(
        _("the seller says it is bound since"), null=True, blank=True
    )
    binding_claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("said by"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    bound_at = models.DateTimeField(
        _("binding confirmed by the platform at"), null=True, blank=True
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["seller", "status"]),
            # Operations' queue: the stores still waiting for their platform's binding.
            models.Index(
                fields=["opened_at"],
                condition=models.Q(bound_at__isnull=True),
                name="stores_store_awaiting_binding",
            ),
        ]
        constraints = [
            # A platform store is in service for one seller at a time; a store rejected
            # after its trial frees the platform store for a new application.
            models.UniqueConstraint(
                fields=["platform", "platform_store_id"],
                condition=~models.Q(closure="rejected"),
                name="stores_store_platform_store_once",
            ),
            models.CheckConstraint(
                condition=models.Q(trial_used__lte=models.F("trial_quota")),
                name="stores_store_trial_within_quota",
            ),
            models.CheckConstraint(
                condition=models.Q(status=S.CLOSED, closure__in=Closure.values)
                | (~models.Q(status=S.CLOSED) & models.Q(closure="")),
                name="stores_store_closed_iff_closure",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=S.values), name="stores_store_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.platform_store_id} ({self.reference})"

    @property
    def is_trial(self) -> bool:
        return self.status == S.TRIAL

    @property
    def ships(self) -> bool:
        """Do its orders pass the service check (in trial or active)?"""
        return self.status in SHIPPING_STATUSES

    @property
    def awaiting_binding(self) -> bool:
        """Opened, and the platform has not yet reported it bound to our service."""
        return self.bound_at is None


class StoreEvent(models.Model):
    """The audit trail of a store's service: every transition, who, when, why."""

    store = models.ForeignKey(
        Store, verbose_name=_("store"), related_name="events", on_delete=models.PROTECT
    )
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    reason = models.TextField(_("why"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("store event")
        verbose_name_plural = _("store events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.store.reference} {self.from_status or '∅'}→{self.to_status}"
