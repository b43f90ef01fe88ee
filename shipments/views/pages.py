"""The seller's shipment pages: the list (filters, search, keyset pages, CSV export), one
shipment with its timeline, creating one through the order gate, and cancelling one."""

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.mixins import seller_required
from billing.exceptions import InsufficientBalance
from core.gate import gate
from core.normalise import normalise_free_text
from core.pdf_fonts import unprintable
from core.spreadsheets import UTF8_BOM, spreadsheet_safe
from core.timezones import SHANGHAI
from pricing.countries import country_name
from pricing.labels import lane_label
from pricing.rates import pricing_table

from ..exceptions import DuplicateOrder, InvalidOrder, NotCancellable, OrderRefused
from ..forms import ItemFormSet, ShipmentCreateForm, ShipmentFilterForm
from ..models import CANCELLABLE_STATUSES, ShipmentStatus
from ..selectors import (
    EXPORT_FIELDS,
    SELLER_TEXT_FIELDS,
    Cursor,
    shipment_export_rows,
    shipment_find_by_order,
    shipment_get_for_seller,
    shipment_page,
)
from ..services import shipment_cancel, shipment_create
from ..services.alerts import promised_label

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_STATUS_LABELS = dict(ShipmentStatus.choices)


def _filter_form(request) -> ShipmentFilterForm:
    served = pricing_table().served_countries
    return ShipmentFilterForm(request.GET or None, served_countries=served)


@seller_required
@require_GET
def index(request):
    """The seller's shipments, newest first, filtered; "next page" links carry a cursor."""
    form = _filter_form(request)
    filters = form.filters()
    page = shipment_page(
        seller=request.user.seller,
        filters=filters,
        after=Cursor.decode(request.GET.get("after", "")),
    )
    query = request.GET.copy()
    query.pop("after", None)
    next_url = None
    if page.next_cursor is not None:
        next_url = "?" + urlencode([*query.items(), ("after", page.next_cursor.encode())])
    return render(
        request,
        "shipments/list.html",
        {
            "form": form,
            "page": page,
            "filtered": any(value for value in query.values()),
            "first_url": "?" + query.urlencode() if query else request.path,
            "next_url": next_url,
            "is_first_page": "after" not in request.GET,
            "export_url": reverse("shipments:export") + ("?" + query.urlencode() if query else ""),
        },
    )


def _local_time(value) -> str:
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _status_label(value) -> str:
    return str(_STATUS_LABELS.get(value, value))


def _plain(value) -> str:
    """Our own values (codes, numbers: a negative green discount stays a number)."""
    if value is None:
        return ""
    if value is True or value is False:
        return "1" if value else "0"
    return str(value)


# How each exported column is written; every column of text a seller typed is neutralised.
_EXPORT_FORMAT = {
    "status": _status_label,
    **dict.fromkeys(SELLER_TEXT_FIELDS, spreadsheet_safe),
    **dict.fromkeys(
        (f for f in EXPORT_FIELDS if f.endswith("_at") or f == "promised_by"), _local_time
    ),
}
_EXPORT_ROWS_PER_CHUNK = 500


class _Echo:
    def write(self, value):
        return value


def _export_lines(rows):
    """The CSV text in chunks of a few hundred rows: a BOM first, for Excel."""
    writer = csv.writer(_Echo())
    formats = [_EXPORT_FORMAT.get(name, _plain) for name in EXPORT_FIELDS]
    chunk = [UTF8_BOM + writer.writerow(EXPORT_FIELDS)]
    for row in rows:
        chunk.append(writer.writerow([fmt(cell) for fmt, cell in zip(formats, row, strict=True)]))
        if len(chunk) >= _EXPORT_ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)


