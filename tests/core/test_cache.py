"""The cache backend keeps one Redis client per connection pool, and is Django's Redis
cache in every other way."""

import threading

from django.core.cache import cache, caches

from core.cache import RedisCache


def test_the_cache_is_the_portals_redis_cache():
    assert isinstance(caches["default"], RedisCache)


def test_one_client_serves_every_call():
    first = cache._cache.get_client("a")
    second = cache._cache.get_client("b", write=True)

    assert first is second
    assert first.connection_pool is cache._cache._get_connection_pool(write=False)


def test_values_round_trip_and_expire_as_with_djangos_backend():
    cache.set("core-cache-test", {"fen": 3215}, 30)
    assert cache.get("core-cache-test") == {"fen": 3215}
    assert cache.add("core-cache-test", "other") is False
    cache.delete("core-cache-counter")
    assert cache.add("core-cache-counter", 0) is True
    assert cache.incr("core-cache-counter", 2) == 2
    cache.delete_many(["core-cache-test", "core-cache-counter"])
    assert cache.get("core-cache-test") is None
    assert cache.get("core-cache-counter") is None


def test_threads_can_share_one_client():
    """Django gives each thread its own cache object; even so, one shared client stays
    correct across threads, as each command borrows a connection from the pool."""
    shared = cache._cache
    errors = []

    def work(n):
        try:
            for i in range(50):
                shared.set(f"core-cache-thread-{n}-{i}", i, 30)
                assert shared.get(f"core-cache-thread-{n}-{i}", None) == i
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len({id(shared.get_client()) for _ in range(3)}) == 1
    shared.delete_many([f"core-cache-thread-{n}-{i}" for n in range(4) for i in range(50)])
