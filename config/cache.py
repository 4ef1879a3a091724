"""The default cache with REDIS_URL: Redis, and while Redis cannot be reached, the process's memory.

The cache holds counters only — the API's throttles and allauth's failed sign-ins — and nothing
that must survive (sessions live in the database). When Redis refuses or times out, the request
goes on: the call is answered from this process's own memory instead, and for the next
`RETRY_AFTER_SECONDS` every call goes there directly (no request pays a connection attempt per
call while Redis is down). The limits then hold per process instead of across processes, until
Redis answers again; a warning says so, once per outage and process. A Redis error that is not a
connection failure (a bad command) is not hidden."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10.0
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
T = TypeVar("T")

# Per process (Django makes a cache object per thread): until when each Redis is taken as down.
_down_until: dict[str, float] = {}
_lock = threading.Lock()


class RedisCacheWithFallback(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._server = server
        # One memory per process and server (LocMemCache shares its store by name across threads),
        # with the same key prefix, version and default timeout as the Redis cache.
        memory = {**params, "OPTIONS": {"MAX_ENTRIES": 10_000}}
        self._fallback = LocMemCache(f"redis-fallback:{server}", memory)

    def _either(self, redis_call: Callable[[], T], memory_call: Callable[[], T]) -> T:
        if time.monotonic() < _down_until.get(self._server, 0.0):
            return memory_call()
        try:
            return redis_call()
        except UNREACHABLE as error:
            with _lock:
                was_up = time.monotonic() >= _down_until.get(self._server, 0.0)
                _down_until[self._server] = time.monotonic() + RETRY_AFTER_SECONDS
            if was_up:
                logger.warning(
                    "Redis unreachable (%s): the cache counts in this process's memory; "
                    "rate limits hold per process until it answers again",
                    type(error).__name__,
                )
            return memory_call()

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._either(
            lambda: super(RedisCacheWithFallback, self).add(key, value, timeout, version),
            lambda: self._fallback.add(key, value, timeout, version),
        )

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._either(
            lambda: super(RedisCacheWithFallback, self).get(key, default, version),
            lambda: self._fallback.get(key, default, version),
        )

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._either(
            lambda: super(RedisCacheWithFallback, self).set(key, value, timeout, version),
            lambda: self._fallback.set(key, value, timeout, version),
        )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._either(
            lambda: super(RedisCacheWithFallback, self).touch(key, timeout, version),
            lambda: self._fallback.touch(key, timeout, version),
        )

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._either(
            lambda: super(RedisCacheWithFallback, self).delete(key, version),
            lambda: self._fallback.delete(key, version),
        )

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._either(
            lambda: super(RedisCacheWithFallback, self).get_many(keys, version),
            lambda: self._fallback.get_many(keys, version),
        )

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._either(
            lambda: super(RedisCacheWithFallback, self).has_key(key, version),
            lambda: self._fallback.has_key(key, version),
        )

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._either(
            lambda: super(RedisCacheWithFallback, self).incr(key, delta, version),
            lambda: self._fallback.incr(key, delta, version),
        )

    def set_many(
        self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        return self._either(
            lambda: super(RedisCacheWithFallback, self).set_many(data, timeout, version),
            lambda: self._fallback.set_many(data, timeout, version),
        )

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._either(
            lambda: super(RedisCacheWithFallback, self).delete_many(keys, version),
            lambda: self._fallback.delete_many(keys, version),
        )

    def clear(self) -> None:
        self._fallback.clear()
        self._either(lambda: super(RedisCacheWithFallback, self).clear(), lambda: None)
