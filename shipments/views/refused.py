"""The seller's refused orders: every order the gate refused (a form or a file), with the
check that refused it, what it found, and a link to the diagnosis of that order."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.mixins import seller_of, seller_required
from core.gate import gate

from ..selectors import refused_orders_page


def _before(value: str | None) -> int | None:
    if value and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


@seller_required
@require_GET
def refused_list(request: HttpRequest) -> HttpResponse:
    before = _before(request.GET.get("before"))
    page = refused_orders_page(seller=seller_of(request), before=before)
    codes = set(gate.codes())
    diagnose = reverse("diagnostics:index")
    rows = [
        {
            "refusal": refusal,
            "title": str(gate.get(refusal.check_code).title)
            if refusal.check_code in codes
            else refusal.check_code,
            "created": refusal.order_number in page.created,
            "why_url": f"{diagnose}?{urlencode({'order': refusal.order_number})}",
        }
        for refusal in page.refusals
    ]
    return render(
        request,
        "shipments/refused.html",
        {
            "rows": rows,
            "next_before": page.next_before,
            "paging": "before" in request.GET,
        },
    )
