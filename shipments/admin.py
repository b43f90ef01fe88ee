"""The operations console for shipments: the big shipment table, its tracking events, refused
orders, bulk files and notifications, and the carrier's tracking file import.

Status and price fields are read-only: status changes go through ``shipments.services``
(the "mark label printed" action, the tracking import), the price was fixed at creation.
Operations may correct a recipient's contact details; Finance only views. Nothing is deleted.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin import NoDeleteAdmin, ReadOnlyAdmin
from core.gate import gate
from pricing.countries import COUNTRY_NAMES

from .models import (
    Notification,
    RefusedOrder,
    Shipment,
    ShipmentEvent,
    ShipmentImport,
    ShipmentItem,
)
from .services import shipments_mark_label_printed, tracking_import
from .services.tracking_files import (
    MAX_TRACKING_FILE_BYTES,
    TRACKING_COLUMNS,
    TRACKING_REQUIRED,
    TrackingFileUnreadable,
)

IMPORT_PERMISSION = "shipments.add_shipmentevent"
PROBLEMS_SHOWN = 500


class EstimatedCountPaginator(Paginator):
    """Counts an unfiltered big table from PostgreSQL's statistics instead of a full
    ``COUNT(*)`` (a million rows); a filtered list, or a small table, is counted exactly."""

    EXACT_BELOW = 100_000

    @cached_property
    def count(self) -> int:
        query = getattr(self.object_list, "query", None)
        if query is not None and not query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [query.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] >= self.EXACT_BELOW:
                return row[0]
        return super().count


class IndexedSearchMixin:
    """Search by whole values or their beginning only (``search_lookups``: lookup, whether
    the term is upper-cased), never ``LIKE '%x%'``, which scans every row of a big table."""

    search_lookups: tuple[tuple[str, bool], ...] = ()

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        condition = Q()
        for lookup, upper in self.search_lookups:
            condition |= Q(**{lookup: term.upper() if upper else term})
        return queryset.filter(condition), False


class CountryFilter(admin.SimpleListFilter):
    """The destinations from the country list, not a ``SELECT DISTINCT`` over every row."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        return sorted(
            ((code, f"{code} {name}") for code, name in COUNTRY_NAMES.items()),
            key=lambda item: item[0],
        )

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset


class CheckCodeFilter(admin.SimpleListFilter):
    """The order gate's checks, in gate order, from the registry (no query)."""

    title = _("refused by check")
    parameter_name = "check_code"

    def lookups(self, request, model_admin):
        return [(check.code, f"{check.code}: {check.title}") for check in gate.checks()]

    def queryset(self, request, queryset):
        return queryset.filter(check_code=self.value()) if self.value() else queryset


class ItemInline(admin.TabularInline):
    """The customs item lines: read-only, as declared at creation."""

    model = ShipmentItem
    extra = 0
    can_delete = False
    fields = (
        "position",
        "description",
        "description_zh",
        "quantity",
        "unit_value",
        "currency",
        "unit_weight_g",
        "hs_code",
        "origin_country",
        "sku",
        "gtin",
        "mpn",
        "contains_battery",
    )
    readonly_fields = fields
    ordering = ("position",)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class EventInline(admin.TabularInline):
    model = ShipmentEvent
    extra = 0
    can_delete = False
    fields = (
        "at",
        "from_status",
        "status",
        "applied",
        "source",
        "event_id",
        "location",
        "description",
        "actor",
        "received_at",
    )
    readonly_fields = fields
    ordering = ("at", "id")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class NotificationInline(admin.TabularInline):
    model = Notification
    extra = 0
    can_delete = False
    fields = ("sent_at", "kind", "channel", "recipient", "body")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class TrackingImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, UTF-8 with BOM or GBK, up to 20 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_TRACKING_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB: split it."))
        return upload


