"""Seller documents. The file's bytes are encrypted in storage; this row knows what
they are, who uploaded them, and whether they are the current document of their kind."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


class DocumentKind(models.TextChoices):
    LICENCE = "licence", _("Business licence (营业执照)")
    ID_FRONT = "id_front", _("Legal representative's ID card, front")
    ID_BACK = "id_back", _("Legal representative's ID card, back")
    STORE_INFO = "store_info", _("Store information page screenshot")
    IMPORT_EXPORT = "import_export", _("Import/export registration form (进出口权备案表)")
    AUTHORISATION = "authorisation", _("Signed logistics service authorisation (物流服务授权书)")
    AGENCY_AUTHORISATION = (
        "agency_authorisation",
        _("Agency logistics service authorisation (委托物流服务授权书)"),
    )


class Document(models.Model):
    seller = models.ForeignKey(
        "accounts.Seller",
        verbose_name=_("seller"),
        related_name="documents",
        on_delete=models.PROTECT,
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_name = models.CharField(
        _("encrypted file"), max_length=255, unique=True, editable=False
    )
    is_current = models.BooleanField(_("current"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["seller", "kind", "-uploaded_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "kind"],
                condition=models.Q(is_current=True),
                name="onboarding_document_one_current_per_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(size__gt=0, size__lte=MAX_DOCUMENT_BYTES),
                name="onboarding_document_size_within_limit",
            ),
            models.CheckConstraint(
                condition=models.Q(content_type__in=["image/jpeg", "image/png", "application/pdf"]),
                name="onboarding_document_accepted_type",
            ),
            models.CheckConstraint(
                condition=models.Q(is_current=True, replaced_at__isnull=True)
                | models.Q(is_current=False, replaced_at__isnull=False),
                name="onboarding_document_replaced_iff_not_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name}"


class DocumentAccess(models.Model):
    """One staff view of a document: who, when, from where (GB/T 35273-2020)."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), related_name="accesses", on_delete=models.PROTECT
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("viewed by"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    accessed_at = models.DateTimeField(_("viewed at"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("document view by staff")
        verbose_name_plural = _("document views by staff")
        ordering = ["-accessed_at"]

    def __str__(self) -> str:
        return f"{self.user} → {self.document_id} @ {self.accessed_at:%Y-%m-%d %H:%M}"
