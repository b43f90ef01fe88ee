"""Per-key rate limits: a fixed one-minute window counted in Redis (one INCR and one
EXPIRE, pipelined), ``API_RATE_LIMIT_PER_MINUTE`` requests per key. Over it: 429 with
``Retry-After`` (the seconds left in the window). Redis down: nothing is limited (the API
still answers)."""

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from .authentication import Principal

WINDOW = 60


class ApiKeyRateThrottle(BaseThrottle):
    def __init__(self) -> None:
        self.retry_after: int | None = None

    def allow_request(self, request: Request, view: Any) -> bool:
        principal = request.auth
        if not isinstance(principal, Principal):
            return True  # refused by the permission anyway
        limit = settings.API_RATE_LIMIT_PER_MINUTE
        now = time.time()
        window = int(now // WINDOW)
        key = cache.make_and_validate_key(f"api:rate:{principal.key.pk}:{window}")
        try:
            client = cache._cache.get_client(key, write=True)  # type: ignore[attr-defined]
            pipe = client.pipeline(transaction=False)
            pipe.incr(key)
            pipe.expire(key, WINDOW + 5)
            count = pipe.execute()[0]
        except RedisError:
            return True
        if count > limit:
            self.retry_after = max(1, int((window + 1) * WINDOW - now) + 1)
            return False
        return True

    def wait(self) -> float | None:
        return self.retry_after
