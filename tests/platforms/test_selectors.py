import datetime

import pytest

from platforms.selectors import store_metrics_latest, store_metrics_latest_for_many

from .factories import StoreMetricsSnapshotFactory

pytestmark = pytest.mark.django_db

AUG = [datetime.date(2024, 8, day) for day in range(1, 32)]


def test_latest_is_the_snapshot_with_the_latest_date(django_assert_num_queries):
    StoreMetricsSnapshotFactory(store_id="A1", as_of=AUG[3])
    newest = StoreMetricsSnapshotFactory(store_id="A1", as_of=AUG[9])
    StoreMetricsSnapshotFactory(store_id="A1", as_of=AUG[0])
    StoreMetricsSnapshotFactory(platform="lazada", store_id="A1", as_of=AUG[20])

    with django_assert_num_queries(1):
        assert store_metrics_latest(platform="aliexpress", store_id="A1") == newest


def test_latest_of_a_store_without_snapshots_is_none():
    StoreMetricsSnapshotFactory(store_id="A1")

    assert store_metrics_latest(platform="aliexpress", store_id="B2") is None
    assert store_metrics_latest(platform="temu", store_id="A1") is None


def test_latest_for_many_stores_in_one_query(django_assert_num_queries):
    expected = set()
    for n in range(30):
        for day in (2, 5, 3):
            StoreMetricsSnapshotFactory(store_id=f"S{n}", as_of=AUG[day])
        expected.add(("aliexpress", f"S{n}"))
    lazada = StoreMetricsSnapshotFactory(platform="lazada", store_id="S0", as_of=AUG[0])
    StoreMetricsSnapshotFactory(
        platform="lazada", store_id="S0", as_of=AUG[1] - datetime.timedelta(days=30)
    )
    StoreMetricsSnapshotFactory(platform="temu", store_id="NOT-ASKED")
    pairs = [*expected, ("lazada", "S0"), ("temu", "S0"), ("tiktok", "UNKNOWN")]

    with django_assert_num_queries(1):
        latest = store_metrics_latest_for_many(pairs)

    assert set(latest) == {*expected, ("lazada", "S0")}
    assert all(
        snapshot.as_of == AUG[5] for key, snapshot in latest.items() if key[0] == "aliexpress"
    )
    assert latest[("lazada", "S0")] == lazada


def test_latest_for_no_stores_asks_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert store_metrics_latest_for_many([]) == {}
