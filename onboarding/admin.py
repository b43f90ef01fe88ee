"""The operations console for onboarding: the review queue, documents beside their fields,
decisions through services, and the dashboard of applications."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Field, Min, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import AdminQueue, ReadOnlyAdmin, admin_queue
from core.workdays import median_and_fastest, working_days_between

from .checks import CHECKS_BY_CODE
from .evidence import evidence_lines
from .exceptions import ApprovalNeedsConfirmation, OnboardingError
from .forms import FIELDS_BY_KIND, DocumentFieldsForm, ReasonForm
from .models import (
    Application,
    ApplicationCheck,
    ApplicationEvent,
    ApplicationStatus,
    CheckStatus,
    Document,
    DocumentAccess,
)
from .normalise import same_text
from .selectors import application_metrics_state, application_same_uscc_elsewhere
from .services import (
    application_approve,
    application_checks_to_override,
    application_reinstate,
    application_reject,
    application_request_changes,
    application_reveal_id_number,
    document_fields_enter,
)

S = ApplicationStatus
ARTICLE_MEDIAN_WORKING_DAYS = "1.8"
# Typed application field ← OCR field of (document kind), compared in the review.
COMPARED = {
    "licence": [
        ("uscc", "uscc"),
        ("company_name", "name"),
        ("legal_rep_name", "legal_representative"),
        ("business_scope", "business_scope"),
        ("registered_address", "address"),
    ],
    "id_front": [("legal_rep_name", "name"), ("legal_rep_id_number", "id_number")],
    "id_back": [("legal_rep_id_expiry", "valid_until")],
}


class CheckInline(admin.TabularInline):
    """The automatic checks in words: what each verifies, its outcome, what it found."""

    model = ApplicationCheck
    fields = ("position", "title", "status", "evidence_text", "checked_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description=gettext_lazy("check"))
    def title(self, obj) -> str:
        check = CHECKS_BY_CODE.get(obj.code)
        return str(check.title) if check else obj.code

    @admin.display(description=gettext_lazy("evidence"))
    def evidence_text(self, obj) -> str:
        return format_html_join(
            "", '<div class="evidence-line">{}: {}</div>', evidence_lines(obj.evidence)
        )

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


def _status_label(value: str) -> str:
    return str(S(value).label) if value in S.values else value


class EventInline(admin.TabularInline):
    """The audit trail in words: the statuses by their names, what was overridden."""

    model = ApplicationEvent
    fields = ("at", "action", "actor", "from_label", "to_label", "reason", "details")
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description=gettext_lazy("from"))
    def from_label(self, obj) -> str:
        return _status_label(obj.from_status) if obj.from_status else "—"

    @admin.display(description=gettext_lazy("to"))
    def to_label(self, obj) -> str:
        return _status_label(obj.to_status) if obj.to_status else "—"

    @admin.display(description=gettext_lazy("details"))
    def details(self, obj) -> str:
        overridden = (obj.data or {}).get("overridden_checks") or []
        if not overridden:
            return ""
        titles = [str(CHECKS_BY_CODE[c].title) if c in CHECKS_BY_CODE else c for c in overridden]
        return _("Checks needing review, confirmed by the reviewer: %(checks)s") % {
            "checks": "; ".join(titles)
        }

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = (
        "reference_link",
        "company_name",
        "platform",
        "store_id",
        "status",
        "submitted_at",
        "checks_summary",
        "masked_id",
    )
    list_select_related = ("seller",)
    list_filter = ("status", "platform", "settlement_mode", "is_agency")
    search_fields = ("company_name", "uscc", "store_id", "seller__company_name")
    date_hierarchy = "submitted_at"
    ordering = ("submitted_at", "id")
    show_full_result_count = False
    inlines = [CheckInline, EventInline]
    change_form_template = "admin/onboarding/application/change_form.html"
    change_list_template = "admin/onboarding/application/change_list.html"
    exclude = ("legal_rep_id_number",)
    readonly_fields = ("masked_id",)
    # What the reviewer compares with the documents first; the rest folded (a <details>).
    fieldsets = (
        (
            gettext_lazy("Company"),
            {
                "fields": (
                    ("company_name", "uscc"),
                    ("registered_address", "tax_address"),
                    "business_scope",
                )
            },
        ),
        (
            gettext_lazy("Legal representative"),
            {
                "fields": (
                    ("legal_rep_name", "masked_id"),
                    ("legal_rep_id_expiry", "legal_rep_id_long_term"),
                )
            },
        ),
        (
            gettext_lazy("Platform and store"),
            {
                "fields": (
                    ("platform", "store_id"),
                    ("aliexpress_tier", "aliexpress_store_level"),
                    ("lazada_official_warehouse", "temu_whitelisted"),
                    ("tiktok_site", "tiktok_logistics_partner"),
                )
            },
        ),
        (
            gettext_lazy("Agency and settlement"),
            {
                "classes": ("collapse",),
                "fields": (
                    "settlement_mode",
                    ("is_agency", "agency_company_name"),
                    ("agency_uscc", "agency_legal_rep"),
                    "agency_address",
                ),
            },
        ),
        (
            gettext_lazy("Status"),
            {
                "classes": ("collapse",),
                "fields": (
                    ("seller", "status"),
                    ("submitted_at", "approved_at", "activated_at"),
                    "changes_requested_reason",
                    "decision_reason",
                ),
            },
        ),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                failing=Count("checks", filter=Q(checks__status=CheckStatus.FAIL)),
                reviewing=Count("checks", filter=Q(checks__status=CheckStatus.NEEDS_REVIEW)),
            )
        )

    @admin.display(description=gettext_lazy("reference"), ordering="id")
    def reference_link(self, obj) -> str:
        return obj.reference

    @admin.display(description=gettext_lazy("checks"))
    def checks_summary(self, obj) -> str:
        return format_html(
            '<span class="checks-failing">✗ {}</span> · <span class="checks-reviewing">? {}</span>',
            obj.failing,
            obj.reviewing,
        )

    @admin.display(description=gettext_lazy("ID number"))
    def masked_id(self, obj) -> str:
        return obj.masked_id_number

    def changelist_view(self, request, extra_context=None):
        """The review queue by default: applications waiting for review, oldest first. Any
        filter or search (``?all=1`` for everything) shows what it asks for."""
        if not request.GET and self.has_view_or_change_permission(request):
            return redirect(f"{request.path}?status__exact={S.IN_REVIEW}")
        if request.GET.get("all") == "1":
            query = request.GET.copy()
            del query["all"]
            request.GET = query
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        own = [
            path(
                "<int:pk>/decide/<slug:decision>/",
                self.admin_site.admin_view(self.decide_view),
                name="onboarding_application_decide",
            ),
            path(
                "<int:pk>/id-number/",
                self.admin_site.admin_view(self.id_number_view),
                name="onboarding_application_id_number",
            ),
            path(
                "document/<int:document_pk>/fields/",
                self.admin_site.admin_view(self.document_fields_view),
                name="onboarding_document_fields",
            ),
            path(
                "dashboard/",
                self.admin_site.admin_view(self.dashboard_view),
                name="onboarding_application_dashboard",
            ),
        ]
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = get_object_or_404(Application, pk=object_id)
        documents = list(application.documents.filter(is_current=True).order_by("kind"))
        extra_context = {
            **(extra_context or {}),
            "review_documents": [
                {
                    "document": document,
                    "rows": _comparison_rows(application, document),
                    "can_enter": document.kind in FIELDS_BY_KIND
                    and request.user.has_perm("onboarding.enter_document_fields"),
                }
                for document in documents
            ],
            "can_review": request.user.has_perm("onboarding.review_application"),
            "can_reinstate": request.user.has_perm("onboarding.reinstate_service"),
            "can_see_id": request.user.has_perm("onboarding.view_full_id_number"),
            "reason_form": ReasonForm(),
            "same_uscc": application_same_uscc_elsewhere(application=application),
            "metrics": application_metrics_state(application=application),
            "to_override": [
                CHECKS_BY_CODE[code]
                for code in application_checks_to_override(application=application)
                if code in CHECKS_BY_CODE
            ],
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def decide_view(self, request, pk: int, decision: str):
        if request.method != "POST":
            return redirect("admin:onboarding_application_change", pk)
        permission = (
            "onboarding.reinstate_service"
            if decision == "reinstate"
            else "onboarding.review_application"
        )
        if not request.user.has_perm(permission):
            raise PermissionDenied
        application = get_object_or_404(Application, pk=pk)
        reason = request.POST.get("reason", "")
        overriding = request.POST.getlist("override")
        actions = {
            "approve": lambda: application_approve(
                application=application, actor=request.user, reason=reason, overriding=overriding
            ),
            "request-changes": lambda: application_request_changes(
                application=application, actor=request.user, reason=reason
            ),
            "reject": lambda: application_reject(
                application=application, actor=request.user, reason=reason
            ),
            "reinstate": lambda: application_reinstate(
                application=application, actor=request.user, reason=reason
            ),
        }
        if decision not in actions:
            raise PermissionDenied
        try:
            actions[decision]()
        except ApprovalNeedsConfirmation as unconfirmed:
            return self._approve_confirm(request, application, unconfirmed.checks, reason)
        except OnboardingError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(
                request,
                _("%(ref)s is now “%(status)s”.")
                % {"ref": application.reference, "status": application.get_status_display()},
                messages.SUCCESS,
            )
        return redirect("admin:onboarding_application_change", pk)

    def _approve_confirm(self, request, application, codes: list[str], reason: str):
        """Approving overrides checks that still need review: the reviewer sees each with
        what it found, and confirms them all (recorded in the audit row) or goes back."""
        checks = {c.code: c for c in application.checks.all()}
        rows = [
            {
                "code": code,
                "title": str(CHECKS_BY_CODE[code].title) if code in CHECKS_BY_CODE else code,
                "evidence": evidence_lines(checks[code].evidence) if code in checks else [],
            }
            for code in codes
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Approve %(ref)s over checks that need review?")
            % {"ref": application.reference},
            "opts": self.model._meta,
            "original": application,
            "rows": rows,
            "reason": reason,
        }
        return TemplateResponse(request, "admin/onboarding/approve_confirm.html", context)

    def id_number_view(self, request, pk: int):
        application = get_object_or_404(Application, pk=pk)
        try:
            number = application_reveal_id_number(application=application, actor=request.user)
        except OnboardingError as error:
            raise PermissionDenied(str(error.message)) from error
        self.message_user(
            request,
            _("ID number of %(ref)s: %(number)s (this view is logged).")
            % {"ref": application.reference, "number": number},
        )
        return redirect("admin:onboarding_application_change", pk)

    def document_fields_view(self, request, document_pk: int):
        if not request.user.has_perm("onboarding.enter_document_fields"):
            raise PermissionDenied
        document = get_object_or_404(Document, pk=document_pk, kind__in=list(FIELDS_BY_KIND))
        form = DocumentFieldsForm(
            request.POST or None, kind=document.kind, initial_fields=document.ocr_fields
        )
        if request.method == "POST" and form.is_valid():
            fields = {k: (v or None) for k, v in form.cleaned_data.items()}
            try:
                document_fields_enter(document=document, user=request.user, fields=fields)
            except OnboardingError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(request, _("Fields saved; the checks ran again."))
                return redirect("admin:onboarding_application_change", document.application_id)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Enter the fields of %(document)s") % {"document": document},
            "form": form,
            "document": document,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/onboarding/document_fields.html", context)

    def dashboard_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        counts = dict(Application.objects.values_list("status").annotate(n=Count("id")).order_by())
        waiting = Application.objects.filter(status=S.IN_REVIEW).aggregate(
            oldest=Min("submitted_at")
        )["oldest"]
        durations = [
            working_days_between(submitted, activated)
            for submitted, activated in Application.objects.filter(
                activated_at__isnull=False, submitted_at__isnull=False
            ).values_list("submitted_at", "activated_at")
            if submitted is not None and activated is not None  # filtered above; for the types
        ]
        median, fastest = median_and_fastest(durations)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Onboarding dashboard"),
            "opts": self.model._meta,
            "rows": [(status.label, counts.get(status.value, 0), status.value) for status in S],
            "oldest_waiting": waiting,
            "oldest_waiting_days": working_days_between(waiting, timezone.now())
            if waiting
            else None,
            "median": median,
            "fastest": fastest,
            "activated": len(durations),
            "article_median": ARTICLE_MEDIAN_WORKING_DAYS,
        }
        return TemplateResponse(request, "admin/onboarding/dashboard.html", context)


def _comparison_rows(application: Application, document: Document) -> list[dict]:
    rows = []
    for typed_name, read_name in COMPARED.get(document.kind, []):
        typed = getattr(application, typed_name)
        typed = typed.isoformat() if hasattr(typed, "isoformat") else (typed or "")
        read = document.ocr_fields.get(read_name)
        if typed_name == "legal_rep_id_number":
            typed = application.masked_id_number
            matches = read == application.legal_rep_id_number if read else None
            read = f"{read[:4]}{'*' * 10}{read[-4:]}" if read and len(read) > 8 else read
        else:
            matches = same_text(str(read), typed) if read else None
        field = Application._meta.get_field(typed_name)
        rows.append(
            {
                "field": str(field.verbose_name if isinstance(field, Field) else typed_name),
                "typed": typed,
                "read": read,
                "confidence": document.ocr_confidences.get(read_name),
                "matches": matches,
            }
        )
    return rows


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "seller",
        "application",
        "kind",
        "original_name",
        "ocr_status",
        "is_current",
        "uploaded_at",
    )
    list_select_related = ("seller", "application")
    list_filter = ("kind", "ocr_status", "is_current")
    search_fields = ("seller__company_name", "original_name", "sha256")
    date_hierarchy = "uploaded_at"
    show_full_result_count = False
    exclude = ("storage_name", "ocr_raw_text")
    readonly_fields = ("open_link",)

    @admin.display(description=gettext_lazy("File"))
    def open_link(self, obj: Document) -> str:
        url = reverse("onboarding:document_download", args=[obj.pk])
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Open (logged)")
        )


@admin.register(DocumentAccess)
class DocumentAccessAdmin(ReadOnlyAdmin):
    list_display = ("accessed_at", "user", "document", "ip_address")
    list_select_related = ("user", "document")
    search_fields = ("user__email", "document__seller__company_name")
    date_hierarchy = "accessed_at"
    show_full_result_count = False


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "application", "action", "actor", "from_status", "to_status")
    list_select_related = ("application", "actor")
    list_filter = ("action", "to_status")
    search_fields = ("application__company_name", "actor__email", "reason")
    date_hierarchy = "at"
    show_full_result_count = False


@admin_queue
def applications_waiting_for_review(request) -> AdminQueue | None:
    """On the admin's index: applications waiting for review, and since when."""
    if not request.user.has_perm("onboarding.view_application"):
        return None
    waiting = Application.objects.filter(status=S.IN_REVIEW).aggregate(
        count=Count("id"), oldest=Min("submitted_at")
    )
    return AdminQueue(
        code="applications_in_review",
        label=_("Applications waiting for review"),
        count=waiting["count"],
        oldest=waiting["oldest"],
        url=reverse("admin:onboarding_application_changelist") + f"?status__exact={S.IN_REVIEW}",
    )


@admin_queue
def trials_under_review(request) -> AdminQueue | None:
    """On the admin's index: trials the evaluation sent to manual review."""
    if not request.user.has_perm("onboarding.view_application"):
        return None
    waiting = Application.objects.filter(status=S.TRIAL_REVIEW).aggregate(
        count=Count("id"), oldest=Min("updated_at")
    )
    return AdminQueue(
        code="trials_under_review",
        label=_("Trials under manual review"),
        count=waiting["count"],
        oldest=waiting["oldest"],
        url=reverse("admin:onboarding_application_changelist") + f"?status__exact={S.TRIAL_REVIEW}",
    )
