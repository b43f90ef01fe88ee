"""Finance's console for settlement: accounts (mode switch), the ledger (read-only),
statements by period and state, the overdue list, payments and top-ups (recorded through
the services, never edited or deleted).
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from core.admin import NoDeleteAdmin, ReadOnlyAdmin
from core.timezones import today_shanghai

from ..exceptions import BillingError
from ..exports.admin import StatementExportsMixin  # also registers the ExportJob admin
from ..forms import CloseMonthForm
from ..models import (
    LedgerEntry,
    OverdueStatement,
    Payment,
    SettlementAccount,
    SettlementMode,
    SettlementModeChange,
    Statement,
    StatementLine,
    TopUp,
)
from ..selectors import StatementState, statements_filter_state, statements_with_state
from ..services import (
    payment_check,
    payment_record,
    period_previous,
    settlement_mode_switch,
    settlement_mode_switch_rule,
    statements_check_can_close,
    statements_close_month,
    statements_close_month_preview,
    topup_check,
    topup_record,
)

_switch_rule = lazy(settlement_mode_switch_rule, str)  # in the language of each request
CLOSE_MONTH_PERMISSION = "billing.close_month"


class SettlementAccountForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Reason for a change of mode"), required=False, widget=forms.Textarea
    )

    class Meta:
        model = SettlementAccount
        fields = ("mode",)
        help_texts = {
            "mode": format_lazy(
                "{}<br>{}",
                _switch_rule(to_mode=SettlementMode.INSTANT),
                _switch_rule(to_mode=SettlementMode.MONTHLY),
            )
        }


class ModeChangeInline(admin.TabularInline):
    model = SettlementModeChange
    extra = 0
    can_delete = False
    fields = ("at", "from_mode", "to_mode", "actor", "reason")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SettlementAccount)
class SettlementAccountAdmin(NoDeleteAdmin):
    form = SettlementAccountForm
    list_display = ("seller", "mode", "balance", "mode_changed_at", "updated_at")
    list_select_related = ("seller",)
    list_filter = ("mode",)
    search_fields = ("seller__company_name",)
    show_full_result_count = False
    fields = ("seller", "mode", "reason", "balance", "mode_changed_at")
    readonly_fields = ("seller", "balance", "mode_changed_at")
    inlines = (ModeChangeInline,)

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # an account opens with the seller's first charge or top-up

    def save_model(self, request, obj, form, change):
        if "mode" in form.changed_data:
            settlement_mode_switch(
                seller=obj.seller,
                mode=form.cleaned_data["mode"],
                user=request.user,
                reason=form.cleaned_data.get("reason", ""),
            )
            messages.info(request, settlement_mode_switch_rule(to_mode=obj.mode))


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "seller", "kind", "mode", "amount", "balance_after", "period", "key")
    list_select_related = ("seller",)
    list_filter = ("kind", "mode", "period")
    search_fields = ("key", "reference", "seller__company_name", "tracking_number", "order_number")
    show_full_result_count = False
    raw_id_fields = ("shipment",)
    readonly_fields = (
        "seller",
        "kind",
        "mode",
        "amount",
        "balance_after",
        "period",
        "key",
        "shipment",
        "reference",
        "note",
        "at",
        "created_by",
    )


class StatementStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return list(StatementState.LABELS.items())

    def queryset(self, request, queryset):
        state = self.value()
        if state is not None and state in StatementState.LABELS:
            return statements_filter_state(queryset, state=state)
        return queryset


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    can_delete = False
    fields = ("reference", "amount", "received_on", "recorded_by", "recorded_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class StatementAdminBase(StatementExportsMixin, ReadOnlyAdmin[Statement]):
    list_display: tuple[str, ...] = (
        "number",
        "seller",
        "period",
        "due_date",
        "line_count",
        "total",
        "paid_amount",
        "outstanding_amount",
        "state_label",
    )
    list_select_related = ("seller",)
    search_fields = ("number", "seller__company_name")
    show_full_result_count = False
    fields = (
        "number",
        "seller",
        "company_name",
        "period",
        "issued_at",
        "due_date",
        "line_count",
        "charges_total",
        "refunds_total",
        "adjustments_total",
        "total",
        "lines_link",
        "record_payment_link",
    )
    readonly_fields = fields
    inlines = (PaymentInline,)

    def get_queryset(self, request):
        return statements_with_state(super().get_queryset(request))

    @admin.display(description=_("paid"), ordering="paid")
    def paid_amount(self, obj):
        return obj.paid

    @admin.display(description=_("outstanding"), ordering="outstanding")
    def outstanding_amount(self, obj):
        return obj.outstanding

    @admin.display(description=_("state"), ordering="state")
    def state_label(self, obj) -> StrOrPromise:
        return StatementState.LABELS[obj.state]

    @admin.display(description=_("lines"))
    def lines_link(self, obj) -> str:
        url = reverse("admin:billing_statementline_changelist") + f"?statement__id__exact={obj.pk}"
        return format_html(
            '<a href="{}">{}</a>',
            url,
            ngettext("View the %d line", "View the %d lines", obj.line_count) % obj.line_count,
        )

    @admin.display(description=_("payment"))
    def record_payment_link(self, obj) -> str:
        if obj.state == StatementState.PAID:
            return gettext("Paid in full")
        url = reverse("admin:billing_payment_add") + f"?statement={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, gettext("Record a payment"))


@admin.register(Statement)
class StatementAdmin(StatementAdminBase):
    list_filter = ("period", StatementStateFilter)
    change_list_template = "billing/admin/statement_change_list.html"

    def get_urls(self):
        return [
            path(
                "close-month/",
                self.admin_site.admin_view(self.close_month_view),
                name="billing_statement_close_month",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_close_month": request.user.has_perm(CLOSE_MONTH_PERMISSION),
        }
        return super().changelist_view(request, extra_context)

    def close_month_view(self, request):
        """Close a month as ``close_month`` does (the same service): the period, then a
        confirmation saying how many statements it issues; a month not over is refused
        with a message; closing again issues nothing more."""
        if not request.user.has_perm(CLOSE_MONTH_PERMISSION):
            raise PermissionDenied
        previous = period_previous(today_shanghai())
        form = CloseMonthForm(request.POST or None, initial={"period": f"{previous:%Y-%m}"})
        preview = None
        if request.method == "POST" and form.is_valid():
            period = form.cleaned_data["period"]
            try:
                statements_check_can_close(period=period)
                if form.cleaned_data["confirm"]:
                    result = statements_close_month(period=period)
                else:
                    preview = statements_close_month_preview(period=period)
            except BillingError as error:
                form.add_error("period", error.message)
            else:
                if preview is None:
                    self._closed_message(request, period, result)
                    changelist = reverse("admin:billing_statement_changelist")
                    return HttpResponseRedirect(f"{changelist}?period={period:%Y-%m-%d}")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Close a month"),
            "form": form,
            "preview": preview,
            "period": form.cleaned_data.get("period")
            if form.is_bound and form.is_valid()
            else None,
        }
        return TemplateResponse(request, "billing/admin/close_month.html", context)

    def _closed_message(self, request, period, result) -> None:
        month = f"{period:%Y-%m}"
        if result.statements:
            numbers = (
                result.first_number
                if result.statements == 1
                else f"{result.first_number} … {result.last_number}"
            )
            self.message_user(
                request,
                gettext("%(month)s closed: statements issued: %(count)d (%(numbers)s).")
                % {"month": month, "count": result.statements, "numbers": numbers},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                gettext("%(month)s: nothing left to bill, no statement issued.") % {"month": month},
                messages.INFO,
            )


@admin.register(OverdueStatement)
class OverdueStatementAdmin(StatementAdminBase):
    list_display = (
        "number",
        "seller",
        "period",
        "due_date",
        "days_overdue",
        "total",
        "paid_amount",
        "outstanding_amount",
    )
    list_filter = ("period",)
    ordering = ("due_date", "number")

    def get_queryset(self, request):
        return statements_filter_state(
            admin.ModelAdmin.get_queryset(self, request), state=StatementState.OVERDUE
        )

    @admin.display(description=_("days overdue"))
    def days_overdue(self, obj) -> int:
        return (today_shanghai() - obj.due_date).days


@admin.register(StatementLine)
class StatementLineAdmin(ReadOnlyAdmin):
    list_display = ("statement", "position", "at", "kind", "description", "amount")
    list_select_related = ("statement",)
    list_filter = ("kind",)
    search_fields = ("statement__number", "description")
    show_full_result_count = False
    raw_id_fields = ("statement", "entry", "shipment")
    readonly_fields = (
        "statement",
        "position",
        "entry",
        "kind",
        "shipment",
        "at",
        "description",
        "amount",
    )


class PaymentForm(forms.ModelForm):
    class Meta:
        model = Payment
        fields = ("statement", "amount", "reference", "received_on")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        statement = cleaned.get("statement")
        if statement is not None and cleaned.get("amount") and cleaned.get("reference"):
            try:
                payment_check(
                    statement=statement, amount=cleaned["amount"], reference=cleaned["reference"]
                )
            except BillingError as error:
                raise ValidationError(error.message) from None
        return cleaned


class TopUpForm(forms.ModelForm):
    class Meta:
        model = TopUp
        fields = ("seller", "amount", "reference", "received_on")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("amount") is not None and cleaned.get("reference"):
            try:
                topup_check(amount=cleaned["amount"], reference=cleaned["reference"])
            except BillingError as error:
                raise ValidationError(error.message) from None
        return cleaned


class MoneyReceivedAdmin(NoDeleteAdmin):
    """Payments and top-ups: recorded once through their service, never changed."""

    show_full_result_count = False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return (*(self.form._meta.fields or ()), "entry", "recorded_by", "recorded_at")
        return ()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A form submitted twice (a double click, a resent POST) passes the form's check twice;
        the service refuses the second (one reference, once) and that refusal is shown to
        finance, not answered with a server error. Nothing of the second was written."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except BillingError as error:
            self.message_user(request, error.message, messages.ERROR)
            changelist = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist",
                current_app=self.admin_site.name,
            )
            return HttpResponseRedirect(changelist)


@admin.register(Payment)
class PaymentAdmin(MoneyReceivedAdmin):
    form = PaymentForm
    list_display = ("reference", "statement", "seller", "amount", "received_on", "recorded_by")
    list_select_related = ("statement", "seller", "recorded_by")
    search_fields = ("reference", "statement__number", "seller__company_name")
    list_filter = ("received_on",)
    autocomplete_fields = ("statement",)

    def save_model(self, request, obj, form, change):
        payment = payment_record(
            statement=form.cleaned_data["statement"],
            amount=form.cleaned_data["amount"],
            reference=form.cleaned_data["reference"],
            received_on=form.cleaned_data["received_on"],
            user=request.user,
        )
        obj.pk = payment.pk


@admin.register(TopUp)
class TopUpAdmin(MoneyReceivedAdmin):
    form = TopUpForm
    list_display = ("reference", "seller", "amount", "received_on", "recorded_by", "recorded_at")
    list_select_related = ("seller", "recorded_by")
    search_fields = ("reference", "seller__company_name")
    list_filter = ("received_on",)
    autocomplete_fields = ("seller",)

    def save_model(self, request, obj, form, change):
        topup = topup_record(
            seller=form.cleaned_data["seller"],
            amount=form.cleaned_data["amount"],
            reference=form.cleaned_data["reference"],
            received_on=form.cleaned_data["received_on"],
            user=request.user,
        )
        obj.pk = topup.pk
