"""The operations console for the warehouse network: warehouses (managed here), inbound
notices (received here, partially or in full, differences recorded), stock (adjusted here
after a stocktake, and checked against its movements), and read-only views of SKUs,
movements, presale locks and routed orders. Writes go through the services; nothing is
deleted."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.admin import NoDeleteAdmin, ReadOnlyAdmin

from .exceptions import InventoryError
from .models import (
    Allocation,
    Inbound,
    InboundLine,
    InboundStatus,
    PresaleLock,
    RoutedOrder,
    Sku,
    Stock,
    StockMovement,
    Warehouse,
)
from .selectors import stock_audit
from .services import inbound_receive, stock_adjust

RECEIVE_PERMISSION = "inventory.change_inbound"
ADJUST_PERMISSION = "inventory.change_stock"
PROBLEMS_SHOWN = 50


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


class CountriesField(forms.Field):
    """ISO codes typed as ``US, CA`` ↔ a list."""

    widget = forms.TextInput

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value: Any) -> list[str]:
        text = str(value or "")
        codes = [code.strip().upper() for code in text.replace(";", ",").split(",")]
        codes = [code for code in codes if code]
        bad = [code for code in codes if len(code) != 2 or not code.isalpha()]
        if bad:
            raise forms.ValidationError(
                gettext("Not ISO country codes: %(codes)s.") % {"codes": ", ".join(bad[:10])}
            )
        return sorted(set(codes))


class WarehouseForm(forms.ModelForm[Warehouse]):
    serves = CountriesField(
        label=_("destination countries served"),
        required=False,
        help_text=_("ISO codes, comma-separated, e.g. DE, FR, GB."),
    )

    class Meta:
        model = Warehouse
        fields = ("code", "name", "country", "serves", "cutoff", "time_zone", "origin", "is_active")


@admin.register(Warehouse)
class WarehouseAdmin(NoDeleteAdmin[Warehouse]):
    form = WarehouseForm
    list_display = (
        "code",
        "name",
        "country",
        "served",
        "cutoff",
        "time_zone",
        "origin",
        "is_active",
    )
    list_filter = ("is_active", "country")
    search_fields = ("code", "name")
    list_select_related = ("origin",)

    @admin.display(description=_("ships to"))
    def served(self, obj: Warehouse) -> str:
        return ", ".join(obj.serves)

    def get_readonly_fields(self, request: HttpRequest, obj: Warehouse | None = None) -> list[str]:
        # The code and the origin are on shipments and lanes: set once.
        return ["code", "origin"] if obj is not None and obj.pk else []


@admin.register(Sku)
class SkuAdmin(ReadOnlyAdmin[Sku]):
    list_display = (
        "code",
        "name_en",
        "seller",
        "hs_code",
        "unit_weight_g",
        "unit_value",
        "currency",
        "contains_battery",
    )
    list_select_related = ("seller",)
    list_filter = ("contains_battery",)
    search_fields = ("code", "name_en", "seller__company_name")
    show_full_result_count = False


class AdjustForm(forms.Form):
    delta = forms.IntegerField(
        label=_("Units on hand ±"),
        help_text=_("Positive: found; negative: missing or damaged."),
        min_value=-100_000,
        max_value=100_000,
    )
    reason = forms.CharField(label=_("Why"), max_length=300)


@admin.register(Stock)
class StockAdmin(ReadOnlyAdmin[Stock]):
    list_display = (
        "sku",
        "warehouse",
        "on_hand",
        "reserved",
        "free_units",
        "inbound",
        "inbound_locked",
        "adjust_link",
    )
    list_select_related = ("sku", "warehouse")
    list_filter = ("warehouse",)
    search_fields = ("sku__code", "sku__seller__company_name")
    show_full_result_count = False
    actions = ("audit",)

    @admin.display(description=_("free"))
    def free_units(self, obj: Stock) -> int:
        return obj.free

    @admin.display(description="")
    def adjust_link(self, obj: Stock) -> str:
        url = reverse("admin:inventory_stock_adjust", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Adjust"))

    @admin.action(description=_("Check levels against movements"), permissions=["view"])
    def audit(self, request: HttpRequest, queryset: QuerySet[Stock]) -> None:
        """The whole network is checked (one query); problems are listed, the selected
        rows' first."""
        problems = stock_audit()
        if not problems:
            self.message_user(
                request,
                gettext(
                    "Every stock level equals the sum of its movements, and what its locks, "
                    "orders and inbound notices say."
                ),
                messages.SUCCESS,
            )
            return
        selected = set(queryset.values_list("pk", flat=True))
        problems.sort(key=lambda problem: problem.stock_id not in selected)
        for problem in problems[:PROBLEMS_SHOWN]:
            self.message_user(request, str(problem), messages.ERROR)
        self.message_user(
            request,
            ngettext("%(n)d problem found.", "%(n)d problems found.", len(problems))
            % {"n": len(problems)},
            messages.ERROR,
        )

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:pk>/adjust/",
                self.admin_site.admin_view(self.adjust_view),
                name="inventory_stock_adjust",
            ),
            *super().get_urls(),
        ]

    def adjust_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.has_perm(ADJUST_PERMISSION):
            raise PermissionDenied
        row = get_object_or_404(Stock.objects.select_related("sku", "warehouse"), pk=pk)
        form = AdjustForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                stock_adjust(
                    stock=row,
                    delta=form.cleaned_data["delta"],
                    reason=form.cleaned_data["reason"],
                    user=_user(request),
                )
            except InventoryError as error:
                form.add_error(getattr(error, "field", None) or None, str(error.message))
            else:
                self.message_user(request, gettext("Stock adjusted."), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:inventory_stock_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Adjust %(sku)s at %(warehouse)s")
            % {"sku": row.sku.code, "warehouse": row.warehouse.code},
            "form": form,
            "row": row,
        }
        return TemplateResponse(request, "inventory/admin/adjust.html", context)


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin[StockMovement]):
    list_display = (
        "at",
        "stock",
        "kind",
        "quantity",
        "on_hand_delta",
        "reserved_delta",
        "inbound_delta",
        "inbound_locked_delta",
        "reference",
        "reason",
        "actor",
    )
    list_select_related = ("stock__sku", "stock__warehouse", "actor")
    list_filter = ("kind",)
    search_fields = ("reference",)
    date_hierarchy = "at"
    show_full_result_count = False


