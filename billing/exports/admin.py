"""Finance's exports in the admin: start a whole-month export and download it when ready
(the page polls the job's progress), and a statement's PDF/XLSX/CSV from its page.

Everything here asks for ``billing.export_statement`` (granted to Finance, not to
Operations), not for the ExportJob model's own add/change/view permissions."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.timezones import today_shanghai

from ..exceptions import BillingError
from ..forms import ExportStartForm
from ..models import ExportJob, ExportStatus, Statement
from ..services.exports import (
    EXPORT_PERMISSION,
    STATEMENT_FORMATS,
    export_job_file,
    export_job_request,
    statement_export,
)
from ..services.ledger import period_previous

POLL_SECONDS = 2


def _can_export(request) -> bool:
    return request.user.is_active and request.user.has_perm(EXPORT_PERMISSION)


def _download(export) -> FileResponse:
    response = FileResponse(
        export.file, as_attachment=True, filename=export.filename, content_type=export.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


def job_progress(job: ExportJob) -> dict:
    return {
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "percent": job.percent,
        "error": job.error,
        "download_url": (
            reverse("admin:billing_exportjob_download", args=[job.pk])
            if job.status == ExportStatus.DONE
            else None
        ),
    }


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = (
        "period_label",
        "format",
        "status",
        "progress",
        "requested_by",
        "created_at",
        "finished_at",
        "download_link",
    )
    list_select_related = ("requested_by",)
    list_filter = ("status", "format")
    show_full_result_count = False
    actions = None
    start_template = "billing/admin/export_start.html"
    progress_template = "billing/admin/export_progress.html"

    # finance's export permission, not the model's own
    def has_module_permission(self, request) -> bool:
        return _can_export(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return _can_export(request)

    def has_add_permission(self, request) -> bool:
        return _can_export(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("month"), ordering="period")
    def period_label(self, obj) -> str:
        return f"{obj.period:%Y-%m}"

    @admin.display(description=_("progress"))
    def progress(self, obj) -> str:
        return f"{obj.rows_done:,} / {obj.rows_total:,}"

    @admin.display(description=_("file"))
    def download_link(self, obj) -> str:
        if obj.status != ExportStatus.DONE:
            return "—"
        url = reverse("admin:billing_exportjob_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Download"))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/progress/", wrap(self.progress_view), name="billing_exportjob_progress"),
            path("<int:pk>/download/", wrap(self.download_view), name="billing_exportjob_download"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        """Start an export (the "add" button of the changelist)."""
        if not _can_export(request):
            raise PermissionDenied
        if request.method == "POST":
            form = ExportStartForm(request.POST)
            if form.is_valid():
                try:
                    job = export_job_request(
                        user=request.user,
                        period=form.cleaned_data["period"],
                        fmt=form.cleaned_data["format"],
                    )
                except BillingError as error:
                    self.message_user(request, error.message, messages.ERROR)
                else:
                    return HttpResponseRedirect(
                        reverse("admin:billing_exportjob_change", args=[job.pk])
                    )
        else:
            previous = period_previous(today_shanghai())
            form = ExportStartForm(initial={"period": f"{previous:%Y-%m}", "format": "csv"})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Export a month's statements"),
            "form": form,
        }
        return TemplateResponse(request, self.start_template, context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The job's progress, polled until the file is ready."""
        if not _can_export(request):
            raise PermissionDenied
        job = get_object_or_404(ExportJob.objects.select_related("requested_by"), pk=object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Export of %(month)s (%(format)s)")
            % {"month": f"{job.period:%Y-%m}", "format": job.format.upper()},
            "job": job,
            "progress": job_progress(job),
            "progress_url": reverse("admin:billing_exportjob_progress", args=[job.pk]),
            "poll_ms": POLL_SECONDS * 1000,
        }
        return TemplateResponse(request, self.progress_template, context)

    def progress_view(self, request, pk: int):
        if not _can_export(request):
            raise PermissionDenied
        return JsonResponse(job_progress(get_object_or_404(ExportJob, pk=pk)))

    def download_view(self, request, pk: int):
        job = get_object_or_404(ExportJob, pk=pk)
        try:
            export = export_job_file(job=job, user=request.user)
        except BillingError as error:
            if not _can_export(request):
                raise PermissionDenied from error
            raise Http404(str(error.message)) from error
        return _download(export)


class StatementExportsMixin(admin.ModelAdmin[Statement]):
    """For the Statement admin: the statement's PDF, XLSX and CSV on its page, for users
    with ``billing.export_statement``. A ModelAdmin itself, so that what it extends
    (``get_urls``, ``get_fields`` …) is typed; it comes first among the admin's bases."""

    def get_urls(self):
        return [
            path(
                "<int:pk>/export/<slug:fmt>/",
                self.admin_site.admin_view(self.statement_export_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_export",
            ),
            *super().get_urls(),
        ]

    def get_fields(self, request, obj=None):
        fields = tuple(super().get_fields(request, obj))
        if obj is not None and _can_export(request):
            fields += ("export_links",)
        return fields

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "export_links")

    @admin.display(description=_("export"))
    def export_links(self, obj) -> str:
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_export"
        return format_html_join(
            " · ",
            '<a href="{}">{}</a>',
            ((reverse(name, args=[obj.pk, fmt]), fmt.upper()) for fmt in STATEMENT_FORMATS),
        )

    def statement_export_view(self, request, pk: int, fmt: str):
        if not _can_export(request):
            raise PermissionDenied
        if fmt not in STATEMENT_FORMATS:
            raise Http404
        statement = get_object_or_404(Statement, pk=pk)
        return _download(statement_export(statement=statement, fmt=fmt))
