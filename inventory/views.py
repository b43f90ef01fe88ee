"""The seller's pages: warehouses and stock, SKUs, inbound notices, presale locks, the
forecast, routing an order and the routed orders. Thin doors: a form, one service, its
refusal shown on the field it concerns."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.mixins import seller_of, seller_required
from accounts.models import User
from shipments.exceptions import ShipmentError

from .exceptions import InvalidInventoryInput, InventoryError, RouteRefused
from .forms import ForecastForm, InboundForm, LockForm, RouteForm, SkuForm
from .models import Inbound, PresaleLock, RoutedOrder, Sku, Stock
from .reasons import reason_text
from .selectors import (
    DEFAULT_TARGET_DAYS,
    allocations_of,
    forecast,
    inbounds_of,
    locked_by_stock,
    locks_of,
    movements_of,
    routed_orders_of,
    skus_of,
    stock_of,
    warehouses_active,
)
from .services import (
    Destination,
    SkuInput,
    campaign_get_or_create,
    inbound_declare,
    lines_parse,
    order_route,
    presale_lock_create,
    presale_lock_release,
    route_cancel,
    route_result,
    sku_save,
)


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _refusal_on(form: forms.Form, error: InventoryError) -> None:
    """Put a service's refusal on the field it names (else on the whole form)."""
    field = getattr(error, "field", "")
    form.add_error(field if field in form.fields else None, str(error.message))


@seller_required
@require_GET
def stock(request: HttpRequest) -> HttpResponse:
    """Our warehouses and what the seller holds in each."""
    seller = seller_of(request)
    locked = locked_by_stock(seller=seller)
    return render(
        request,
        "inventory/stock.html",
        {
            "warehouses": list(warehouses_active()),
            "stock": [(row, locked.get(row.pk, 0)) for row in stock_of(seller=seller)],
        },
    )


