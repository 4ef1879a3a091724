"""The restore drill: demo data and a day of writes through the services (tests/operations/
drill.py), backed up, the database and the storage dropped, the set restored, and the result
compared with what was backed up — every table's row count, `audit_verify`'s chain head, a claim's
balances to the cent, a document's sha256 as the API downloads it. On the way, the refusals that
need a real set and a real empty database: a database or a storage that is not empty, and keys
under the right id that cannot decrypt (restored, then undone: the database is left empty).

The drill runs on a throwaway database of its own through the commands in subprocesses, as an
operator would: on SQLite (a file) in every `make test`, and on PostgreSQL (`pg_dump`,
`pg_restore`; a database created and dropped on DATABASE_URL's server) when DATABASE_URL is
PostgreSQL, marked `postgres`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings

from legalaid.crypto import decode_key
from tests.conftest import service_missing

ROOT = Path(__file__).resolve().parents[2]
# The development key's id with another secret: the manifest's key ids are all listed, yet the
# data does not decrypt.
WRONG_KEY_SAME_ID = "dev1:b3RoZXIta2V5LWZvci1sYW56YXJvdGUtdGVzdHMtMDE"
KEY_SETTINGS = ("FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "AUDIT_CHAIN_KEY")


@dataclass
class Target:
    """A throwaway database and its storage, and how to empty them."""

    vendor: str
    url: str
    media: Path
    drop: Any  # () -> None: the database dropped and created again, empty
    objects: Any  # () -> int: tables, indexes, functions… in it


def _sqlite_target(tmp: Path) -> Iterator[Target]:
    path = tmp / "drill.sqlite3"

    def drop() -> None:
        path.unlink(missing_ok=True)

    def objects() -> int:
        import sqlite3

        if not path.exists():
            return 0
        with sqlite3.connect(path) as db:
            return int(db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0])

    yield Target("sqlite", f"sqlite:///{path}", tmp / "media", drop, objects)


def _postgres_target(tmp: Path) -> Iterator[Target]:
    import psycopg

    database = settings.DATABASES["default"]
    name = f"drill_{uuid.uuid4().hex[:12]}"
    credentials = quote(database["USER"] or "postgres")
    if database["PASSWORD"]:
        credentials += ":" + quote(database["PASSWORD"])
    server = f"{credentials}@{database['HOST']}:{database['PORT']}"
    try:
        admin = psycopg.connect(f"postgresql://{server}/postgres", autocommit=True)
    except psycopg.OperationalError:
        service_missing("PostgreSQL at DATABASE_URL is unreachable")

    def drop() -> None:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')

    def objects() -> int:
        with psycopg.connect(f"postgresql://{server}/{name}") as db:
            row = db.execute(
                "SELECT (SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE n.nspname = 'public') + (SELECT COUNT(*) "
                "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = 'public')"
            ).fetchone()
            return int(row[0]) if row else 0

    drop()
    try:
        yield Target("postgresql", f"postgres://{server}/{name}", tmp / "media", drop, objects)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Target]:
    make = _postgres_target if request.param == "postgresql" else _sqlite_target
    yield from make(tmp_path)


def _environment(target: Target, backups: Path, **extra: str) -> dict[str, str]:
    inherited = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "MEDIA_ROOT"}
        and key not in KEY_SETTINGS
        and not key.startswith("PG")
    }
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "false",
        "DATABASE_URL": target.url,
        "MEDIA_ROOT": str(target.media),
        "BACKUP_ROOT": str(backups),
        "EMAIL_FILE_PATH": str(backups.parent / "mail"),
        "ALLOWED_HOSTS": "testserver",
        "LOG_LEVEL": "ERROR",
        **extra,
    }


def _run(env: dict[str, str], *arguments: str, refused: bool = False) -> str:
    finished = subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=180, check=False,
    )  # fmt: skip
    if refused:
        assert finished.returncode == 1, (finished.stdout, finished.stderr[-2000:])
        assert finished.stderr.startswith("CommandError: "), finished.stderr[-2000:]
        return finished.stderr.removeprefix("CommandError: ").strip()
    assert finished.returncode == 0, finished.stderr[-3000:]
    return finished.stdout


def _files(root: Path) -> dict[str, bytes]:
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_the_restore_drill_gives_back_every_row_the_chain_the_balances_and_the_documents(
    target: Target, tmp_path: Path
) -> None:
    started = time.monotonic()
    backups = tmp_path / "backups"
    env = _environment(target, backups)
    _run(env, "manage.py", "migrate", "--noinput", "-v0")
    _run(env, "manage.py", "load_demo_data")
    world = json.loads(_run(env, "-m", "tests.operations.drill", "write"))
    stored = _files(target.media)
    assert len(stored) == 2  # the letter and the statement of account

    # Two backups, the second by beat's task with BACKUP_KEEP=1: only the newest set is kept.
    _run(env, "manage.py", "backup")
    first = [path.name for path in backups.iterdir()]
    time.sleep(1.05 - time.time() % 1)  # sets are named by the second: the next one
    kept = _run(
        {**env, "BACKUP_KEEP": "1"},
        "-c",
        "import django; django.setup(); from operations.tasks import backup; print(backup())",
    ).strip()
    assert sorted(path.name for path in backups.iterdir()) == [kept] and first != [kept]
    backup_set = backups / kept
    manifest = json.loads((backup_set / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == target.vendor
    assert manifest["keys"]["in_data"]["dev1"] > 0 and manifest["parts"]["media"]["files"] == 2
    assert manifest["keys"]["in_files"] == {"dev1": 2}  # the documents' files, encrypted
    assert manifest["migrations"]["legalaid"][0] == "0001_initial"

    # The set holds no key: none of the three, in any form, in any of its files.
    secrets = [
        settings.FIELD_ENCRYPTION_KEYS.split(":", 1)[1],
        settings.BLIND_INDEX_KEY,
        settings.AUDIT_CHAIN_KEY,
    ]
    for part in backup_set.iterdir():
        content = part.read_bytes()
        for secret in secrets:
            assert secret.encode() not in content, part.name
            assert decode_key(secret, "key") not in content, part.name

    before = json.loads(_run(env, "-m", "tests.operations.drill", "measure", json.dumps(world)))
    assert before["download"] == {"status": 200, "sha256": world["document_sha256"]}
    assert before["chain"]["intact"] and before["chain"]["unsealed"] == 0

    # Restoring over the database it came from is refused, and changes nothing.
    objects, files = target.objects(), _files(target.media)
    message = _run(env, "manage.py", "restore", str(backup_set), refused=True)
    assert message.startswith("The database is not empty"), message
    assert (target.objects(), _files(target.media)) == (objects, files)

    # The server is lost: an empty database and an empty storage.
    target.drop()
    shutil.rmtree(target.media)
    assert target.objects() == 0

    # A storage that is not empty is refused too.
    (target.media / "documents").mkdir(parents=True)
    (target.media / "documents" / "stray.pdf").write_bytes(b"%PDF-stray")
    message = _run(env, "manage.py", "restore", kept, refused=True)
    assert message.startswith("The document storage") and "not empty" in message, message
    assert target.objects() == 0
    shutil.rmtree(target.media)

    # Keys under the ids the manifest lists, but not the keys: restored, decrypted as a check,
    # undone. The database is empty again, and so is the storage.
    wrong = {**env, "FIELD_ENCRYPTION_KEYS": WRONG_KEY_SAME_ID}
    message = _run(wrong, "manage.py", "restore", kept, refused=True)
    assert message.startswith("The configured keys cannot decrypt the restored data"), message
    assert "the restore was undone" in message
    assert target.objects() == 0 and _files(target.media) == {}

    # The restore itself.
    answer = _run(env, "manage.py", "restore", kept)
    assert answer.startswith(f"Restored {kept}:"), answer
    after = json.loads(_run(env, "-m", "tests.operations.drill", "measure", json.dumps(world)))

    assert after["counts"] == before["counts"]
    assert after["chain"] == before["chain"]
    assert after["balances"] == before["balances"]
    assert after["download"] == before["download"]
    assert _files(target.media) == stored
    print(f"restore drill on {target.vendor}: {time.monotonic() - started:.1f} s")
