"""The forecast's method, to the unit: demand per week over 4 weeks, a day's average, days of
cover of the stock not promised, and what to send for the seller's target cover."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from inventory.models import RoutedOrder
from inventory.selectors import forecast
from inventory.services import SkuQuantity, inbound_declare, route_cancel
from tests.billing.factories import instant_store

from .factories import sku, stock_in, warehouse
from .helpers import PARIS, route

pytestmark = pytest.mark.django_db


def test_demand_cover_and_what_to_send(django_assert_max_num_queries):
    seller = instant_store(balance="2000.00").seller
    lax, fra = warehouse("US-LAX"), warehouse("DE-FRA")
    a = sku(seller, "A")
    now = timezone.now()
    ago = lambda days: now - datetime.timedelta(days=days)  # noqa: E731
    stock_in(lax, a, 20, at=ago(30))
    stock_in(fra, a, 5, at=ago(30))
    inbound_declare(seller=seller, warehouse=lax, lines=[SkuQuantity("A", 10)])
    route(seller, "AE-1", "A:2", at=ago(3))  # the latest week
    route(seller, "AE-2", "A:4", at=ago(10))  # the week before
    route(seller, "AE-3", "A:1", at=ago(20))  # three weeks ago
    route(seller, "AE-4", "A:9", at=ago(40))  # before the 4 weeks: not counted
    route(seller, "AE-5", "A:2", to=PARIS, at=ago(5))
    cancelled = route(seller, "AE-6", "A:3", at=ago(2))
    route_cancel(route=RoutedOrder.objects.get(pk=cancelled.route_id), user=None)

    with django_assert_max_num_queries(3):
        rows = {row.warehouse: row for row in forecast(seller=seller, target_days=120, now=now)}

    us = rows["US-LAX"]
    assert us.weekly == (0, 1, 4, 2)
    assert us.by_destination == (("US", 7),)
    assert us.daily == Decimal("0.25")  # 7 units ÷ 28 days
    assert (us.free, us.coming, us.locked) == (20 - 16, 10, 0)  # 16 reserved, 10 inbound
    assert us.cover_days == Decimal("56.0")  # (4 + 10) ÷ 0.25
    assert us.suggested == 16  # 0.25 × 120 − 14
    de = rows["DE-FRA"]
    assert (de.weekly, de.by_destination, de.cover_days, de.suggested) == (
        (0, 0, 0, 2),
        (("FR", 2),),
        Decimal("42.0"),  # 3 ÷ (2 ÷ 28)
        6,  # ⌈2/28 × 120 − 3⌉ = ⌈5.57⌉
    )
    assert forecast(seller=seller, target_days=30, now=now)[0].suggested == 0
