"""Reads of notifications: the seller's list and its unread count (kept in the cache, so
that the navigation of every page costs no query)."""

import contextlib
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from redis.exceptions import RedisError

from .models import Notification
from .services import unread_cache_key

UNREAD_CACHE_SECONDS = 300


def notifications_for_seller(*, seller: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(seller=seller).order_by("-created_at", "-id")


def notification_get_for_seller(*, seller: Any, pk: int) -> Notification | None:
    return notifications_for_seller(seller=seller).filter(pk=pk).first()


def unread_count(*, seller_id: int) -> int:
    """The seller's unread notifications: from the cache, else one count (index
    ``notification_seller_unread``), kept for ``UNREAD_CACHE_SECONDS``; every write that
    changes it forgets the cached number."""
    key = unread_cache_key(seller_id)
    try:
        cached = cache.get(key)
    except RedisError:  # without the cache, count
        cached = None
    if cached is not None:
        return int(cached)
    count = Notification.objects.filter(seller_id=seller_id, read_at__isnull=True).count()
    with contextlib.suppress(RedisError):  # the count is right without the cache
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count
