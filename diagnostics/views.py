from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.mixins import seller_required

from .exceptions import DiagnosticsError
from .forms import OrderForm, ParcelForm
from .models import RunSource
from .services import account_diagnose, order_diagnose


@never_cache
@seller_required
@require_http_methods(["GET", "POST"])
def index(request):
    """The seller's tool: an order number (``order``), the account (``account=1``) or a
    hypothetical parcel (``country``, ``postcode``, ``weight_g``) → every check, the root
    cause and its fix. Only the seller's own orders exist here.

    The page's forms POST, and only a POST records the run in the seller's history. A GET
    with the same fields (the "why?" link of a refused order) answers without writing: a
    link on another site cannot add to a seller's history."""
    seller = request.user.seller
    record = request.method == "POST"
    data = request.POST if record else request.GET
    order_form = OrderForm(data if "order" in data else None)
    parcel_form = ParcelForm(data if "weight_g" in data else None)
    diagnosis, error = None, None
    try:
        if order_form.is_bound and order_form.is_valid():
            diagnosis = order_diagnose(
                seller=seller,
                order_number=order_form.cleaned_data["order"],
                user=request.user,
                source=RunSource.SELLER,
                record=record,
            )
        elif parcel_form.is_bound and parcel_form.is_valid():
            diagnosis = account_diagnose(
                seller=seller,
                parcel=parcel_form.cleaned_data["parcel"],
                user=request.user,
                source=RunSource.SELLER,
                record=record,
            )
        elif "account" in data:
            diagnosis = account_diagnose(
                seller=seller, user=request.user, source=RunSource.SELLER, record=record
            )
    except DiagnosticsError as refused:
        error = refused.message
    return render(
        request,
        "diagnostics/index.html",
        {
            "order_form": order_form if order_form.is_bound else OrderForm(),
            "parcel_form": parcel_form if parcel_form.is_bound else ParcelForm(),
            "diagnosis": diagnosis,
            "error": error,
        },
    )
