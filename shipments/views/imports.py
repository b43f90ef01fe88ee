"""Bulk files of orders: upload (with the recent files), one file's progress (a page that
polls a small JSON endpoint), its row-by-row error report and the template to fill in.
Every file is looked up through the seller: another seller's id is a 404."""

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.mixins import seller_required

from ..services.imports import (
    COLUMNS,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    ImportFileRefused,
    shipment_import_confirm,
    shipment_import_create,
    shipment_import_discard,
    shipment_import_get_for_seller,
    shipment_import_list_for_seller,
    shipment_import_progress,
    shipment_import_report_open,
    shipment_import_template_csv,
)


class ShipmentImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File of orders"),
        help_text=gettext_lazy("CSV (UTF-8 or GBK) or Excel .xlsx, up to 20 MB and 100,000 rows."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )


def _get(request, pk: int):
    shipment_import = shipment_import_get_for_seller(seller=request.user.seller, pk=pk)
    if shipment_import is None:
        raise Http404
    return shipment_import


@seller_required
@require_http_methods(["GET", "POST"])
def import_list(request):
    form = ShipmentImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            form.add_error(
                "file",
                _("The file is larger than %(limit)d MB: split it into smaller files.")
                % {"limit": MAX_IMPORT_BYTES // (1024 * 1024)},
            )
        else:
            try:
                shipment_import = shipment_import_create(
                    seller=request.user.seller,
                    user=request.user,
                    name=upload.name,
                    data=upload.read(),
                )
            except ImportFileRefused as error:
                form.add_error("file", error.message)
            else:
                messages.success(
                    request,
                    _(
                        "%(name)s received: its orders are being checked. Nothing is created "
                        "or charged until you confirm what it will do."
                    )
                    % {"name": shipment_import.file_name},
                )
                return redirect("shipments:import", pk=shipment_import.pk)
    return render(
        request,
        "shipments/imports.html",
        {
            "form": form,
            "imports": shipment_import_list_for_seller(seller=request.user.seller),
            "columns": COLUMNS,
            "max_rows": MAX_IMPORT_ROWS,
        },
    )


@seller_required
@require_GET
def import_detail(request, pk: int):
    shipment_import = _get(request, pk)
    return render(
        request,
        "shipments/import_detail.html",
        {
            "shipment_import": shipment_import,
            "progress": shipment_import_progress(shipment_import=shipment_import),
        },
    )


@seller_required
@require_POST
def import_confirm(request, pk: int):
    """The seller saw the preview: create the file's valid orders."""
    shipment_import = _get(request, pk)
    try:
        shipment_import_confirm(shipment_import=shipment_import)
    except ImportFileRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Sent: the orders are being created."))
    return redirect("shipments:import", pk=shipment_import.pk)


@seller_required
@require_POST
def import_discard(request, pk: int):
    shipment_import = _get(request, pk)
    try:
        shipment_import_discard(shipment_import=shipment_import)
    except ImportFileRefused as error:
        messages.error(request, error.message)
    else:
        messages.info(request, _("Discarded: nothing was created."))
    return redirect("shipments:imports")


@never_cache
@seller_required
@require_GET
def import_progress(request, pk: int):
    shipment_import = _get(request, pk)
    return JsonResponse(shipment_import_progress(shipment_import=shipment_import))


@seller_required
@require_GET
def import_report(request, pk: int):
    """The rows that were not created, as CSV (UTF-8 with BOM), streamed from storage."""
    shipment_import = _get(request, pk)
    stored = shipment_import_report_open(shipment_import=shipment_import)
    if stored is None:
        raise Http404
    response = FileResponse(stored, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"errors-{shipment_import.pk}-{shipment_import.file_name.rsplit('.', 1)[0]}.csv"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@seller_required
@require_GET
def import_template(request):
    response = HttpResponse(shipment_import_template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, "运单导入模板.csv")
    return response