@seller_required
@require_GET
def export(request):
    """The filtered list as CSV (UTF-8 with BOM, for Excel), streamed row by row."""
    filters = _filter_form(request).filters()
    rows = shipment_export_rows(seller=request.user.seller, filters=filters)
    stamp = timezone.localtime(timezone.now(), SHANGHAI).strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(_export_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="shipments-{stamp}.csv"'
    return response


@seller_required
@require_GET
def detail(request, pk: int):
    shipment = shipment_get_for_seller(seller=request.user.seller, pk=pk)
    return render(
        request,
        "shipments/detail.html",
        {
            "shipment": shipment,
            "events": list(shipment.events.all()),
            "country_name": country_name(shipment.country),
            "lane_label": lane_label(shipment.lane),
            "promised_on": promised_label(shipment),
            "cancellable": shipment.status in CANCELLABLE_STATUSES,
        },
    )


def _same_order(shipment, data) -> bool:
    """Whether an existing shipment is this very order sent twice (a double click, a
    reload), rather than another order reusing the number."""
    parcel = data["parcel"]
    return (
        data["store"] is not None
        and shipment.store_id == data["store"].pk
        and shipment.recipient_name == normalise_free_text(data["recipient_name"])
        and shipment.address == parcel.address
        and shipment.country == parcel.country
        and shipment.postcode == parcel.postcode
        and shipment.weight_g == parcel.weight_g
    )


def _refusal(error: OrderRefused, order_number: str) -> dict:
    check = gate.get(error.code)
    return {
        "code": error.code,
        "message": error.message,
        "fix": error.fix or check.fix_text(),
        "fix_url": error.fix_url or check.fix_url(),
        "why_url": reverse("diagnostics:index") + "?" + urlencode({"order": order_number}),
    }


@seller_required
@require_http_methods(["GET", "POST"])
def create(request):
    """One order through the order gate. A refusal shows its check and links to the
    diagnostics tool; the same order posted twice leads to the shipment made the first
    time (the unique order number guarantees only one)."""
    seller = request.user.seller
    form = ShipmentCreateForm(
        request.POST or None,
        seller=seller,
        served_countries=pricing_table().served_countries,
    )
    items = ItemFormSet(request.POST or None, prefix="items")
    refusal = None
    valid = request.method == "POST" and form.is_valid() and items.is_valid()
    parcel = form.parcel([item.raw() for item in items]) if valid else None
    for index, errors in getattr(form, "item_errors", {}).items():
        for field, message in errors.items():
            if index < len(items.forms) and field in items.forms[index].fields:
                items.forms[index].add_error(field, message)
    if parcel is not None:
        data = form.cleaned_data
        data["parcel"] = parcel
        try:
            shipment = shipment_create(
                seller=seller,
                store=data["store"],
                order_number=data["order_number"],
                parcel=parcel,
                recipient=form.recipient(),
                user=request.user,
                source="web",
            )
        except DuplicateOrder as error:
            existing = shipment_find_by_order(seller=seller, order_number=data["order_number"])
            if existing is not None and _same_order(existing, data):
                messages.info(request, _("This order was already created: here is its shipment."))
                return redirect("shipments:detail", pk=existing.pk)
            form.add_error("order_number", str(error.message))
        except InvalidOrder as error:
            form.add_error(None, str(error.message))
        except OrderRefused as error:
            refusal = _refusal(error, data["order_number"])
        except InsufficientBalance as error:  # raced by a refund and another order: rare
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request,
                _("Shipment %(tracking)s created.") % {"tracking": shipment.tracking_number},
            )
            missing = unprintable(
                " ".join(
                    (shipment.recipient_name, shipment.address, shipment.address2, shipment.city)
                )
            )
            if missing:
                messages.warning(
                    request,
                    _(
                        "The label cannot print %(chars)s: they show as “?”. Check the "
                        "recipient's name and address."
                    )
                    % {"chars": " ".join(missing)},
                )
            return redirect("shipments:detail", pk=shipment.pk)
    return render(
        request, "shipments/create.html", {"form": form, "items": items, "refusal": refusal}
    )


@seller_required
@require_POST
def cancel(request, pk: int):
    shipment = shipment_get_for_seller(seller=request.user.seller, pk=pk)
    try:
        shipment_cancel(shipment=shipment, user=request.user, reason=request.POST.get("reason", ""))
    except NotCancellable as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("Shipment %(tracking)s is cancelled.") % {"tracking": shipment.tracking_number},
        )
    return redirect("shipments:detail", pk=shipment.pk)
