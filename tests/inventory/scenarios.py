"""One of everything inventory keeps for a seller, for the isolation sweep."""

from __future__ import annotations

import datetime

from django.utils import timezone

from inventory.models import Inbound, PresaleLock, RoutedOrder, Sku, Stock
from inventory.services import campaign_get_or_create, presale_lock_create

from .factories import sku, stock_in, warehouse
from .helpers import route


def owned(seller) -> dict[str, int]:
    """A SKU stocked in US West, a presale lock and a routed order of ``seller``: their ids."""
    from tests.billing.factories import instant_store

    instant_store(balance="100.00", seller=seller)  # a store in service, a balance
    lax = warehouse("US-LAX")
    item = sku(seller, "ISO-1")
    stock_in(lax, item, 5)
    campaign = campaign_get_or_create(seller=seller, code="ISO")
    lock = presale_lock_create(
        campaign=campaign,
        warehouse=lax,
        sku=item,
        quantity=1,
        expires_at=timezone.now() + datetime.timedelta(days=3),
    )
    result = route(seller, "ISO-1", "ISO-1:1", at=timezone.now())
    return {
        "stock": Stock.objects.get(warehouse=lax, sku=item).pk,
        "sku": Sku.objects.get(pk=item.pk).pk,
        "inbound": Inbound.objects.filter(seller=seller).first().pk,
        "lock": PresaleLock.objects.get(pk=lock.pk).pk,
        "order": RoutedOrder.objects.get(pk=result.route_id).pk,
    }
