"""Customs data every order reads (the rules in force, the FX table, the generic terms) held
in memory per day, as pricing holds its cards (``pricing.rates``): a creation then reads
only the seller's own registrations. Reloaded at once in this process when any of these rows
is written (``customs.signals``), and in other processes (web workers, Celery) within
``CHECK_INTERVAL_S``, through a version token in Django's cache (Redis)."""

import datetime
import logging
import threading
import time
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.cache import cache

logger = logging.getLogger(__name__)

VERSION_KEY = "customs:data-version"
CHECK_INTERVAL_S = 1.0

Entry = tuple[tuple[Any, ...], dict[str, Decimal], frozenset[str]]


class _Holder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_day: dict[datetime.date, Entry] = {}
        self.version: str | None = None
        self.checked_at = 0.0


_holder = _Holder()


def _shared_version() -> str | None:
    try:
        version: str | None = cache.get(VERSION_KEY)
        return version
    except Exception:
        logger.warning("customs cache version unavailable", exc_info=True)
        return _holder.version


def customs_day(on: datetime.date, load: Callable[[datetime.date], Entry]) -> Entry:
    """The day's (rules, rates, terms), loaded by ``load`` when not held or stale."""
    holder = _holder
    now = time.monotonic()
    if now - holder.checked_at >= CHECK_INTERVAL_S:
        version = _shared_version()
        with holder.lock:
            if version != holder.version:
                holder.by_day = {}
                holder.version = version
            holder.checked_at = now
    entry = holder.by_day.get(on)
    if entry is None:
        entry = load(on)
        with holder.lock:
            if len(holder.by_day) > 8:  # a few days at most: today, a file's date, tests
                holder.by_day = {}
            holder.by_day[on] = entry
    return entry


def customs_cache_clear_local() -> None:
    with _holder.lock:
        _holder.by_day = {}
        _holder.version = None
        _holder.checked_at = 0.0


def customs_cache_invalidate() -> None:
    customs_cache_clear_local()
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.warning("customs cache version not published", exc_info=True)
