"""Reads of platform data."""

from collections import defaultdict
from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db.models import Q

from .models import StoreMetricsSnapshot


def store_metrics_latest(*, platform: str, store_id: str) -> StoreMetricsSnapshot | None:
    """The store's most recent snapshot (latest ``as_of``), or None if it has none."""
    return (
        StoreMetricsSnapshot.objects.filter(platform=platform, store_id=store_id)
        .order_by("-as_of")
        .first()
    )


def store_metrics_latest_for_many(
    pairs: Iterable[tuple[str, str]],
) -> dict[tuple[str, str], StoreMetricsSnapshot]:
    """The most recent snapshot of each (platform, store ID) in ``pairs``, in one query.

    Stores without any snapshot are absent from the result.
    """
    store_ids_by_platform: dict[str, set[str]] = defaultdict(set)
    for platform, store_id in pairs:
        store_ids_by_platform[platform].add(store_id)
    if not store_ids_by_platform:
        return {}
    wanted = reduce(
        or_,
        (
            Q(platform=platform, store_id__in=sorted(store_ids))
            for platform, store_ids in store_ids_by_platform.items()
        ),
    )
    latest = (
        StoreMetricsSnapshot.objects.filter(wanted)
        .order_by("platform", "store_id", "-as_of")
        .distinct("platform", "store_id")
    )
    return {(snapshot.platform, snapshot.store_id): snapshot for snapshot in latest}
