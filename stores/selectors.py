"""Reads of stores: which store a seller's orders ship for, and the platform's latest
report on it."""

import contextlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from redis.exceptions import RedisError

from core.prepared import PreparedQuery
from platforms.models import StoreMetricsSnapshot
from platforms.selectors import store_metrics_latest

from .models import SHIPPING_STATUSES, Store


def stores_for_seller(*, seller: Any) -> QuerySet[Store]:
    return Store.objects.filter(seller=seller).order_by("-opened_at", "-id")


def store_for_orders(*, seller: Any) -> Store | None:
    """The store a seller's orders ship for: the newest store in trial or active, else the
    newest store in any status (the order gate then says why it cannot ship), else None
    (no application approved yet)."""
    return _SHIPPING_STORE.first(seller_id=seller.pk) or _NEWEST_STORE.first(seller_id=seller.pk)


# Read for every order a seller places: compiled once (``core.prepared``).
_SHIPPING_STORE: PreparedQuery[Store] = PreparedQuery(
    lambda seller_id: Store.objects.filter(
        seller_id=seller_id, status__in=SHIPPING_STATUSES
    ).order_by("-opened_at", "-id")[:1],
    seller_id=int,
)
_NEWEST_STORE: PreparedQuery[Store] = PreparedQuery(
    lambda seller_id: Store.objects.filter(seller_id=seller_id).order_by("-opened_at", "-id")[:1],
    seller_id=int,
)


def store_get_for_seller(*, seller: Any, pk: Any) -> Store | None:
    """The seller's own store with this id, or None (another seller's store is not there)."""
    return stores_for_seller(seller=seller).filter(pk=pk).first()


def store_metrics(*, store: Store | None) -> StoreMetricsSnapshot | None:
    """The platform's latest metrics for the store (binding, score, complaints), or None."""
    if store is None:
        return None
    return store_metrics_latest(platform=store.platform, store_id=store.platform_store_id)


def fulfilment_score_for_seller(*, seller: Any) -> Decimal | None:
    """The seller's current fulfilment score (履约分) from the latest metrics of the store
    its orders ship for, or None when no metrics have arrived."""
    metrics = store_metrics(store=store_for_orders(seller=seller))
    return metrics.fulfilment_score if metrics is not None else None


# --- the binding nudge ------------------------------------------------------------------
# The dashboard says when a store waits for its platform to confirm the binding. It is
# read on every dashboard load, so it is kept in the cache and forgotten whenever a store
# of the seller opens, or the platform confirms one (``stores.services``).
BINDING_CACHE_SECONDS = 300


@dataclass(frozen=True, slots=True)
class WaitingStore:
    pk: int
    platform: str
    platform_label: str
    platform_store_id: str


def binding_cache_key(seller_id: int) -> str:
    return f"stores:awaiting-binding:{seller_id}"


def store_awaiting_binding(*, seller: Any) -> WaitingStore | None:
    """The seller's newest store in service still waiting for its platform to confirm the
    binding, or None; from the cache when it can (one query otherwise)."""
    key = binding_cache_key(seller.pk)
    try:
        cached = cache.get(key)
    except RedisError:
        cached = None
    if cached is not None:
        return cached or None
    store = (
        stores_for_seller(seller=seller)
        .filter(status__in=SHIPPING_STATUSES, bound_at__isnull=True)
        .first()
    )
    waiting = (
        WaitingStore(
            pk=store.pk,
            platform=store.platform,
            platform_label=str(store.get_platform_display()),
            platform_store_id=store.platform_store_id,
        )
        if store is not None
        else None
    )
    with contextlib.suppress(RedisError):
        cache.set(key, waiting or False, BINDING_CACHE_SECONDS)
    return waiting
