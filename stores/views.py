"""The seller's stores in service: each with its service status and its binding on the
platform (waiting, with that platform's own steps, or confirmed), and "I have bound it"."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.mixins import seller_of, seller_required
from platforms.guides import platform_guide

from .exceptions import StoreError
from .models import Store
from .selectors import store_get_for_seller, store_metrics, stores_for_seller
from .services import store_binding_claim


def _store(request: HttpRequest, pk: int) -> Store:
    store = store_get_for_seller(seller=seller_of(request), pk=pk)
    if store is None:
        raise Http404
    return store


@seller_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    stores = list(stores_for_seller(seller=seller_of(request)))
    if len(stores) == 1:
        return redirect("stores:detail", pk=stores[0].pk)
    return render(request, "stores/index.html", {"stores": stores})


@seller_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    store = _store(request, pk)
    return render(
        request,
        "stores/detail.html",
        {
            "store": store,
            "guide": platform_guide(store.platform),
            "metrics": store_metrics(store=store),
        },
    )


@seller_required
@require_POST
def binding_claim(request: HttpRequest, pk: int) -> HttpResponse:
    """The seller says it has bound the store: recorded for operations' queue."""
    store = _store(request, pk)
    try:
        store_binding_claim(store=store, actor=request.user)
    except StoreError as error:
        messages.info(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Thank you: our operations team now sees that you have bound the store. "
                "Orders pass as soon as %(platform)s confirms it; you will be told."
            )
            % {"platform": store.get_platform_display()},
        )
    return redirect("stores:detail", pk=store.pk)
