"""The dashboard's figures are kept in the cache for a minute: a reload reads them from
Redis instead of counting shipments again, and the page says when they were read."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from shipments.selectors import (
    STATS_CACHE_SECONDS,
    shipment_stats_cache_key,
    shipment_stats_cached,
)
from tests.shipments.factories import create_shipment, store_ready

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("portal:dashboard")
DAY = datetime.timedelta(days=1)


def shipment_queries(queries) -> list[str]:
    return [query["sql"] for query in queries if "shipments_shipment" in query["sql"]]


def test_a_reload_reads_the_figures_from_the_cache(seller_client, seller_user):
    store = store_ready(seller=seller_user.seller, score="99.00")
    create_shipment(store, at=timezone.now() - DAY)

    with CaptureQueriesContext(connection) as first:
        html = seller_client.get(DASHBOARD).content.decode()
    assert 'id="stat-volume">1</div>' in html
    create_shipment(store, at=timezone.now() - DAY / 2)
    with CaptureQueriesContext(connection) as second:
        html = seller_client.get(DASHBOARD).content.decode()

    # The figures as they were read a moment ago: no shipment is counted again.
    assert 'id="stat-volume">1</div>' in html
    assert 'id="stat-score">99.00</div>' in html
    assert len(shipment_queries(first.captured_queries)) == 3
    assert shipment_queries(second.captured_queries) == []
    # The user with its seller (one query); the session comes from the cache too.
    # The user with the seller, and whether an owner who logged in without a TOTP code has
    # set it up since (the two-factor nudge; none for members, or after a login with a code).
    assert len(second.captured_queries) == 2
    assert len(second.captured_queries) < len(first.captured_queries) - 4


def test_the_page_says_when_the_figures_were_read(seller_client, seller_user):
    store_ready(seller=seller_user.seller)
    before = timezone.localtime()

    html = seller_client.get(DASHBOARD).content.decode()

    after = timezone.localtime()  # Asia/Shanghai, as the page shows it
    as_of = re.search(r'id="stats-as-of">([^<]*)</p>', html).group(1)
    assert re.search(r"\b\d\d:\d\d\b", as_of).group() in {f"{before:%H:%M}", f"{after:%H:%M}"}


def test_the_figures_are_read_again_once_the_cache_forgets_them(seller_user):
    store = store_ready(seller=seller_user.seller)
    create_shipment(store, at=timezone.now() - DAY)
    assert shipment_stats_cached(seller=seller_user.seller).volume == 1
    create_shipment(store, at=timezone.now() - DAY / 2)
    assert shipment_stats_cached(seller=seller_user.seller).volume == 1

    cache.delete(shipment_stats_cache_key(seller_user.seller))  # as time running out would

    stats = shipment_stats_cached(seller=seller_user.seller)
    assert stats.volume == 2
    assert STATS_CACHE_SECONDS == 60


def test_each_seller_has_its_own_figures(seller_user, other_seller_user):
    create_shipment(store_ready(seller=seller_user.seller), at=timezone.now() - DAY)

    assert shipment_stats_cached(seller=seller_user.seller).volume == 1
    assert shipment_stats_cached(seller=other_seller_user.seller).volume == 0


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
)
def test_without_redis_the_figures_are_read_afresh(seller_user):
    store = store_ready(seller=seller_user.seller)
    create_shipment(store, at=timezone.now() - DAY)

    assert shipment_stats_cached(seller=seller_user.seller).volume == 1
    create_shipment(store, at=timezone.now() - DAY / 2)
    assert shipment_stats_cached(seller=seller_user.seller).volume == 2
