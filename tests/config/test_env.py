"""Configuration comes from the environment, read in one place, and a malformed value stops
start-up with a sentence naming the variable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    database_from_url,
    env_bool,
    env_database,
    env_int,
    env_list,
    env_redis_url,
    env_required,
    env_str,
)

ROOT = Path(__file__).resolve().parents[2]


def test_postgres_url_becomes_django_database_settings() -> None:
    settings = database_from_url(
        "DATABASE_URL", "postgres://app:s%40cret@db.local:6543/lanza?sslmode=require"
    )
    assert settings["ENGINE"] == "legalaid.db.postgresql"
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
        "FIELD_ENCRYPTION_KEYS": "k1:" + "A" * 43,
        "BLIND_INDEX_KEY": "B" * 43,
        "AUDIT_CHAIN_KEY": "C" * 43,
    }
    result = _manage(env, "load_demo_data")
    assert result.returncode == 1
    assert "never loaded with these settings" in result.stderr
    assert not (ROOT / "var" / "never-created.sqlite3").exists()


# --- Secrets in files: NAME_FILE names a file holding the value of NAME (Docker secrets).


def test_a_variable_is_read_from_the_file_named_by_its_file_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = tmp_path / "secret_key"
    secret.write_text("s3cret-from-a-file\n", encoding="utf-8")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))

    assert env_str("SECRET_KEY") == "s3cret-from-a-file"
    assert env_required("SECRET_KEY") == "s3cret-from-a-file"


@pytest.mark.parametrize("content", ["value", "value\n", "value\r\n", "value\n\n"])
def test_the_files_trailing_newline_is_not_part_of_the_value(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, content: str
) -> None:
    (tmp_path / "f").write_bytes(content.encode())
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "f"))
    assert env_str("SECRET_KEY") == "value"


def test_the_variable_itself_wins_over_its_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "never-read"))
    assert env_str("SECRET_KEY") == "from-the-environment"


def test_without_the_variable_or_its_file_the_default_applies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("API_PAGE_SIZE", raising=False)
    monkeypatch.delenv("API_PAGE_SIZE_FILE", raising=False)
    assert env_int("API_PAGE_SIZE", 50, minimum=1) == 50
    assert env_str("API_PAGE_SIZE") is None


def test_every_kind_of_variable_may_come_from_a_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    values = {
        "DEBUG": "yes\n",
        "API_PAGE_SIZE": "25\n",
        "ALLOWED_HOSTS": "a.example,b.example\n",
        "DATABASE_URL": "postgres://app:pw@db.local:5432/lanza\n",
        "REDIS_URL": "redis://redis.local:6379/3\n",
    }
    for name, value in values.items():
        (tmp_path / name).write_text(value, encoding="utf-8")
        monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv(f"{name}_FILE", str(tmp_path / name))

    assert env_bool("DEBUG") is True
    assert env_int("API_PAGE_SIZE", 50, minimum=1) == 25
    assert env_list("ALLOWED_HOSTS", []) == ["a.example", "b.example"]
    assert env_database("DATABASE_URL", tmp_path / "unused.sqlite3")["HOST"] == "db.local"
    assert env_redis_url("REDIS_URL") == "redis://redis.local:6379/3"


def test_a_malformed_value_in_a_file_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "debug").write_text("maybe\n", encoding="utf-8")
    monkeypatch.delenv("DEBUG", raising=False)
    monkeypatch.setenv("DEBUG_FILE", str(tmp_path / "debug"))
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false"):
        env_bool("DEBUG")


@pytest.mark.parametrize(
    ("make_path", "fragment"),
    [
        (lambda tmp: tmp / "missing", "names a file that cannot be read"),
        (lambda tmp: tmp, "names a file that cannot be read"),  # a directory
    ],
    ids=["missing", "directory"],
)
def test_a_file_that_cannot_be_read_stops_start_up_naming_the_file_variable(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    make_path: Callable[[Path], Path],
    fragment: str,
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", str(make_path(tmp_path)))
    with pytest.raises(ImproperlyConfigured) as error:
        env_required("SECRET_KEY")
    assert str(error.value).startswith("The environment variable SECRET_KEY_FILE ")
    assert fragment in str(error.value)


def test_an_empty_file_variable_or_a_file_not_in_utf8_is_refused_without_echoing_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", " ")
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FILE is empty"):
        env_str("SECRET_KEY")

    (tmp_path / "binary").write_bytes(b"\xffs3cret\xfe")
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "binary"))
    with pytest.raises(
        ImproperlyConfigured, match="SECRET_KEY_FILE names a file that is not UTF"
    ) as error:
        env_str("SECRET_KEY")
    assert "s3cret" not in str(error.value)


def test_an_empty_file_is_an_empty_value(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "empty").write_text("\n", encoding="utf-8")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "empty"))
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is required"):
        env_required("SECRET_KEY")


# --- The database password apart from the URL (the database server reads the same secret file).


def test_the_database_password_may_come_apart_from_the_url(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "db_password").write_text("p@ss word\n", encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL", "postgres://lanzarote@db:5432/lanzarote")
    monkeypatch.delenv("DATABASE_PASSWORD", raising=False)
    monkeypatch.setenv("DATABASE_PASSWORD_FILE", str(tmp_path / "db_password"))

    database = env_database("DATABASE_URL", tmp_path / "unused.sqlite3")

    assert (database["USER"], database["PASSWORD"]) == ("lanzarote", "p@ss word")


def test_a_database_password_given_twice_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://lanzarote:one@db:5432/lanzarote")
    monkeypatch.setenv("DATABASE_PASSWORD", "two")
    with pytest.raises(ImproperlyConfigured) as error:
        env_database("DATABASE_URL", Path("unused.sqlite3"))
    assert "DATABASE_URL and DATABASE_PASSWORD both give the database password" in str(error.value)
    assert "one" not in str(error.value) and "two" not in str(error.value)


def test_a_database_password_for_sqlite_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:///db.sqlite3")
    monkeypatch.setenv("DATABASE_PASSWORD", "pw")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_PASSWORD is for PostgreSQL"):
        env_database("DATABASE_URL", Path("unused.sqlite3"))


def test_production_start_up_with_a_missing_secret_file_exits_with_one_sentence(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "secret_key"
    result = _manage(
        {"DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY_FILE": str(missing)},
        "check",
    )
    assert result.returncode == 2
    assert result.stderr == (
        "Configuration error: The environment variable SECRET_KEY_FILE names a file that cannot "
        f"be read ({missing}: No such file or directory).\n"
    )


def test_the_production_settings_take_their_secrets_from_files(tmp_path: Path) -> None:
    """As in the production stack: every secret in a file, none in the environment."""
    secrets = {
        "SECRET_KEY": "k" * 60,
        "DATABASE_PASSWORD": "db-password",
        "FIELD_ENCRYPTION_KEYS": "k1:" + "A" * 43,
        "BLIND_INDEX_KEY": "B" * 43,
        "AUDIT_CHAIN_KEY": "C" * 43,
    }
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": "postgres://lanzarote@db:5432/lanzarote",
        "REDIS_URL": "redis://redis:6379/0",
    }
    for name, value in secrets.items():
        (tmp_path / name.lower()).write_text(value + "\n", encoding="utf-8")
        env[f"{name}_FILE"] = str(tmp_path / name.lower())
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SECRET_KEY, s.DATABASES['default']['PASSWORD']]))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {*secrets, "DATABASE_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env={**clean, **env},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout) == [secrets["SECRET_KEY"], secrets["DATABASE_PASSWORD"]]
