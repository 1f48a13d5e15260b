"""The shared cache on a real Redis: one client object per connection pool, not one per call."""

import uuid

from portal.cache import ResilientRedisCache
from tests.redis_server import redis_url  # noqa: F401 - the configured Redis, or one of its own


def test_the_redis_client_is_built_once_and_the_cache_still_works(redis_url):  # noqa: F811
    cache = ResilientRedisCache(redis_url, {"KEY_PREFIX": "hlm-test-cache"})
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    key = f"key-{uuid.uuid4().hex}"
    assert cache.add(key, 1, 30) is True
    assert cache.add(key, 2, 30) is False
    assert cache.incr(key) == 2
    assert cache.get(key) == 2
    cache.delete(key)
    assert cache.get(key) is None