class InboundLineInline(admin.TabularInline[InboundLine, Inbound]):
    model = InboundLine
    fields = ("sku", "declared", "received", "difference")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Inbound | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Inbound | None = None) -> bool:
        return False


class ReceiveForm(forms.Form):
    close = forms.BooleanField(
        label=_("Close the notice (record what never arrived as its difference)"),
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, lines: list[InboundLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=f"{line.sku.code} ({line.received}/{line.declared})",
                min_value=0,
                max_value=100_000,
                initial=0,
                required=False,
            )

    def quantities(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data.get(f"line_{line.pk}") or 0 for line in self.lines}


@admin.register(Inbound)
class InboundAdmin(NoDeleteAdmin[Inbound]):
    list_display = (
        "number_display",
        "seller",
        "warehouse",
        "status",
        "reference",
        "expected_on",
        "created_at",
        "receive_link",
    )
    list_select_related = ("seller", "warehouse")
    list_filter = ("status", "warehouse")
    search_fields = ("reference", "seller__company_name")
    date_hierarchy = "created_at"
    inlines = (InboundLineInline,)
    fields = (
        "seller",
        "warehouse",
        "reference",
        "expected_on",
        "status",
        "created_by",
        "created_at",
        "closed_by",
        "closed_at",
        "note",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # sellers declare them

    @admin.display(description=_("notice"), ordering="pk")
    def number_display(self, obj: Inbound) -> str:
        return obj.number

    @admin.display(description="")
    def receive_link(self, obj: Inbound) -> str:
        if obj.status == InboundStatus.CLOSED:
            return ""
        url = reverse("admin:inventory_inbound_receive", args=[obj.pk])
        return format_html('<a href="{}" class="receive-link">{}</a>', url, gettext("Receive"))

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:pk>/receive/",
                self.admin_site.admin_view(self.receive_view),
                name="inventory_inbound_receive",
            ),
            *super().get_urls(),
        ]

    def receive_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.has_perm(RECEIVE_PERMISSION):
            raise PermissionDenied
        notice = get_object_or_404(Inbound.objects.select_related("seller", "warehouse"), pk=pk)
        lines = list(notice.lines.select_related("sku").order_by("pk"))
        form = ReceiveForm(request.POST or None, lines=lines)
        if request.method == "POST" and form.is_valid():
            try:
                inbound_receive(
                    inbound=notice,
                    quantities=form.quantities(),
                    close=form.cleaned_data["close"],
                    note=form.cleaned_data["note"],
                    user=_user(request),
                )
            except InventoryError as error:
                form.add_error(None, str(error.message))
            else:
                self.message_user(
                    request,
                    gettext("%(number)s received.") % {"number": notice.number},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:inventory_inbound_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Receive %(number)s at %(warehouse)s")
            % {"number": notice.number, "warehouse": notice.warehouse.code},
            "form": form,
            "notice": notice,
            "lines": lines,
        }
        return TemplateResponse(request, "inventory/admin/receive.html", context)


@admin.register(PresaleLock)
class PresaleLockAdmin(ReadOnlyAdmin[PresaleLock]):
    list_display = (
        "campaign",
        "stock",
        "quantity",
        "held",
        "awaiting",
        "consumed",
        "released",
        "expires_at",
        "status",
    )
    list_select_related = ("campaign", "stock__sku", "stock__warehouse")
    list_filter = ("status",)
    search_fields = ("campaign__code", "stock__sku__code")
    show_full_result_count = False


class AllocationInline(admin.TabularInline[Allocation, RoutedOrder]):
    model = Allocation
    fields = ("position", "warehouse", "shipment_order_number", "shipment", "status")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: RoutedOrder | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: RoutedOrder | None = None) -> bool:
        return False


@admin.register(RoutedOrder)
class RoutedOrderAdmin(ReadOnlyAdmin[RoutedOrder]):
    list_display = (
        "order_number",
        "seller",
        "country",
        "policy",
        "status",
        "seconds",
        "created_at",
    )
    list_select_related = ("seller",)
    list_filter = ("status", "policy")
    search_fields = ("order_number",)
    date_hierarchy = "created_at"
    show_full_result_count = False
    inlines = (AllocationInline,)
