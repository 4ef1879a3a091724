"""Redis down, for real: the Celery app and the cache pointed at a local port nothing listens on
(connection refused), configured as in production (config/settings/base.py) otherwise."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.test import override_settings

from config.celery import app


def closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _forget_broker_connections() -> None:
    # Celery keeps its connection and producer pools for the broker it first connected to; they
    # are dropped, not closed: kombu keeps one pool per broker for the process, and hands the same
    # one back when the app asks again for its own broker.
    app._pool = None  # type: ignore[attr-defined]
    app.amqp._producer_pool = None  # type: ignore[attr-defined]


@contextmanager
def redis_down() -> Iterator[str]:
    """Tasks are sent to the broker (not run inline) and the cache is the Redis cache with its
    fallback, both at a refused address, until the block ends."""
    url = f"redis://127.0.0.1:{closed_port()}/0"
    caches = {
        "default": {
            "BACKEND": "config.cache.RedisCacheWithFallback",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    conf: Any = app.conf  # the stubs make broker_url read-only; the app's settings are not
    saved = (conf.broker_url, conf.task_always_eager)
    conf.broker_url = url
    conf.task_always_eager = False
    _forget_broker_connections()
    try:
        with override_settings(CACHES=caches):
            yield url
    finally:
        conf.broker_url, conf.task_always_eager = saved
        _forget_broker_connections()
