"""Every environment variable the product reads, read here and nowhere else.

A malformed value stops start-up with a sentence that names the variable; an absent one falls
back to the embedded default (SQLite file, tasks run inline). `.env.example` documents each.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None else value.strip()


def env_required(name: str) -> str:
    value = env_str(name)
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} is required in this setting.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"The environment variable {name} must be true or false (1/0, yes/no), not {value!r}."
    )


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a whole number, not {value!r}."
        ) from None
    if number < minimum:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be at least {minimum}, not {number}."
        )
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _sqlite(path: str) -> dict[str, Any]:
    # BEGIN IMMEDIATE: a transaction takes SQLite's write lock when it starts, so writers queue
    # (for up to the 5-second timeout) instead of one failing with "database is locked" when two
    # that have read try to write; this is what serialises same-person intakes on SQLite.
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {"transaction_mode": "IMMEDIATE"},
    }


def database_from_url(name: str, url: str) -> dict[str, Any]:
    """`postgres://user:pass@host:port/db?sslmode=…` or `sqlite:///path` in Django's form."""
    parts = urlsplit(url)
    if parts.scheme in {"postgres", "postgresql"}:
        database = unquote(parts.path.lstrip("/"))
        if not database or not parts.hostname:
            raise ImproperlyConfigured(
                f"The environment variable {name} must name a host and a database, "
                f"like postgres://user@127.0.0.1:5432/lanzarote."
            )
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(
                f"The environment variable {name} has a port that is not a number."
            ) from None
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": database,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname,
            "PORT": str(port or 5432),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    if parts.scheme == "sqlite":
        # sqlite:///relative/file or sqlite:////absolute/file
        path = unquote(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else ""
        if not path:
            raise ImproperlyConfigured(
                f"The environment variable {name} must give a file, like sqlite:///db.sqlite3."
            )
        return _sqlite(path)
    raise ImproperlyConfigured(
        f"The environment variable {name} must start with postgres:// or sqlite:///, "
        f"not {parts.scheme or 'nothing'}://."
    )


def env_database(name: str, default_sqlite: Path) -> dict[str, Any]:
    url = env_str(name)
    if not url:
        return _sqlite(str(default_sqlite))
    return database_from_url(name, url)


def env_redis_url(name: str) -> str | None:
    url = env_str(name)
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss"} or not parts.hostname:
        raise ImproperlyConfigured(
            f"The environment variable {name} must look like redis://127.0.0.1:6379/0."
        )
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name} has a port that is not a number."
        ) from None
    return url
