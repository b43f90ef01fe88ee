"""Reads of platform data."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils import timezone

from core.prepared import PreparedQuery
from core.timezones import shanghai_date

from .models import METRICS_STALE_AFTER_DAYS, StoreMetricsSnapshot


def metrics_age_days(
    *, as_of: datetime.date, at: datetime.date | datetime.datetime | None = None
) -> int:
    """How many days old figures dated ``as_of`` are on ``at`` (now), in Asia/Shanghai."""
    return (shanghai_date(at or timezone.now()) - as_of).days


def metrics_are_stale(
    *, as_of: datetime.date, at: datetime.date | datetime.datetime | None = None
) -> bool:
    """Older than ``METRICS_STALE_AFTER_DAYS``: shown as stale, not taken silently."""
    return metrics_age_days(as_of=as_of, at=at) > METRICS_STALE_AFTER_DAYS


def store_metrics_latest(*, platform: str, store_id: str) -> StoreMetricsSnapshot | None:
    """The store's most recent snapshot (latest ``as_of``), or None if it has none."""
    return _LATEST.first(platform=platform, store_id=store_id)


# Read for every order through the gate: compiled once (``core.prepared``).
_LATEST: PreparedQuery[StoreMetricsSnapshot] = PreparedQuery(
    lambda platform, store_id: StoreMetricsSnapshot.objects.filter(
        platform=platform, store_id=store_id
    ).order_by("-as_of", "pk")[:1],
    platform=str,
    store_id=str,
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