@admin.register(Shipment)
class ShipmentAdmin(IndexedSearchMixin, NoDeleteAdmin):
    change_list_template = "shipments/admin/shipment/change_list.html"
    import_template = "shipments/admin/tracking_import.html"
    list_display = (
        "tracking_number",
        "order_number",
        "seller_link",
        "status",
        "is_trial",
        "livemode",
        "country",
        "charge",
        "created_at",
    )
    list_display_links = ("tracking_number",)
    list_select_related = ("seller",)
    list_filter = ("status", "is_trial", "livemode", CountryFilter, "created_at")
    # Exact or by the beginning, on the pattern indexes (migration 0003), across sellers.
    search_fields = ("order_number", "tracking_number")
    search_lookups = (("order_number__startswith", False), ("tracking_number__startswith", True))
    search_help_text = _("An order number or a tracking number, whole or its beginning.")
    autocomplete_fields = ("seller", "store")
    # No date_hierarchy: its year links cost a DISTINCT over the whole table on every view
    # (0.7 s at a million rows); the created_at filter narrows by date instead.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50  # rendering dominates a page of the big table: 50 rows keep it fast
    inlines = (ItemInline, EventInline, NotificationInline)
    actions = ("mark_label_printed",)
    editable_fields = ("recipient_name", "recipient_phone", "address", "city")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "tracking_number",
                    "order_number",
                    "seller",
                    "store",
                    "status",
                    "is_trial",
                    "created_at",
                    "created_by",
                )
            },
        ),
        (
            _("Recipient"),
            {
                "fields": (
                    "recipient_name",
                    "recipient_phone",
                    "recipient_email",
                    "address",
                    "address2",
                    "city",
                    "state",
                    "postcode",
                    "country",
                )
            },
        ),
        (
            _("Parcel"),
            {
                "fields": (
                    "origin",
                    "weight_g",
                    "length_cm",
                    "width_cm",
                    "height_cm",
                    "contents",
                    "declared_value",
                    "declared_currency",
                )
            },
        ),
        (
            _("Customs"),
            {
                "fields": (
                    "incoterm",
                    "customs_form",
                    "ioss_number",
                    "uk_vat_number",
                    "fx_rates",
                )
            },
        ),
        (
            _("Price (fixed at creation)"),
            {
                "fields": (
                    "rate_card_id",
                    "lane",
                    "zone",
                    "volumetric_weight_g",
                    "chargeable_weight_g",
                    "score",
                    "base",
                    "fulfillment_adjustment",
                    "peak_rate",
                    "peak_adjustment",
                    "green_rate",
                    "green_discount",
                    "quoted_total",
                    "charge",
                )
            },
        ),
        (
            _("Tracking"),
            {
                "fields": (
                    "status_changed_at",
                    "label_printed_at",
                    "picked_up_at",
                    "transit_days",
                    "promised_by",
                    "customs_since",
                    "customs_clearance_hours",
                    "customs_alerted_at",
                    "delivered_at",
                    "on_time",
                    "cancelled_at",
                )
            },
        ),
    )

    def has_add_permission(self, request) -> bool:
        return False  # shipments are created by sellers, through the order gate

    def get_readonly_fields(self, request, obj=None):
        return [
            f.name
            for f in Shipment._meta.concrete_fields
            if f.name not in self.editable_fields and f.name != "id"
        ]

    @admin.display(description=_("seller"), ordering="seller__company_name")
    def seller_link(self, obj: Shipment) -> str:
        url = reverse("admin:shipments_shipment_changelist")
        return format_html(
            '<a href="{}?seller__id__exact={}">{}</a>', url, obj.seller_id, obj.seller
        )

    def lookup_allowed(self, lookup, value, request=None) -> bool:
        return lookup in ("seller__id__exact", "store__id__exact") or super().lookup_allowed(
            lookup, value, request
        )

    @admin.action(description=_("Mark label printed"), permissions=["change"])
    def mark_label_printed(self, request, queryset):
        moved = shipments_mark_label_printed(
            shipment_ids=list(queryset.values_list("pk", flat=True)),
            at=timezone.now(),
            actor=request.user,
            source="admin",
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d shipment marked label printed; the others were already past it.",
                "%(count)d shipments marked label printed; the others were already past it.",
                moved,
            )
            % {"count": moved},
            messages.SUCCESS,
        )

    # -- the tracking file import --------------------------------------------------------
    def get_urls(self):
        return [
            path(
                "import-tracking/",
                self.admin_site.admin_view(self.tracking_import_view),
                name="shipments_shipment_import_tracking",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import_tracking": request.user.has_perm(IMPORT_PERMISSION),
        }
        return super().changelist_view(request, extra_context)

    def tracking_import_view(self, request):
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
        result, file_name = None, ""
        if request.method == "POST":
            form = TrackingImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                file_name = upload.name
                try:
                    result = tracking_import(file_bytes=upload.read())
                except TrackingFileUnreadable as error:
                    form.add_error("file", error.message)
                else:
                    self.message_user(
                        request,
                        gettext(
                            "%(applied)d events applied, %(duplicates)d duplicates ignored, "
                            "%(late)d late, %(bad)d rows refused."
                        )
                        % {
                            "applied": result.applied,
                            "duplicates": result.duplicates,
                            "late": result.late,
                            "bad": len(result.problems),
                        },
                        messages.WARNING if result.problems else messages.SUCCESS,
                    )
        else:
            form = TrackingImportForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import tracking events (CSV)"),
            "form": form,
            "result": result,
            "file_name": file_name,
            "problems_shown": result.problems[:PROBLEMS_SHOWN] if result else [],
            "problems_hidden": max(len(result.problems) - PROBLEMS_SHOWN, 0) if result else 0,
            "columns": [(column, column in TRACKING_REQUIRED) for column in TRACKING_COLUMNS],
        }
        return TemplateResponse(request, self.import_template, context)


