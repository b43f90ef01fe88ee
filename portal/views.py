from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.mixins import seller_required
from accounts.selectors import owner_mfa_nudge
from platforms.models import SEARCH_BOOST_PERCENT, SEARCH_BOOST_SCORE
from shipments.selectors import shipment_stats_cached
from stores.selectors import store_awaiting_binding

from .health import health_details_allowed, health_report


@require_GET
def home(request):
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    return render(request, "portal/home.html")


@seller_required
@require_GET
def dashboard(request):
    seller = request.user.seller
    return render(
        request,
        "portal/dashboard.html",
        {
            "seller": seller,
            "shipment_stats": shipment_stats_cached(seller=seller),
            "boost_score": SEARCH_BOOST_SCORE,
            "boost_percent": SEARCH_BOOST_PERCENT,
            "mfa_nudge": owner_mfa_nudge(request),
            "waiting_store": store_awaiting_binding(seller=seller),
        },
    )


@never_cache
@require_GET
def healthz(request):
    """200 or 503 with ``{"status": …}`` for anyone (the load balancer); the components,
    their errors and the workers' names only for signed-in staff or a request carrying
    ``Authorization: Bearer <HEALTHZ_TOKEN>``."""
    healthy, report = health_report()
    if not health_details_allowed(request):
        report = {"status": report["status"]}
    return JsonResponse(report, status=200 if healthy else 503)