@seller_required
@require_GET
def movements(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(
        Stock.objects.select_related("warehouse", "sku"), pk=pk, sku__seller=seller_of(request)
    )
    return render(
        request, "inventory/movements.html", {"row": row, "movements": movements_of(stock=row)}
    )


def _sku_input(data: dict[str, Any]) -> SkuInput:
    return SkuInput(
        code=data["code"],
        name_en=data["name_en"],
        name_zh=data["name_zh"],
        hs_code=data["hs_code"],
        unit_weight_g=data["unit_weight_g"],
        unit_value=data["unit_value"],
        currency=data["currency"],
        origin_country=data["origin_country"],
        gtin=data["gtin"],
        mpn=data["mpn"],
        contains_battery=data["contains_battery"],
        dims_cm=data["dims_cm"],
    )


@seller_required
@require_http_methods(["GET", "POST"])
def skus(request: HttpRequest) -> HttpResponse:
    seller = seller_of(request)
    form = SkuForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sku = sku_save(
                seller=seller, data=_sku_input(form.cleaned_data), on=timezone.localdate()
            )
        except InvalidInventoryInput as error:
            _refusal_on(form, error)
        else:
            messages.success(request, _("SKU %(code)s added.") % {"code": sku.code})
            return redirect("inventory:skus")
    return render(
        request, "inventory/skus.html", {"form": form, "skus": list(skus_of(seller=seller))}
    )


@seller_required
@require_http_methods(["GET", "POST"])
def sku_edit(request: HttpRequest, pk: int) -> HttpResponse:
    seller = seller_of(request)
    sku = get_object_or_404(Sku, pk=pk, seller=seller)
    initial = {
        "code": sku.code,
        "name_en": sku.name_en,
        "name_zh": sku.name_zh,
        "hs_code": sku.hs_code,
        "unit_weight_g": sku.unit_weight_g,
        "unit_value": sku.unit_value,
        "currency": sku.currency,
        "origin_country": sku.origin_country,
        "gtin": sku.gtin,
        "mpn": sku.mpn,
        "contains_battery": sku.contains_battery,
        "length_cm": sku.length_cm,
        "width_cm": sku.width_cm,
        "height_cm": sku.height_cm,
    }
    form = SkuForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sku_save(
                seller=seller, data=_sku_input(form.cleaned_data), sku=sku, on=timezone.localdate()
            )
        except InvalidInventoryInput as error:
            _refusal_on(form, error)
        else:
            messages.success(request, _("SKU %(code)s saved.") % {"code": sku.code})
            return redirect("inventory:skus")
    return render(request, "inventory/sku_edit.html", {"form": form, "sku": sku})


@seller_required
@require_http_methods(["GET", "POST"])
def inbound(request: HttpRequest) -> HttpResponse:
    seller = seller_of(request)
    form = InboundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = inbound_declare(
                seller=seller,
                warehouse=data["warehouse"],
                lines=lines_parse(data["lines"]),
                reference=data["reference"],
                expected_on=data["expected_on"],
                user=_user(request),
            )
        except InvalidInventoryInput as error:
            _refusal_on(form, error)
        else:
            messages.success(
                request,
                _("%(number)s declared: the warehouse receives it when it arrives.")
                % {"number": notice.number},
            )
            return redirect("inventory:inbound_detail", pk=notice.pk)
    return render(
        request, "inventory/inbound.html", {"form": form, "inbounds": inbounds_of(seller=seller)}
    )


@seller_required
@require_GET
def inbound_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(
        Inbound.objects.select_related("warehouse"), pk=pk, seller=seller_of(request)
    )
    lines = list(notice.lines.select_related("sku").order_by("pk"))
    return render(request, "inventory/inbound_detail.html", {"notice": notice, "lines": lines})


@seller_required
@require_http_methods(["GET", "POST"])
def locks(request: HttpRequest) -> HttpResponse:
    seller = seller_of(request)
    form = LockForm(request.POST or None, seller=seller)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaign_get_or_create(
                seller=seller, code=data["campaign"], name=data["campaign_name"]
            )
            lock = presale_lock_create(
                campaign=campaign,
                warehouse=data["warehouse"],
                sku=data["sku"],
                quantity=data["quantity"],
                expires_at=form.expires_at(),
                user=_user(request),
            )
        except InvalidInventoryInput as error:
            _refusal_on(form, error)
        else:
            messages.success(
                request,
                _("%(quantity)s of %(sku)s locked for %(campaign)s.")
                % {"quantity": lock.quantity, "sku": data["sku"].code, "campaign": campaign.code},
            )
            return redirect("inventory:locks")
    return render(request, "inventory/locks.html", {"form": form, "locks": locks_of(seller=seller)})


@seller_required
@require_POST
def lock_release(request: HttpRequest, pk: int) -> HttpResponse:
    lock = get_object_or_404(PresaleLock, pk=pk, campaign__seller=seller_of(request))
    try:
        presale_lock_release(lock=lock, user=_user(request))
    except InventoryError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The lock is released: its stock is free again."))
    return redirect("inventory:locks")


@seller_required
@require_GET
def forecast_page(request: HttpRequest) -> HttpResponse:
    seller = seller_of(request)
    form = ForecastForm(request.GET or None)
    target = DEFAULT_TARGET_DAYS
    if form.is_bound and form.is_valid() and form.cleaned_data["target_days"]:
        target = form.cleaned_data["target_days"]
    return render(
        request,
        "inventory/forecast.html",
        {"form": form, "rows": forecast(seller=seller, target_days=target), "target": target},
    )


@seller_required
@require_http_methods(["GET", "POST"])
def route(request: HttpRequest) -> HttpResponse:
    """Route an order: a dry run shows the decision; routing reserves and ships."""
    seller = seller_of(request)
    form = RouteForm(request.POST or None)
    result = refusal = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        dry_run = "dry_run" in request.POST
        try:
            result = order_route(
                seller=seller,
                order_number=data["order_number"],
                destination=Destination(
                    country=data["country"],
                    postcode=data["postcode"],
                    state=data["state"],
                    city=data["city"],
                    address=data["address"],
                    name=data["name"],
                    phone=data["phone"],
                    ioss_number=data["ioss_number"],
                    uk_vat_number=data["uk_vat_number"],
                ),
                lines=lines_parse(data["lines"]),
                policy=data["policy"],
                campaign=data["campaign"],
                max_splits=data["max_splits"],
                dry_run=dry_run,
                user=_user(request),
            )
        except RouteRefused as refused:
            refusal = refused
        except InventoryError as error:  # bad input on its field; the stock changed meanwhile
            _refusal_on(form, error)
        else:
            if not dry_run and result.route_id is not None:
                if result.replayed:
                    messages.info(
                        request,
                        _("Order %(order)s was routed before: here is that result.")
                        % {"order": result.order_number},
                    )
                return redirect("inventory:order", pk=result.route_id)
    return render(
        request,
        "inventory/route.html",
        {
            "form": form,
            "result": result,
            "reasons": [(r, reason_text(r)) for r in result.reasons] if result else [],
            "refusal": refusal,
        },
    )


@seller_required
@require_GET
def orders(request: HttpRequest) -> HttpResponse:
    return render(
        request, "inventory/orders.html", {"orders": routed_orders_of(seller=seller_of(request))}
    )


@seller_required
@require_GET
def order(request: HttpRequest, pk: int) -> HttpResponse:
    routed = get_object_or_404(RoutedOrder, pk=pk, seller=seller_of(request))
    result = route_result(route=routed)
    allocations = allocations_of(route=routed)
    return render(
        request,
        "inventory/order.html",
        {
            "routed": routed,
            "result": result,
            "allocations": allocations,
            "reasons": [(r, reason_text(r)) for r in result.reasons],
            "shipment_ids": [a.shipment_id for a in allocations if a.shipment_id],
        },
    )


@seller_required
@require_POST
def order_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    routed = get_object_or_404(RoutedOrder, pk=pk, seller=seller_of(request))
    try:
        route_cancel(route=routed, user=_user(request))
    except InventoryError as error:
        messages.error(request, str(error.message))
    except ShipmentError as error:  # a parcel picked up meanwhile: nothing cancelled
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The order is cancelled and its stock released."))
    return redirect("inventory:order", pk=routed.pk)