@admin.register(ShipmentEvent)
class ShipmentEventAdmin(IndexedSearchMixin, ReadOnlyAdmin):
    list_display = (
        "shipment",
        "status",
        "from_status",
        "applied",
        "source",
        "at",
        "event_id",
        "actor",
    )
    list_select_related = ("shipment", "actor")
    list_filter = ("status", "applied", "source", "at")
    search_fields = ("event_id", "shipment__tracking_number")
    search_help_text = _("A carrier event ID, or a whole tracking number.")
    search_lookups = (("event_id", False), ("shipment__tracking_number", True))
    # No date_hierarchy on the largest table (a DISTINCT over all events per view).
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    raw_id_fields = ("shipment",)


@admin.register(RefusedOrder)
class RefusedOrderAdmin(IndexedSearchMixin, ReadOnlyAdmin):
    list_display = ("order_number", "seller", "check_code", "source", "livemode", "at")
    list_select_related = ("seller",)
    list_filter = (CheckCodeFilter, "source", "livemode", "at")
    search_fields = ("order_number",)
    search_help_text = _("A whole order number.")
    search_lookups = (("order_number", False),)
    date_hierarchy = "at"
    show_full_result_count = False


@admin.register(ShipmentImport)
class ShipmentImportAdmin(ReadOnlyAdmin):
    list_display = (
        "file_name",
        "seller",
        "status",
        "rows_total",
        "rows_created",
        "rows_failed",
        "created_at",
    )
    list_select_related = ("seller",)
    list_filter = ("status", "created_at")
    search_fields = ("file_name", "=sha256", "seller__company_name")
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(Notification)
class NotificationAdmin(IndexedSearchMixin, ReadOnlyAdmin):
    list_display = ("shipment", "kind", "channel", "recipient", "sent_at")
    list_select_related = ("shipment",)
    list_filter = ("kind", "channel", "sent_at")
    search_fields = ("recipient", "shipment__tracking_number")
    search_help_text = _("A whole e-mail address or phone number, or a whole tracking number.")
    search_lookups = (("recipient", False), ("shipment__tracking_number", True))
    date_hierarchy = "sent_at"
    show_full_result_count = False
