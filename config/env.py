"""Every environment variable the product reads, read here and nowhere else.

A malformed value stops start-up with a sentence that names the variable; an absent one falls
back to the embedded default (SQLite file, tasks run inline). `.env.example` documents each.

Any variable may instead be given in a file (a Docker or Kubernetes secret): when `NAME` is not
set and `NAME_FILE` is, the value is that file's content, without its trailing newline. `NAME`
itself wins when both are set. A file that is missing or unreadable stops start-up with a
sentence naming `NAME_FILE`; the file's content is never repeated in a message.
"""

from __future__ import annotations

import os
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _environ(name: str) -> str | None:
    """The raw value of `name`: the variable itself, else the content of the file `NAME_FILE`
    names (without its trailing newline), else None."""
    value = os.environ.get(name)
    if value is not None:
        return value
    path = os.environ.get(f"{name}_FILE")
    if path is None:
        return None
    if not path.strip():
        raise ImproperlyConfigured(f"The environment variable {name}_FILE is empty: name a file.")
    try:
        content = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ImproperlyConfigured(
            f"The environment variable {name}_FILE names a file that cannot be read "
            f"({path}: {reason})."
        ) from None
    except UnicodeDecodeError:
        raise ImproperlyConfigured(
            f"The environment variable {name}_FILE names a file that is not UTF-8 text ({path})."
        ) from None
    return content.rstrip("\r\n")


def env_str(name: str, default: str | None = None) -> str | None:
    value = _environ(name)
    return default if value is None else value.strip()


def env_required(name: str) -> str:
    value = env_str(name)
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} is required in this setting.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = _environ(name)
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
    value = _environ(name)
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
    value = _environ(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: list[str]) -> str:
    value = env_str(name) or default
    if value not in choices:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be one of: {', '.join(choices)}."
        )
    return value


def env_networks(name: str, default: list[str]) -> list[IPv4Network | IPv6Network]:
    """Comma-separated networks (CIDR: 10.0.0.0/8, ::1/128; an address alone is its own network)."""
    networks = []
    for item in env_list(name, default):
        try:
            networks.append(ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"The environment variable {name} must list networks like 10.0.0.0/8 "
                f"(separated by commas); {item!r} is not one."
            ) from None
    return networks


def _sqlite(path: str) -> dict[str, Any]:
    # BEGIN IMMEDIATE: a transaction takes SQLite's write lock when it starts, so writers queue
    # (for up to the 5-second timeout) instead of one failing with "database is locked" when two
    # that have read try to write; this is what serialises same-person intakes on SQLite.
    return {
        "ENGINE": "legalaid.db.sqlite3",
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
            "ENGINE": "legalaid.db.postgresql",
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
    """The database `name` (DATABASE_URL) gives. Its password may be kept apart, in
    DATABASE_PASSWORD (or the secret file DATABASE_PASSWORD_FILE) for a URL that has none: the
    database server and the application then read the same secret file."""
    url = env_str(name)
    if not url:
        return _sqlite(str(default_sqlite))
    database = database_from_url(name, url)
    password_name = f"{name.removesuffix('_URL')}_PASSWORD"
    password = env_str(password_name)
    if password:
        if database["ENGINE"] != "legalaid.db.postgresql":
            raise ImproperlyConfigured(
                f"The environment variable {password_name} is for PostgreSQL, but {name} "
                f"names SQLite."
            )
        if database["PASSWORD"]:
            raise ImproperlyConfigured(
                f"The environment variables {name} and {password_name} both give the database "
                f"password: give it once."
            )
        database["PASSWORD"] = password
    return database


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
