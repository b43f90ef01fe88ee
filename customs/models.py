"""Customs data operations maintain in the admin: rules with effective dates, dated FX rates,
the descriptions ICS2 refuses, and the sellers' tax registrations. No threshold, rate or date
of a rule is a constant in code; data migration 0002 loads the facts of 2026-12."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleKind(models.TextChoices):
    HS_CODE = "hs_code", _("HS code required (minimum digits)")
    CN23_ABOVE = "cn23_above", _("CN23 instead of CN22 above this value")
    IOSS_LIMIT = "ioss_limit", _("IOSS: consignments up to this value")
    UK_VAT_LIMIT = "uk_vat_limit", _("UK VAT number: consignments up to this value")
    PRODUCT_IDS = "product_ids", _("Product identifiers (SKU, GTIN or MPN) per item")
    CUSTOMS_UNION = "customs_union", _("Customs union: no border between these countries")


class CustomsRule(models.Model):
    """One rule in force from ``effective_from`` (until ``effective_to``, if set), for the
    destination countries listed (empty: every destination)."""

    kind = models.CharField(_("rule"), max_length=20, choices=RuleKind.choices)
    countries = models.JSONField(
        _("destination countries"),
        default=list,
        blank=True,
        help_text=_('ISO codes, e.g. ["DE", "FR"]; empty for every destination.'),
    )
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("customs rule")
        verbose_name_plural = _("customs rules")
        ordering = ["kind", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="customs_rule_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind__in=["cn23_above", "ioss_limit", "uk_vat_limit"])
                | (models.Q(amount__gt=0) & ~models.Q(currency="")),
                name="customs_rule_threshold_has_amount",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="hs_code") | models.Q(number__gte=6, number__lte=10),
                name="customs_rule_hs_digits_6_to_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.effective_from:%Y-%m-%d})"


class FxRate(models.Model):
    """What one unit of ``currency`` is worth in CNY from ``effective_from`` (Asia/Shanghai):
    amounts are compared in a threshold's currency through CNY. XDR is the SDR."""

    currency = models.CharField(_("currency"), max_length=3)
    cny_per_unit = models.DecimalField(_("CNY per unit"), max_digits=14, decimal_places=6)
    effective_from = models.DateField(_("in force from"))

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "effective_from"], name="customs_fx_one_per_day"
            ),
            models.CheckConstraint(
                condition=models.Q(cny_per_unit__gt=0), name="customs_fx_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(currency__regex=r"^[A-Z]{3}$"), name="customs_fx_iso_code"
            ),
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.cny_per_unit} CNY ({self.effective_from:%Y-%m-%d})"


class GenericTerm(models.Model):
    """A description ICS2 refuses when it is all an item says ("gift", "parts" …)."""

    term = models.CharField(_("term"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("generic description")
        verbose_name_plural = _("generic descriptions")
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term


class RegistrationKind(models.TextChoices):
    IOSS = "ioss", _("EU IOSS number")
    UK_VAT = "uk_vat", _("UK VAT number")
    EORI = "eori", _("EORI number")


class TaxRegistration(models.Model):
    """A seller's own registration, used when the order does not carry the marketplace's."""

    seller = models.ForeignKey(
        "accounts.Seller",
        verbose_name=_("seller"),
        related_name="tax_registrations",
        on_delete=models.CASCADE,
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RegistrationKind.choices)
    number = models.CharField(_("number"), max_length=20)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tax registration")
        verbose_name_plural = _("tax registrations")
        ordering = ["seller", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "kind"], name="customs_registration_one_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"
