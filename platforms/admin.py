"""The operations console for platform metrics: snapshots, imports, the CSV import page."""

import csv

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin

from .adapters import CsvStoreMetricsSource, read_feed_file
from .forms import StoreMetricsImportForm
from .models import ImportStatus, StoreMetricsImport, StoreMetricsSnapshot
from .parsing import COLUMN_HELP, REQUIRED_COLUMNS
from .services import store_metrics_import

IMPORT_PERMISSION = "platforms.add_storemetricssnapshot"
# The import page shows this many problems; the downloadable report has them all.
ERRORS_SHOWN = 200


@admin.register(StoreMetricsSnapshot)
class StoreMetricsSnapshotAdmin(ReadOnlyAdmin):
    change_list_template = "admin/platforms/storemetricssnapshot/change_list.html"
    import_template = "admin/platforms/storemetricssnapshot/import.html"
    list_display = (
        "store_id",
        "platform",
        "as_of",
        "positive_rating_pct",
        "dsr_logistics",
        "fulfilment_score",
        "return_rate_pct",
        "label_print_success_pct",
        "serious_complaints_30d",
        "store_bound",
        "store_level",
        "batch_link",
    )
    list_filter = ("platform", "store_bound", "as_of")
    search_fields = ("store_id",)
    date_hierarchy = "as_of"
    show_full_result_count = False
    ordering = ("-as_of", "platform", "store_id")

    @admin.display(description=_("import"), ordering="batch")
    def batch_link(self, obj: StoreMetricsSnapshot) -> str:
        url = reverse("admin:platforms_storemetricsimport_change", args=[obj.batch_id])
        return format_html('<a href="{}">#{}</a>', url, obj.batch_id)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="platforms_storemetricssnapshot_import",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import": request.user.has_perm(IMPORT_PERMISSION),
        }
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        """Upload a CSV file; after the import, show its result (post/redirect/get)."""
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
        if request.method == "POST":
            form = StoreMetricsImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                data, sha256 = read_feed_file(upload)
                imported = store_metrics_import(
                    source=CsvStoreMetricsSource(data),
                    file_name=upload.name,
                    sha256=sha256,
                    user=request.user,
                )
                if imported.status == ImportStatus.SUCCEEDED:
                    self.message_user(
                        request,
                        gettext("%(count)d rows imported.") % {"count": imported.rows_imported},
                        messages.SUCCESS,
                    )
                else:
                    self.message_user(
                        request,
                        gettext("The file was refused: nothing was imported."),
                        messages.ERROR,
                    )
                url = reverse("admin:platforms_storemetricssnapshot_import")
                return HttpResponseRedirect(f"{url}?batch={imported.pk}")
        else:
            form = StoreMetricsImportForm()
        batch = self._shown_batch(request)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import store metrics (CSV)"),
            "form": form,
            "batch": batch,
            "errors_shown": batch.errors[:ERRORS_SHOWN] if batch else [],
            "errors_hidden": max(len(batch.errors) - ERRORS_SHOWN, 0) if batch else 0,
            "columns": [
                (column, column in REQUIRED_COLUMNS, text) for column, text in COLUMN_HELP.items()
            ],
        }
        return TemplateResponse(request, self.import_template, context)

    @staticmethod
    def _shown_batch(request) -> StoreMetricsImport | None:
        batch_id = request.GET.get("batch", "")
        if not batch_id.isdigit():
            return None
        return StoreMetricsImport.objects.filter(pk=batch_id).first()


@admin.register(StoreMetricsImport)
class StoreMetricsImportAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "created_at",
        "file_name",
        "status",
        "rows_total",
        "rows_imported",
        "uploaded_by",
        "error_report_link",
    )
    list_select_related = ("uploaded_by",)
    list_filter = ("status", "created_at")
    search_fields = ("file_name", "=sha256")
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = (
        "file_name",
        "sha256",
        "uploaded_by",
        "created_at",
        "status",
        "rows_total",
        "rows_imported",
        "error_report_link",
        "error_table",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        # The report can hold a thousand problems: load it only where it is shown.
        return super().get_queryset(request).defer("errors")

    @admin.display(description=_("error report"))
    def error_report_link(self, obj: StoreMetricsImport) -> str:
        if obj.status != ImportStatus.REJECTED:
            return "—"
        url = reverse("admin:platforms_storemetricsimport_errors", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download (CSV)"))

    @admin.display(description=_("problems"))
    def error_table(self, obj: StoreMetricsImport) -> str:
        if not obj.errors:
            return "—"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (e["row"] if e["row"] is not None else "—", e["column"] or "—", e["message"])
                for e in obj.errors[:ERRORS_SHOWN]
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            _("Row"),
            _("Column"),
            _("Problem"),
            rows,
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/errors.csv",
                self.admin_site.admin_view(self.error_report_view),
                name="platforms_storemetricsimport_errors",
            ),
            *super().get_urls(),
        ]

    def error_report_view(self, request, object_id):
        batch = self.get_object(request, unquote(object_id))
        if batch is None:
            raise Http404
        if not self.has_view_permission(request, batch):
            raise PermissionDenied
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="store-metrics-import-{batch.pk}-errors.csv"'
        )
        response.write("\ufeff")  # BOM: Excel then reads the file as UTF-8
        writer = csv.writer(response)
        writer.writerow([gettext("Row"), gettext("Column"), gettext("Problem")])
        for error in batch.errors:
            writer.writerow(
                [
                    error["row"] or "",
                    _spreadsheet_safe(error["column"]),
                    _spreadsheet_safe(error["message"]),
                ]
            )
        return response


def _spreadsheet_safe(text: str) -> str:
    """Text that Excel shows as text: the report quotes the file's own values, which must
    not become formulas (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
