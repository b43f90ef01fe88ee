"""The seller dashboard's shipment figures: 30-day volume, on-time rate, exceptions, the
fulfilment score and the AliExpress search-boost badge at 98 or more."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from shipments.models import Shipment, ShipmentStatus
from shipments.selectors import shipment_stats
from tests.shipments.factories import AUGUST, create_shipment, store_ready

pytestmark = pytest.mark.django_db

NOW = AUGUST + datetime.timedelta(days=10)
DAY = datetime.timedelta(days=1)
DASHBOARD = reverse("portal:dashboard")


def deliver(shipment, *, delivered_at, promised_by, status=ShipmentStatus.DELIVERED):
    Shipment.objects.filter(pk=shipment.pk).update(
        status=status,
        picked_up_at=delivered_at - 3 * DAY,
        promised_by=promised_by,
        delivered_at=delivered_at,
        on_time=None if promised_by is None else delivered_at <= promised_by,
    )


def test_the_figures_of_the_last_30_days():
    store = store_ready(score="99.50")
    old = create_shipment(store, at=NOW - 40 * DAY)
    on_time = create_shipment(store, at=NOW - 20 * DAY)
    late = create_shipment(store, at=NOW - 15 * DAY)
    no_promise = create_shipment(store, at=NOW - 12 * DAY)
    stuck = create_shipment(store, at=NOW - 2 * DAY)
    create_shipment(store, at=NOW - DAY)
    create_shipment(store_ready(), at=NOW - DAY)  # another seller's
    deliver(old, delivered_at=NOW - 35 * DAY, promised_by=NOW - 34 * DAY)  # outside the window
    deliver(on_time, delivered_at=NOW - 10 * DAY, promised_by=NOW - 9 * DAY)
    deliver(late, delivered_at=NOW - 5 * DAY, promised_by=NOW - 6 * DAY)
    deliver(no_promise, delivered_at=NOW - 5 * DAY, promised_by=None)
    Shipment.objects.filter(pk=stuck.pk).update(status=ShipmentStatus.EXCEPTION)

    stats = shipment_stats(seller=store.seller, now=NOW)

    assert stats.volume == 5
    assert (stats.delivered_on_time, stats.delivered_with_promise) == (1, 2)
    assert stats.on_time_rate == Decimal("50.0")
    assert stats.exceptions == 1
    assert stats.fulfilment_score == Decimal("99.50")
    assert stats.search_boost is True
    assert stats.store == store


def test_the_window_can_be_shorter():
    store = store_ready()
    create_shipment(store, at=NOW - 8 * DAY)
    create_shipment(store, at=NOW - 6 * DAY)

    assert shipment_stats(seller=store.seller, days=7, now=NOW).volume == 1


@pytest.mark.parametrize(
    ("score", "boost"), [("98.00", True), ("97.99", False), ("100.00", True), ("60.00", False)]
)
def test_the_search_boost_starts_at_98(score, boost):
    store = store_ready(score=score)

    stats = shipment_stats(seller=store.seller, now=NOW)

    assert stats.search_boost is boost
    assert stats.on_time_rate is None  # nothing delivered


def test_a_seller_without_a_store_has_no_score(seller_user):
    stats = shipment_stats(seller=seller_user.seller, now=NOW)

    assert (stats.volume, stats.exceptions, stats.fulfilment_score) == (0, 0, None)
    assert stats.search_boost is False


def test_the_dashboard_shows_the_figures_and_the_badge(seller_client, seller_user):
    store = store_ready(seller=seller_user.seller, score="98.50")
    now = timezone.now()
    shipment = create_shipment(store, at=now - DAY)
    create_shipment(store, at=now - 2 * DAY)
    deliver(shipment, delivered_at=now - DAY / 2, promised_by=now)

    html = seller_client.get(DASHBOARD).content.decode()

    assert '<div class="fs-4 fw-semibold" id="stat-volume">2</div>' in html
    assert 'id="stat-on-time">100.0 %</div>' in html
    assert 'id="stat-exceptions">0</div>' in html
    assert 'id="stat-score">98.50</div>' in html
    assert 'id="search-boost"' in html


def test_no_badge_below_98(seller_client, seller_user):
    store_ready(seller=seller_user.seller, score="97.00")

    html = seller_client.get(DASHBOARD).content.decode()

    assert 'id="stat-score">97.00</div>' in html
    assert 'id="search-boost"' not in html
    assert 'id="stat-on-time">—</div>' in html


@pytest.mark.parametrize("rows", [3, 30])
def test_the_dashboard_has_a_query_budget_that_does_not_grow(
    seller_client, seller_user, rows, django_assert_max_num_queries
):
    store = store_ready(seller=seller_user.seller)
    now = timezone.now()
    for n in range(rows):
        create_shipment(store, at=now - n * DAY / 2)

    # session, user, seller, three figures, the ordering store, its latest metrics, and
    # whether a store waits for its platform's binding (cached after this first load)
    with django_assert_max_num_queries(9):
        response = seller_client.get(DASHBOARD)

    assert f'id="stat-volume">{rows}</div>' in response.content.decode()
