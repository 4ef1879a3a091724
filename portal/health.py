"""Readiness (/readyz): can this web process reach what it needs to serve? The database, and the
broker when it is Redis (with the embedded default tasks run inline: no broker to reach). Each
check waits at most a few seconds; the answer names the failed checks, nothing else."""

from __future__ import annotations

import logging

import redis
from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

DATABASE_ALIAS = "default"


def database_reachable() -> bool:
    try:
        with connections[DATABASE_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Readiness: the database cannot be reached (%s)", type(error).__name__)
        return False
    return True


def broker_reachable() -> bool:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return True
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        logger.warning("Readiness: the broker cannot be reached (%s)", type(error).__name__)
        return False
    finally:
        client.close()
    return True


def readiness_failures() -> list[str]:
    """The names of the checks that fail ("database", "broker"), in that order."""
    checks = {"database": database_reachable, "broker": broker_reachable}
    return [name for name, reachable in checks.items() if not reachable()]
