"""A Redis cache that behaves like a cache when Redis is unreachable: misses, not errors."""

import logging
from functools import wraps

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _tolerant(default_result):
    def decorate(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNAVAILABLE as error:
                logger.warning("cache unavailable (%s): %s", method.__name__, error)
                if callable(default_result):
                    return default_result(*args, **kwargs)
                return default_result

        return wrapper

    return decorate


def _missing_key(key, *args, **kwargs):
    # Django's contract for incr/decr on a missing key; rate limits then fail open.
    raise ValueError(f"Key '{key}' not found (cache unavailable)")


class ReusedRedisCacheClient(RedisCacheClient):
    """Django's client builds a `redis.Redis` object for every cache call (it copies some 200
    response callbacks each time: a good share of a small request's CPU). A Redis object is
    thread-safe and takes a connection from its pool per command, so one per pool is kept."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class ResilientRedisCache(RedisCache):
    """Django's RedisCache; while Redis is down, reads miss and writes are dropped.

    `add` then answers True ("stored"), failing open: a once-only claim made with it goes
    ahead, so such claims keep a database guard (submit_question checks for the same pending
    question), and rate limits let requests through (RATELIMIT_FAIL_OPEN) instead of refusing
    every citizen.
    """

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient

    get = _tolerant(lambda key, default=None, *a, **k: default)(RedisCache.get)
    get_many = _tolerant({})(RedisCache.get_many)
    has_key = _tolerant(False)(RedisCache.has_key)
    set = _tolerant(None)(RedisCache.set)
    add = _tolerant(True)(RedisCache.add)
    touch = _tolerant(False)(RedisCache.touch)
    set_many = _tolerant(lambda data, *a, **k: list(data))(RedisCache.set_many)
    delete = _tolerant(False)(RedisCache.delete)
    delete_many = _tolerant(None)(RedisCache.delete_many)
    incr = _tolerant(_missing_key)(RedisCache.incr)
    clear = _tolerant(False)(RedisCache.clear)
