"""Applications to the service, their documents, automatic checks and audit trail.

Status fields have their transition tables beside them; ``onboarding.services`` performs
every transition and writes an ``ApplicationEvent`` in the same transaction. Once approved,
an application has a ``stores.Store``: the store's service status is the truth for orders,
and the application's status follows it (trial, trial review, active, closed, rejected).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from platforms.models import AliExpressTier, Platform, TikTokSite

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


class SettlementMode(models.TextChoices):
    MONTHLY = "monthly", _("Monthly statement, due at T+15 (月结)")
    INSTANT = "instant", _("Instant debit from a prepaid balance (实时扣款)")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted: documents being read")
    IN_REVIEW = "in_review", _("Waiting for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    REJECTED = "rejected", _("Rejected")
    TRIAL = "trial", _("Trial")
    TRIAL_REVIEW = "trial_review", _("Trial under manual review")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed by the health check")


S = ApplicationStatus
# from → the statuses it may move to. ``application_transition`` enforces this table.
APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.IN_REVIEW},
    S.IN_REVIEW: {S.TRIAL, S.CHANGES_REQUESTED, S.REJECTED},
    S.CHANGES_REQUESTED: {S.SUBMITTED},
    S.REJECTED: set(),
    S.TRIAL: {S.ACTIVE, S.TRIAL_REVIEW},
    S.TRIAL_REVIEW: {S.ACTIVE, S.REJECTED},
    S.ACTIVE: {S.CLOSED},
    S.CLOSED: {S.ACTIVE},
}
EDITABLE_STATUSES = {S.DRAFT, S.CHANGES_REQUESTED}
# A store is bound to one application at a time, unless that one was rejected.
STORE_BINDING_STATUSES = [s for s in S.values if s != S.REJECTED]


class Application(models.Model):
    """One seller's application for one platform store (one store per application)."""

    seller = models.ForeignKey(
        "accounts.Seller",
        verbose_name=_("seller"),
        related_name="applications",
        on_delete=models.PROTECT,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=S.DRAFT
    )
    # Company, as printed on the business licence (营业执照).
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    registered_address = models.CharField(_("registered address"), max_length=300, blank=True)
    tax_address = models.CharField(_("tax-registration address"), max_length=300, blank=True)
    business_scope = models.TextField(_("business scope"), blank=True)
    # Legal representative (法定代表人).
    legal_rep_name = models.CharField(_("legal representative"), max_length=100, blank=True)
    legal_rep_id_number = models.CharField(
        _("legal representative's ID number"), max_length=18, blank=True
    )
    legal_rep_id_expiry = models.DateField(_("ID card valid until"), null=True, blank=True)
    legal_rep_id_long_term = models.BooleanField(_("ID card valid long-term (长期)"), default=False)
    # Platform and store.
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices, blank=True)
    store_id = models.CharField(_("store ID"), max_length=64, blank=True)
    aliexpress_tier = models.CharField(
        _("AliExpress seller tier"), max_length=10, choices=AliExpressTier.choices, blank=True
    )
    aliexpress_store_level = models.PositiveSmallIntegerField(
        _("AliExpress store level (L1–L5)"), null=True, blank=True
    )
    lazada_official_warehouse = models.BooleanField(
        _("uses Lazada's official overseas warehouse"), null=True, blank=True
    )
    temu_whitelisted = models.BooleanField(
        _("full-custody supplier on Temu's logistics whitelist"), null=True, blank=True
    )
    tiktok_site = models.CharField(
        _("TikTok Shop site"), max_length=10, choices=TikTokSite.choices, blank=True
    )
    tiktok_logistics_partner = models.BooleanField(
        _("signed TikTok Shop logistics partner"), null=True, blank=True
    )
    # Agency operator (代运营) running the store for the seller.
    is_agency = models.BooleanField(_("the store is run by an agency operator"), default=False)
    agency_company_name = models.CharField(_("agency company name"), max_length=200, blank=True)
    agency_uscc = models.CharField(_("agency's credit code"), max_length=18, blank=True)
    agency_address = models.CharField(_("agency address"), max_length=300, blank=True)
    agency_legal_rep = models.CharField(
        _("agency legal representative"), max_length=100, blank=True
    )
    settlement_mode = models.CharField(
        _("settlement"), max_length=10, choices=SettlementMode.choices, blank=True
    )
    # The store in service, opened when operations approve: its status is the service's,
    # and this application's status mirrors it from then on (``onboarding.store_sync``).
    opened_store = models.OneToOneField(
        "stores.Store",
        verbose_name=_("store in service"),
        related_name="application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
    )
    changes_requested_reason = models.TextField(_("changes requested"), blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        permissions = [
            ("review_application", _("Can approve, reject or request changes")),
            ("view_full_id_number", _("Can see full ID numbers (logged)")),
            ("enter_document_fields", _("Can enter a document's fields by hand")),
            ("reinstate_service", _("Can reinstate a service closed by the health check")),
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["seller", "-created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "store_id"],
                condition=models.Q(status__in=STORE_BINDING_STATUSES) & ~models.Q(store_id=""),
                name="onboarding_application_store_bound_once",
            ),
            models.CheckConstraint(
                condition=models.Q(aliexpress_store_level__isnull=True)
                | models.Q(aliexpress_store_level__gte=1, aliexpress_store_level__lte=5),
                name="onboarding_application_store_level_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.company_name or self.seller}"

    @property
    def reference(self) -> str:
        return f"JL-{self.pk:06d}" if self.pk else "JL-new"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def masked_id_number(self) -> str:
        number = self.legal_rep_id_number
        return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}" if len(number) > 8 else number


class ApplicationEvent(models.Model):
    """The audit trail: every transition and every manual act on an application."""

    class Action(models.TextChoices):
        TRANSITION = "transition", _("Status changed")
        FIELDS_ENTERED = "fields_entered", _("Document fields entered by hand")
        ID_NUMBER_VIEWED = "id_number_viewed", _("Full ID number viewed")

    application = models.ForeignKey(
        Application, verbose_name=_("application"), related_name="events", on_delete=models.PROTECT
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    reason = models.TextField(_("why"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        def label(status: str) -> str:
            return str(S(status).label) if status in S.values else status or "∅"

        return (
            f"{self.application.reference} {self.get_action_display()} "
            f"{label(self.from_status)} → {label(self.to_status)}"
        )


class CheckStatus(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    NEEDS_REVIEW = "needs_review", _("Needs review")


class ApplicationCheck(models.Model):
    """The latest outcome of one named automatic check on an application."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), related_name="checks", on_delete=models.CASCADE
    )
    code = models.CharField(_("check"), max_length=40)
    status = models.CharField(_("outcome"), max_length=12, choices=CheckStatus.choices)
    evidence = models.JSONField(_("evidence"), default=dict)
    position = models.PositiveSmallIntegerField(_("order"))
    checked_at = models.DateTimeField(_("checked at"))

    class Meta:
        verbose_name = _("automatic check")
        verbose_name_plural = _("automatic checks")
        ordering = ["application", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "code"], name="onboarding_check_one_per_code"
            ),
        ]

    def __str__(self) -> str:
        from .checks import CHECKS_BY_CODE  # the checks import the models

        check = CHECKS_BY_CODE.get(self.code)
        return f"{check.title if check else self.code}: {self.get_status_display()}"


class OcrStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Not read automatically")
    QUEUED = "queued", _("Queued")
    READING = "reading", _("Reading")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


OCR = OcrStatus
OCR_TRANSITIONS: dict[str, set[str]] = {
    OCR.NOT_NEEDED: set(),
    OCR.QUEUED: {OCR.READING, OCR.FAILED},
    # READING → READING: a worker died mid-task and the task is delivered again.
    OCR.READING: {OCR.READING, OCR.DONE, OCR.FAILED, OCR.QUEUED},
    OCR.DONE: set(),
    OCR.FAILED: {OCR.DONE},  # operations entered the fields by hand
}


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


K = DocumentKind
# Kinds a worker reads automatically; the others are checked by operations.
OCR_KINDS = {K.LICENCE, K.ID_FRONT, K.ID_BACK}
REQUIRED_KINDS = [K.LICENCE, K.ID_FRONT, K.ID_BACK, K.STORE_INFO, K.IMPORT_EXPORT, K.AUTHORISATION]


class Document(models.Model):
    seller = models.ForeignKey(
        "accounts.Seller",
        verbose_name=_("seller"),
        related_name="documents",
        on_delete=models.PROTECT,
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
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
    # Automatic reading (OCR), done by a Celery worker on the ``ocr`` queue.
    ocr_status = models.CharField(
        _("reading"), max_length=12, choices=OcrStatus.choices, default=OCR.NOT_NEEDED
    )
    ocr_error = models.TextField(_("why reading failed"), blank=True)
    ocr_attempts = models.PositiveSmallIntegerField(_("reading attempts"), default=0)
    ocr_queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    ocr_started_at = models.DateTimeField(_("reading started at"), null=True, blank=True)
    ocr_finished_at = models.DateTimeField(_("reading finished at"), null=True, blank=True)
    ocr_raw_text = models.TextField(_("text read"), blank=True)
    ocr_fields = models.JSONField(_("fields read"), default=dict, blank=True)
    ocr_confidences = models.JSONField(_("confidence per field"), default=dict, blank=True)
    ocr_engine = models.CharField(_("OCR engine"), max_length=60, blank=True)
    ocr_languages = models.CharField(_("OCR languages"), max_length=30, blank=True)
    ocr_seconds = models.DecimalField(
        _("seconds taken"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    fields_entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fields entered by"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(fields=["application", "kind", "-uploaded_at"]),
            models.Index(
                fields=["ocr_status"],
                condition=models.Q(ocr_status__in=["queued", "reading"]),
                name="onboarding_document_ocr_open",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"],
                condition=models.Q(is_current=True),
                name="onboarding_document_one_current_per_kind",
            ),
            models.UniqueConstraint(
                fields=["application", "sha256"],
                name="onboarding_document_no_duplicate_file",
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
