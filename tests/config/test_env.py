"""Configuration comes from the environment, read in one place, and a malformed value stops
start-up with a sentence naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import database_from_url, env_bool, env_database, env_int, env_redis_url

ROOT = Path(__file__).resolve().parents[2]


def test_postgres_url_becomes_django_database_settings() -> None:
    settings = database_from_url(
        "DATABASE_URL", "postgres://app:s%40cret@db.local:6543/lanza?sslmode=require"
    )
    assert settings["ENGINE"] == "django.db.backends.postgresql"
    assert (settings["NAME"], settings["USER"], settings["PASSWORD"]) == ("lanza", "app", "s@cret")
    assert (settings["HOST"], settings["PORT"]) == ("db.local", "6543")
    assert settings["OPTIONS"] == {"sslmode": "require"}


def test_sqlite_url_gives_a_relative_or_absolute_file() -> None:
    assert database_from_url("DATABASE_URL", "sqlite:///db.sqlite3")["NAME"] == "db.sqlite3"
    assert database_from_url("DATABASE_URL", "sqlite:////tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"


def test_sqlite_transactions_take_the_write_lock_at_once_so_parallel_writers_wait_not_fail(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Deferred transactions (SQLite's default) that both read, then write, end with one of them
    failing ("database is locked"); BEGIN IMMEDIATE makes the second wait for the first."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    embedded = env_database("DATABASE_URL", tmp_path / "db.sqlite3")
    from_url = database_from_url("DATABASE_URL", "sqlite:///db.sqlite3")
    for settings in (embedded, from_url):
        assert settings["OPTIONS"] == {"transaction_mode": "IMMEDIATE"}


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("mysql://root@localhost/db", "must start with postgres:// or sqlite:///"),
        ("postgres://localhost", "must name a host and a database"),
        ("postgres://h:notaport/db", "port that is not a number"),
    ],
)
def test_malformed_database_url_is_refused_naming_the_variable(url: str, fragment: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL") as error:
        database_from_url("DATABASE_URL", url)
    assert fragment in str(error.value)


def test_malformed_redis_url_is_refused_without_echoing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "http://user:secret@host")
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL") as error:
        env_redis_url("REDIS_URL")
    assert "secret" not in str(error.value)


def test_booleans_and_numbers_are_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBUG", "yes")
    assert env_bool("DEBUG") is True
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false"):
        env_bool("DEBUG")
    monkeypatch.setenv("API_PAGE_SIZE", "-3")
    with pytest.raises(ImproperlyConfigured, match="API_PAGE_SIZE must be at least 1"):
        env_int("API_PAGE_SIZE", 50, minimum=1)


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.local", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_start_up_with_a_malformed_variable_exits_with_one_sentence() -> None:
    result = _manage({"DATABASE_URL": "mysql://root@localhost/db"}, "check")
    assert result.returncode == 2
    assert result.stderr.startswith("Configuration error: The environment variable DATABASE_URL")
    assert "Traceback" not in result.stderr


def test_production_settings_require_secret_key_database_and_redis() -> None:
    result = _manage({"DJANGO_SETTINGS_MODULE": "config.settings.production"}, "check")
    assert result.returncode == 2
    assert "SECRET_KEY is required" in result.stderr


def test_production_settings_refuse_demo_data() -> None:
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": "sqlite:///var/never-created.sqlite3",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = _manage(env, "load_demo_data")
    assert result.returncode == 1
    assert "never loaded with these settings" in result.stderr
    assert not (ROOT / "var" / "never-created.sqlite3").exists()
