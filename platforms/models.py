"""What the e-commerce platforms say about a seller's store: dated metric snapshots.

The platforms live outside this machine, so their data arrives as a feed (a CSV file today,
a platform API later; see ``platforms.adapters``). Each import is a ``StoreMetricsImport``
batch; a batch is written once, with its final status, so it has no transitions.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# A fulfilment score (履约分) at or above this earns a 5 % search-traffic boost on
# AliExpress (DOMAIN.md §2): sellers see the badge.
SEARCH_BOOST_SCORE = Decimal(98)
SEARCH_BOOST_PERCENT = 5
# Figures older than this many days (by their ``as_of``) are shown as stale wherever they
# are read (the review, the health page, the diagnosis) instead of passing silently: the
# feed normally arrives daily. Ours, not the article's.
METRICS_STALE_AFTER_DAYS = 7


class Platform(models.TextChoices):
    ALIEXPRESS = "aliexpress", _("AliExpress (速卖通)")
    LAZADA = "lazada", _("Lazada")
    TEMU = "temu", _("Temu")
    TIKTOK = "tiktok", _("TikTok Shop")


class AliExpressTier(models.TextChoices):
    KA = "ka", _("KA seller")
    PREFERRED = "preferred", _("Preferred seller (优选)")
    OTHER = "other", _("Other")


class TikTokSite(models.TextChoices):
    UK = "uk", _("United Kingdom")
    US = "us", _("United States")
    OTHER = "other", _("Other site")


class ImportStatus(models.TextChoices):
    SUCCEEDED = "succeeded", _("Imported")
    REJECTED = "rejected", _("Rejected")


# The range of every bounded metric, inclusive: the CSV parser and the database
# constraints below both read it.
METRIC_RANGES: dict[str, tuple[Decimal, Decimal]] = {
    "positive_rating_pct": (Decimal(0), Decimal(100)),
    "dsr_logistics": (Decimal(0), Decimal(5)),
    "fulfilment_score": (Decimal(0), Decimal(100)),
    "return_rate_pct": (Decimal(0), Decimal(100)),
    "label_print_success_pct": (Decimal(0), Decimal(100)),
}
# Flags and choices that only one platform reports; on other platforms they stay empty.
PLATFORM_ONLY_FIELDS: dict[str, str] = {
    "aliexpress_tier": Platform.ALIEXPRESS,
    "lazada_official_warehouse": Platform.LAZADA,
    "temu_full_custody_whitelisted": Platform.TEMU,
    "tiktok_site": Platform.TIKTOK,
    "tiktok_logistics_partner": Platform.TIKTOK,
}


class StoreMetricsImport(models.Model):
    """One import of the feed: who brought which file, and what became of it."""

    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        related_name="store_metrics_imports",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Empty when the file came through the import_store_metrics command."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_imported = models.PositiveIntegerField(_("rows imported"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices)
    # [{"row": 3, "column": "dsr_logistics", "message": "..."}]; row is the line of the
    # file counting the header as row 1, or null for a problem with the whole file.
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        verbose_name = _("store metrics import")
        verbose_name_plural = _("store metrics imports")
        ordering = ["-created_at"]
        constraints = [
            # A file is imported whole or not at all.
            models.CheckConstraint(
                condition=(
                    models.Q(status=ImportStatus.SUCCEEDED, rows_imported=models.F("rows_total"))
                    | models.Q(status=ImportStatus.REJECTED, rows_imported=0)
                ),
                name="platforms_import_all_or_nothing",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"


class StoreMetricsSnapshot(models.Model):
    """The platform's figures for one store on one day."""

    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    store_id = models.CharField(_("store ID"), max_length=64)
    as_of = models.DateField(_("as of"))
    positive_rating_pct = models.DecimalField(
        _("logistics positive rating (%)"), max_digits=5, decimal_places=2
    )
    dsr_logistics = models.DecimalField(_("DSR logistics score"), max_digits=3, decimal_places=2)
    fulfilment_score = models.DecimalField(
        _("fulfilment score (履约分)"), max_digits=5, decimal_places=2
    )
    return_rate_pct = models.DecimalField(_("return rate (%)"), max_digits=5, decimal_places=2)
    label_print_success_pct = models.DecimalField(
        _("label-print success (%)"), max_digits=5, decimal_places=2
    )
    serious_complaints_30d = models.PositiveIntegerField(_("serious logistics complaints, 30 days"))
    store_bound = models.BooleanField(
        _("store bound to the service"),
        help_text=_("The store has ticked 菜鸟经络速通 in its logistics settings."),
    )
    store_level = models.CharField(_("store level"), max_length=10, blank=True)
    aliexpress_tier = models.CharField(
        _("AliExpress tier"), max_length=10, choices=AliExpressTier.choices, blank=True
    )
    lazada_official_warehouse = models.BooleanField(
        _("uses Lazada's official overseas warehouse"), null=True, blank=True
    )
    temu_full_custody_whitelisted = models.BooleanField(
        _("Temu full-custody logistics whitelist"), null=True, blank=True
    )
    tiktok_site = models.CharField(
        _("TikTok Shop site"), max_length=10, choices=TikTokSite.choices, blank=True
    )
    tiktok_logistics_partner = models.BooleanField(
        _("signed TikTok Shop logistics partner"), null=True, blank=True
    )
    # The import that last wrote this row: a later file with the same store and date
    # replaces the figures and takes over the row.
    batch = models.ForeignKey(
        StoreMetricsImport,
        verbose_name=_("import"),
        related_name="snapshots",
        on_delete=models.PROTECT,
    )
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        verbose_name = _("store metrics snapshot")
        verbose_name_plural = _("store metrics snapshots")
        ordering = ["platform", "store_id", "-as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "store_id", "as_of"],
                name="platforms_snapshot_one_per_store_and_day",
            ),
            models.CheckConstraint(
                condition=models.Q(platform__in=Platform.values),
                name="platforms_snapshot_platform_known",
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{field}__gte": low, f"{field}__lte": high}),
                    name=f"platforms_snapshot_{field}_range",
                )
                for field, (low, high) in METRIC_RANGES.items()
            ),
            models.CheckConstraint(
                condition=models.Q(aliexpress_tier__in=["", *AliExpressTier.values]),
                name="platforms_snapshot_aliexpress_tier_known",
            ),
            models.CheckConstraint(
                condition=models.Q(tiktok_site__in=["", *TikTokSite.values]),
                name="platforms_snapshot_tiktok_site_known",
            ),
            models.CheckConstraint(
                condition=(models.Q(platform=Platform.ALIEXPRESS) | models.Q(aliexpress_tier=""))
                & (models.Q(platform=Platform.LAZADA) | models.Q(lazada_official_warehouse=None))
                & (models.Q(platform=Platform.TEMU) | models.Q(temu_full_custody_whitelisted=None))
                & (
                    models.Q(platform=Platform.TIKTOK)
                    | models.Q(tiktok_site="", tiktok_logistics_partner=None)
                ),
                name="platforms_snapshot_platform_only_fields",
            ),
        ]
        indexes = [
            # Latest snapshot per store, and DISTINCT ON (platform, store_id) for many.
            models.Index(
                fields=["platform", "store_id", "-as_of"], name="platforms_snapshot_latest"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.store_id} {self.as_of:%Y-%m-%d}"
