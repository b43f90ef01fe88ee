"""The operations console for diagnostics: every run of the tool, the watch's warnings, the
distribution of root causes beside the article's split with drill-down, and the tool
itself for any seller."""

import datetime
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_stubs_ext import StrOrPromise

from accounts.models import Seller
from core.admin import ReadOnlyAdmin
from core.forms import BoundedDateField, SafeAutocompleteSelect
from core.gate import gate
from core.timezones import SHANGHAI

from .exceptions import AmbiguousOrder, DiagnosticsError
from .models import DiagnosticRun, RunSource, WatchWarning
from .selectors import SOURCES, cause_distribution, cause_orders, cause_sellers, order_sellers
from .services import account_diagnose, order_diagnose

RUN_PERMISSION = "diagnostics.run_diagnostics"
VIEW_PERMISSION = "diagnostics.view_diagnosticrun"
DEFAULT_PERIOD_DAYS = 30
SELLERS_LINKED = 100  # sellers behind a bar passed to the seller changelist


class PeriodForm(forms.Form):
    start = BoundedDateField(
        label=pgettext_lazy("start of a date range", "From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = BoundedDateField(
        label=_("To (inclusive)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.ChoiceField(
        label=pgettext_lazy("what to count", "Count"),
        choices=[
            ("refusals", _("orders refused (recorded refusals)")),
            ("runs", _("root causes found by the tool (its runs)")),
        ],
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


def _period(request) -> tuple[PeriodForm, str, datetime.datetime, datetime.datetime]:
    today = timezone.now().astimezone(SHANGHAI).date()
    initial: dict[str, Any] = {
        "start": today - datetime.timedelta(days=DEFAULT_PERIOD_DAYS - 1),
        "end": today,
        "source": "refusals",
    }
    form = PeriodForm({**initial, **request.GET.dict()} if request.GET else initial)
    values = form.cleaned_data if form.is_valid() else initial
    source = values["source"] if values["source"] in SOURCES else "refusals"
    start = datetime.datetime.combine(values["start"], datetime.time.min, tzinfo=SHANGHAI)
    end = datetime.datetime.combine(
        values["end"] + datetime.timedelta(days=1), datetime.time.min, tzinfo=SHANGHAI
    )
    return form, source, start, end


class ToolForm(forms.Form):
    seller = forms.ModelChoiceField(
        label=_("Seller"),
        queryset=Seller.objects.all(),
        required=False,
        widget=SafeAutocompleteSelect(DiagnosticRun._meta.get_field("seller"), admin.site),
    )
    order = forms.CharField(label=_("Platform order number"), max_length=64, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("seller") and not data.get("order"):
            raise forms.ValidationError(_("Choose a seller, or give an order number."))
        return data


@admin.register(DiagnosticRun)
class DiagnosticRunAdmin(ReadOnlyAdmin):
    change_list_template = "admin/diagnostics/diagnosticrun/change_list.html"
    list_display = (
        "at",
        "seller",
        "kind",
        "order_number",
        "found",
        "root_cause",
        "source",
        "user",
    )
    list_select_related = ("seller", "user")
    list_filter = ("root_cause", "kind", "source", "at")
    search_fields = ("=order_number",)
    date_hierarchy = "at"
    show_full_result_count = False
    readonly_fields = [f.name for f in DiagnosticRun._meta.fields]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("overview/", view(self.overview_view), name="diagnostics_overview"),
            path(
                "overview/<slug:code>/",
                view(self.drilldown_view),
                name="diagnostics_drilldown",
            ),
            path("tool/", view(self.tool_view), name="diagnostics_tool"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_run": request.user.has_perm(RUN_PERMISSION),
        }
        return super().changelist_view(request, extra_context)

    def _context(self, request, title) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title}

    def overview_view(self, request):
        """Root causes over a period, as bars beside the article's 93.6 / 4.1 / 1.7."""
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        form, source, start, end = _period(request)
        distribution = cause_distribution(source=source, start=start, end=end)
        query = urlencode(
            {
                "source": source,
                "start": start.date().isoformat(),
                "end": (end - datetime.timedelta(days=1)).date().isoformat(),
            }
        )
        rows = [
            {
                "bar": bar,
                "drilldown": reverse("admin:diagnostics_drilldown", args=[bar.code]) + "?" + query,
                "changelist": _changelist_url(source, bar.code, start, end),
            }
            for bar in distribution.bars
        ]
        context = {
            **self._context(request, _("Why orders are refused")),
            "form": form,
            "distribution": distribution,
            "rows": rows,
            "source": source,
        }
        return TemplateResponse(request, "admin/diagnostics/overview.html", context)

    def drilldown_view(self, request, code: str):
        """The sellers and the orders behind one bar."""
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        _form, source, start, end = _period(request)
        sellers = cause_sellers(source=source, code=code, start=start, end=end)
        orders = cause_orders(source=source, code=code, start=start, end=end)
        try:
            title = str(gate.get(code).title)
        except KeyError:
            title = code
        ids = ",".join(str(row["seller_id"]) for row in sellers[:SELLERS_LINKED])
        context = {
            **self._context(request, title),
            "code": code,
            "source": source,
            "start": start,
            "end": end - datetime.timedelta(days=1),
            "sellers": sellers,
            "orders": orders,
            "sellers_changelist": reverse("admin:accounts_seller_changelist") + f"?id__in={ids}"
            if ids
            else None,
            "changelist": _changelist_url(source, code, start, end),
            "tool_url": reverse("admin:diagnostics_tool"),
            "can_run": request.user.has_perm(RUN_PERMISSION),
        }
        return TemplateResponse(request, "admin/diagnostics/drilldown.html", context)

    def tool_view(self, request):
        """Operations run the seller's tool for any seller: an order or the account."""
        if not request.user.has_perm(RUN_PERMISSION):
            raise PermissionDenied
        form = ToolForm(request.GET or None)
        diagnosis, candidates = None, []
        error: StrOrPromise | None = None
        if form.is_bound and form.is_valid():
            seller, order = form.cleaned_data["seller"], form.cleaned_data["order"].strip()
            try:
                if seller is None:
                    sellers = order_sellers(order_number=order)
                    if len(sellers) > 1:
                        raise AmbiguousOrder(sellers)
                    seller = sellers[0] if sellers else None
                if seller is None:
                    error = _("No seller has an order with this number.")
                elif order:
                    diagnosis = order_diagnose(
                        seller=seller, order_number=order, user=request.user, source=RunSource.ADMIN
                    )
                else:
                    diagnosis = account_diagnose(
                        seller=seller, user=request.user, source=RunSource.ADMIN
                    )
            except AmbiguousOrder as ambiguous:
                candidates = [
                    (s, "?" + urlencode({"seller": s.pk, "order": order}))
                    for s in ambiguous.sellers
                ]
                error = ambiguous.message
            except DiagnosticsError as refused:
                error = refused.message
        context = {
            **self._context(request, _("Run the diagnostics tool")),
            "form": form,
            "media": self.media + form.media,
            "diagnosis": diagnosis,
            "error": error,
            "candidates": candidates,
        }
        return TemplateResponse(request, "admin/diagnostics/tool.html", context)


def _changelist_url(source: str, code: str, start, end) -> str | None:
    """The admin changelist of the rows behind a bar, filtered by cause and period."""
    period = {"at__gte": start.isoformat(), "at__lt": end.isoformat()}
    if source == "runs":
        return (
            reverse("admin:diagnostics_diagnosticrun_changelist")
            + "?"
            + urlencode({"root_cause": code, **period})
        )
    try:
        url = reverse("admin:shipments_refusedorder_changelist")
    except NoReverseMatch:  # the shipments admin is not installed
        return None
    return url + "?" + urlencode({"check_code": code, **period})


@admin.register(WatchWarning)
class WatchWarningAdmin(ReadOnlyAdmin):
    list_display = ("sent_on", "code", "seller", "store", "message")
    list_select_related = ("seller", "store")
    list_filter = ("code", "sent_on")
    date_hierarchy = "sent_on"
    show_full_result_count = False
    readonly_fields = [f.name for f in WatchWarning._meta.fields]
