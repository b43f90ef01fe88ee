"""The list's selector: keyset pages over (created_at, id), the capped count, filters."""

import datetime

import pytest

from shipments import selectors
from shipments.models import Shipment
from shipments.selectors import Cursor, ShipmentFilters, shipment_page, shipment_stats
from tests.shipments.factories import AUGUST, create_shipment, store_ready

pytestmark = pytest.mark.django_db


def walk(seller, *, size, filters=None):
    """Every page of the list, following the cursors as the "next page" links do."""
    pages, after = [], None
    while True:
        page = shipment_page(
            seller=seller, filters=filters or ShipmentFilters(), after=after, size=size
        )
        pages.append([shipment.order_number for shipment in page.shipments])
        if page.next_cursor is None:
            return pages
        after = Cursor.decode(page.next_cursor.encode())


def test_keyset_pages_cover_every_row_once_even_when_times_are_equal():
    store = store_ready()
    # Three shipments at the same instant (a bulk file), two later ones.
    for n in range(3):
        create_shipment(store, order_number=f"SAME-{n}", at=AUGUST)
    create_shipment(store, order_number="LATER-1", at=AUGUST + datetime.timedelta(seconds=1))
    create_shipment(store, order_number="LATER-2", at=AUGUST + datetime.timedelta(minutes=1))

    pages = walk(store.seller, size=2)

    assert pages == [["LATER-2", "LATER-1"], ["SAME-2", "SAME-1"], ["SAME-0"]]


def test_the_cursor_keeps_microseconds():
    at = datetime.datetime(2026, 8, 15, 10, 0, 0, 123457, tzinfo=datetime.UTC)
    cursor = Cursor(created_at=at, id=42)

    assert Cursor.decode(cursor.encode()) == cursor


@pytest.mark.parametrize("value", ["", "abc", "1.", ".1", "-5.3", "1.2.3", "9" * 30 + ".1"])
def test_a_malformed_cursor_means_the_first_page(value):
    assert Cursor.decode(value) is None


def test_the_count_is_capped(monkeypatch):
    store = store_ready()
    for _ in range(4):
        create_shipment(store)
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)

    page = shipment_page(seller=store.seller, filters=ShipmentFilters())

    assert (page.count, page.count_capped) == (3, True)
    assert len(page.shipments) == 4


def test_filters_stay_within_the_seller():
    mine = store_ready()
    theirs = store_ready()
    create_shipment(mine, order_number="AE-1")
    create_shipment(theirs, order_number="AE-1")

    page = shipment_page(seller=mine.seller, filters=ShipmentFilters(search="AE-1"))

    assert [s.seller_id for s in page.shipments] == [mine.seller_id]


@pytest.mark.parametrize("rows", [2, 20])
def test_the_selectors_query_budget_does_not_grow(rows, django_assert_max_num_queries):
    store = store_ready()
    for _ in range(rows):
        create_shipment(store)

    with django_assert_max_num_queries(2):
        page = shipment_page(seller=store.seller, filters=ShipmentFilters(), size=10)
        [shipment.store.platform_store_id for shipment in page.shipments]
    with django_assert_max_num_queries(5):  # three figures, the store, its metrics
        shipment_stats(seller=store.seller, now=AUGUST)
    assert Shipment.objects.count() == rows
