"""The race of the benchmark at a small scale, against the real PostgreSQL: threads, each on
its own connection, route single-unit orders for the last units of a SKU at once. Exactly as
many are allocated as there are units, the rest refused (recorded), nothing is ever negative
and the levels equal the movements afterwards. And one order number routed by every thread
at once is routed once; the others get its first result."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from inventory.exceptions import RouteRefused
from inventory.models import Allocation, RoutedOrder, Stock
from shipments.models import RefusedOrder, Shipment
from tests.billing.factories import instant_store

from .factories import sku, stock_in, warehouse
from .helpers import assert_invariants, route

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
THREADS = 4


def _race(work) -> list[list[object]]:
    """Run ``work(n)`` in ``THREADS`` threads started together; each returns its outcomes."""
    barrier = threading.Barrier(THREADS, timeout=30)
    outcomes: list[list[object]] = [[] for _ in range(THREADS)]

    def run(n: int) -> None:
        try:
            barrier.wait()
            outcomes[n] = work(n)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_threads_racing_for_the_last_units_allocate_exactly_them():
    seller = instant_store(balance="5000.00").seller
    lax, nj = warehouse("US-LAX"), warehouse("US-NJ")
    item = sku(seller, "LAST")
    stock_in(lax, item, 6)
    stock_in(nj, item, 4)
    orders_each = 8

    def work(n: int) -> list[object]:
        results: list[object] = []
        for k in range(orders_each):
            try:
                results.append(route(seller, f"R{n}-{k}", "LAST:1", at=timezone.now()))
            except RouteRefused as refused:
                results.append(refused.code)
        return results

    outcomes = [o for thread in _race(work) for o in thread]

    refused = [o for o in outcomes if isinstance(o, str)]
    routed = [o for o in outcomes if not isinstance(o, str)]
    assert len(outcomes) == THREADS * orders_each
    assert (len(routed), set(refused)) == (10, {"stock_insufficient"})
    assert Allocation.objects.count() == Shipment.objects.count() == 10
    assert RefusedOrder.objects.filter(check_code="stock_insufficient").count() == 22
    assert sorted(Stock.objects.values_list("on_hand", "reserved")) == [(4, 4), (6, 6)]
    assert_invariants()


def test_one_order_number_routed_by_every_thread_at_once_is_routed_once():
    seller = instant_store(balance="5000.00").seller
    lax = warehouse("US-LAX")
    stock_in(lax, sku(seller, "A"), 50)

    def work(n: int) -> list[object]:
        return [route(seller, f"SAME-{k}", "A:2", at=timezone.now()) for k in range(3)]

    outcomes = _race(work)

    for k in range(3):
        results = [thread[k] for thread in outcomes]
        assert sum(not r.replayed for r in results) == 1
        assert len({r.as_json()["allocations"][0]["tracking_number"] for r in results}) == 1
    assert RoutedOrder.objects.count() == 3 and Shipment.objects.count() == 3
    assert Stock.objects.get().reserved == 6
    assert_invariants()
