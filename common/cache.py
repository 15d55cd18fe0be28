"""The cache keeps only what may be lost (rate-limit and throttle counters), so a
Redis outage must not fail a user's request: this backend answers as an empty
cache while Redis is unreachable, logs it, and uses Redis again once it is back
(issue #13: Redis stopped for a minute → 0 failed requests)."""

from __future__ import annotations

import functools
import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _fail_open(fallback):
    """Run the cache operation; while Redis is unreachable give `fallback(*args)`."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                logger.warning("Cache unreachable (%s): %s answers as an empty cache.", error, method.__name__)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _missing_key(*args, **kwargs):
    raise ValueError("Key not found (the cache is unreachable).")


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, failing open: reads miss, writes are dropped, `incr`
    raises ValueError as for a missing key (callers already handle that)."""

    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        # A Redis that does not answer must not hold a request for long.
        options.setdefault("socket_connect_timeout", 1)
        options.setdefault("socket_timeout", 1)
        super().__init__(server, params)

    @_fail_open(lambda key, value, timeout=DEFAULT_TIMEOUT, version=None: True)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_fail_open(lambda key, default=None, version=None: default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_fail_open(lambda *args, **kwargs: None)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_fail_open(lambda *args, **kwargs: False)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_fail_open(lambda *args, **kwargs: False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_fail_open(lambda *args, **kwargs: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_fail_open(lambda *args, **kwargs: False)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_fail_open(_missing_key)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_fail_open(lambda data, *args, **kwargs: list(data))
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_fail_open(lambda *args, **kwargs: None)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_fail_open(lambda *args, **kwargs: False)
    def clear(self):
        return super().clear()
