from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.mixins import seller_required

from .exceptions import DiagnosticsError
from .forms import OrderForm, ParcelForm
from .models import RunSource
from .services import account_diagnose, order_diagnose


@never_cache
@seller_required
@require_GET
def index(request):
    """The seller's tool: an order number (``?order=``), the account (``?account=1``) or a
    hypothetical parcel (``?country=&postcode=&weight_g=``) → every check, the root cause
    and its fix. Only the seller's own orders exist here."""
    seller = request.user.seller
    order_form = OrderForm(request.GET if "order" in request.GET else None)
    parcel_form = ParcelForm(request.GET if "weight_g" in request.GET else None)
    diagnosis, error = None, None
    try:
        if order_form.is_bound and order_form.is_valid():
            diagnosis = order_diagnose(
                seller=seller,
                order_number=order_form.cleaned_data["order"],
                user=request.user,
                source=RunSource.SELLER,
            )
        elif parcel_form.is_bound and parcel_form.is_valid():
            diagnosis = account_diagnose(
                seller=seller,
                parcel=parcel_form.cleaned_data["parcel"],
                user=request.user,
                source=RunSource.SELLER,
            )
        elif "account" in request.GET:
            diagnosis = account_diagnose(seller=seller, user=request.user, source=RunSource.SELLER)
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
