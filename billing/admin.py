"""The operations console for pricing: rate cards with their lanes and bands, zones, peak
seasons and the green discount; and finance's console for settlement: accounts (mode
switch), the ledger (read-only), statements by period and state, the overdue list, payments
and top-ups (recorded through the services, never edited or deleted).

A card in force (``effective_from`` ≤ today, Asia/Shanghai) is read-only with its lanes
and bands; the "duplicate as a new card" action makes the next version, which operations
edit until it takes effect. Nothing is deleted here.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Subquery
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin import NoDeleteAdmin, ReadOnlyAdmin

from .exceptions import BillingError
from .exports.admin import StatementExportsMixin  # also registers the ExportJob admin
from .models import (
    GreenDiscount,
    Lane,
    LedgerEntry,
    OverdueStatement,
    Payment,
    PeakSeason,
    RateCard,
    SettlementAccount,
    SettlementMode,
    SettlementModeChange,
    Statement,
    StatementLine,
    TopUp,
    WeightBand,
    Zone,
    ZoneCountry,
)
from .selectors import StatementState, statements_filter_state, statements_with_state
from .services import (
    payment_check,
    payment_record,
    rate_card_check_editable,
    rate_card_check_effective_from,
    rate_card_duplicate,
    settlement_mode_switch,
    settlement_mode_switch_rule,
    today_shanghai,
    topup_check,
    topup_record,
)


def _card_frozen(card: RateCard | None) -> bool:
    return card is not None and card.pk is not None and card.effective_from <= today_shanghai()


class LaneInline(admin.TabularInline):
    model = Lane
    extra = 0
    fields = (
        "origin",
        "zone",
        "service",
        "max_weight_g",
        "volumetric_divisor",
        "transit_days",
        "customs_clearance_hours",
    )
    show_change_link = True
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("zone")

    def has_change_permission(self, request, obj=None) -> bool:
        return not _card_frozen(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return not _card_frozen(obj) and super().has_add_permission(request, obj)


@admin.register(RateCard)
class RateCardAdmin(NoDeleteAdmin):
    list_display = ("name", "effective_from", "status", "lane_count", "created_by", "created_at")
    list_select_related = ("created_by",)
    list_filter = ("effective_from",)
    search_fields = ("name", "notes")
    date_hierarchy = "effective_from"
    fields = ("name", "effective_from", "notes", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")
    inlines = (LaneInline,)
    actions = ("duplicate_as_new_card",)

    def get_queryset(self, request):
        in_force = (
            RateCard.objects.filter(effective_from__lte=today_shanghai())
            .order_by("-effective_from")
            .values("pk")[:1]
        )
        return (
            super()
            .get_queryset(request)
            .annotate(_lane_count=Count("lanes"), _in_force_pk=Subquery(in_force))
        )

    @admin.display(description=_("lanes"), ordering="_lane_count")
    def lane_count(self, obj: RateCard) -> int:
        return obj._lane_count

    @admin.display(description=_("status"))
    def status(self, obj: RateCard) -> str:
        if obj.effective_from > today_shanghai():
            return gettext("Scheduled (editable)")
        return gettext("In force") if obj.pk == obj._in_force_pk else gettext("Superseded")

    def has_change_permission(self, request, obj=None) -> bool:
        return not _card_frozen(obj) and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # The form already checked the date (see get_form); keep the service as the gate.
        rate_card_check_editable(card=obj)
        rate_card_check_effective_from(effective_from=obj.effective_from)
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class RateCardForm(form):
            def clean_effective_from(self):
                value = self.cleaned_data["effective_from"]
                try:
                    rate_card_check_effective_from(effective_from=value)
                except BillingError as error:
                    raise ValidationError(error.message) from None
                return value

        return RateCardForm

    @admin.action(description=_("Duplicate as a new card"), permissions=["add"])
    def duplicate_as_new_card(self, request, queryset):
        created = []
        for card in queryset.order_by("effective_from"):
            try:
                created.append(rate_card_duplicate(card=card, user=request.user))
            except BillingError as error:
                self.message_user(request, error.message, messages.ERROR)
                return
        self.message_user(
            request,
            ngettext(
                "%(count)d new card created, effective %(dates)s: edit it before that day.",
                "%(count)d new cards created, effective %(dates)s: edit them before then.",
                len(created),
            )
            % {
                "count": len(created),
                "dates": ", ".join(f"{c.effective_from:%Y-%m-%d}" for c in created),
            },
            messages.SUCCESS,
        )


class WeightBandFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        bounds = [
            form.cleaned_data["up_to_g"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        max_weight = getattr(self.instance, "max_weight_g", None)
        if max_weight and bounds and max(bounds) < max_weight:
            raise ValidationError(
                gettext("The last band (%(bound)s g) must reach the maximum weight (%(max)s g).")
                % {"bound": max(bounds), "max": max_weight}
            )


class WeightBandInline(admin.TabularInline):
    model = WeightBand
    formset = WeightBandFormSet
    fields = ("up_to_g", "price")
    extra = 0

    def has_change_permission(self, request, obj=None) -> bool:
        return not _card_frozen(obj and obj.card) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return not _card_frozen(obj and obj.card) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Removing a band of a card not yet in force is an edit, and allowed.
        return not _card_frozen(obj and obj.card) and request.user.has_perm(
            "billing.change_weightband"
        )


@admin.register(Lane)
class LaneAdmin(NoDeleteAdmin):
    list_display = (
        "card",
        "origin",
        "zone",
        "service",
        "max_weight_g",
        "volumetric_divisor",
        "transit_days",
        "customs_clearance_hours",
    )
    list_select_related = ("card", "zone")
    list_filter = ("card", "origin", "zone", "service")
    search_fields = ("zone__code", "zone__name", "card__name")
    autocomplete_fields = ("zone",)
    inlines = (WeightBandInline,)

    def has_change_permission(self, request, obj=None) -> bool:
        return not _card_frozen(obj and obj.card) and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        rate_card_check_editable(card=obj.card)
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "card" in form.base_fields:
            form.base_fields["card"].queryset = RateCard.objects.filter(
                effective_from__gt=today_shanghai()
            )
        return form


class ZoneCountryInline(admin.TabularInline):
    model = ZoneCountry
    fields = ("country", "postcode_first_digits")
    extra = 0


@admin.register(Zone)
class ZoneAdmin(NoDeleteAdmin):
    list_display = ("code", "name", "countries_list")
    search_fields = ("code", "name", "countries__country")
    inlines = (ZoneCountryInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("countries")

    @admin.display(description=_("countries"))
    def countries_list(self, obj: Zone) -> str:
        return format_html(
            "{}",
            ", ".join(
                f"{c.country} {c.postcode_first_digits}…" if c.postcode_first_digits else c.country
                for c in obj.countries.all()
            ),
        )


@admin.register(PeakSeason)
class PeakSeasonAdmin(NoDeleteAdmin):
    list_display = (
        "name",
        "start_month",
        "start_day",
        "end_month",
        "end_day",
        "surcharge_pct",
        "is_active",
    )
    list_filter = ("is_active",)
    search_fields = ("name",)


@admin.register(GreenDiscount)
class GreenDiscountAdmin(NoDeleteAdmin):
    list_display = ("effective_from", "discount_pct")
    date_hierarchy = "effective_from"


# ---------------------------------------------------------------------------------------
# Finance: settlement accounts, ledger, statements, payments, top-ups
# ---------------------------------------------------------------------------------------


_switch_rule = lazy(settlement_mode_switch_rule, str)  # in the language of each request


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
    search_fields = ("key", "reference", "seller__company_name", "shipment__tracking_number")
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
        if self.value() in StatementState.LABELS:
            return statements_filter_state(queryset, state=self.value())
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


class StatementAdminBase(StatementExportsMixin, ReadOnlyAdmin):
    list_display = (
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
    def state_label(self, obj) -> str:
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

    def clean(self):
        cleaned = super().clean()
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

    def clean(self):
        cleaned = super().clean()
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
            return (*self.form._meta.fields, "entry", "recorded_by", "recorded_at")
        return ()


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
