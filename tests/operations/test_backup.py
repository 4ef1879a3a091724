"""Backups and restores in the test process: the refusals decided from the set alone, before
anything is touched (its hashes, its migrations, its keys, the database's kind), the refusal of a
database that is not empty, retention, and beat's schedule. The full round trip, on a database of
its own, is tests/operations/test_restore_drill.py."""

from __future__ import annotations

import json
import os
import tarfile
import time
from pathlib import Path
from typing import Any

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

from legalaid.models import AuditEvent, District
from operations.services import FORMAT, _digest, backup_list, backup_prune
from operations.tasks import backup

pytestmark = pytest.mark.django_db


def _write_set(root: Path, name: str = "20261207T020000Z", **changes: Any) -> Path:
    """A set as `backup` writes it, its database part a stand-in (these refusals come before
    the database part is read)."""
    path = root / name
    (path / "content").mkdir(parents=True)
    (path / "database.part").write_bytes(b"a database dump")
    (path / "content" / "letter.pdf").write_bytes(b"LZF1\ndev1\nsealed")
    with tarfile.open(path / "media.tar", "w") as archive:
        archive.add(path / "content" / "letter.pdf", arcname="documents/1/letter.pdf")
    applied: dict[str, list[str]] = {}
    for app_label, migration in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app_label, []).append(migration)
    manifest = {
        "format": FORMAT,
        "name": name,
        "created_at": "2026-12-07T02:00:00+00:00",
        "database": {"vendor": connection.vendor, "tool": "test", "server": "test"},
        "migrations": applied,
        "keys": {"keyring": ["dev1"], "newest": "dev1", "in_data": {"dev1": 3}},
        "parts": {
            "database": _digest(path / "database.part"),
            "media": {**_digest(path / "media.tar"), "files": 1},
        },
        **changes,
    }
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return path


def _state(media: Path) -> tuple[int, int, list[str]]:
    return (
        AuditEvent.objects.count(),
        District.objects.count(),
        sorted(str(p) for p in media.rglob("*")) if media.exists() else [],
    )


def _refused(set_path: Path, media: Path) -> str:
    before = _state(media)
    with override_settings(MEDIA_ROOT=media), pytest.raises(CommandError) as refusal:
        call_command("restore", str(set_path))
    assert _state(media) == before  # nothing changed
    return str(refusal.value)


def test_a_part_that_does_not_match_its_hash_is_refused_before_anything_is_touched(
    tmp_path: Path,
) -> None:
    backup_set = _write_set(tmp_path)
    data = bytearray((backup_set / "media.tar").read_bytes())
    data[512] ^= 0x01  # one bit of the stored file (after its 512-byte header)
    (backup_set / "media.tar").write_bytes(bytes(data))
    message = _refused(backup_set, tmp_path / "media")
    assert message == (
        "The set's media (media.tar) does not match the sha256 and size of its manifest: the set "
        "is damaged or altered; nothing was restored."
    )


def test_a_missing_part_is_refused(tmp_path: Path) -> None:
    backup_set = _write_set(tmp_path)
    (backup_set / "database.part").unlink()
    message = _refused(backup_set, tmp_path / "media")
    assert message == "The set's database (database.part) is missing: nothing was restored."


def test_a_key_id_the_keyring_does_not_list_is_refused_before_anything_is_touched(
    tmp_path: Path,
) -> None:
    keys = {"keyring": ["gone1", "dev1"], "newest": "gone1", "in_data": {"dev1": 4, "gone1": 9}}
    message = _refused(_write_set(tmp_path, keys=keys), tmp_path / "media")
    assert message.startswith(
        "The set's data is encrypted with the key id(s) gone1, which FIELD_ENCRYPTION_KEYS does "
        "not list"
    ), message
    assert "nothing was restored" in message


def test_a_key_id_only_the_documents_files_use_is_refused_before_anything_is_touched(
    tmp_path: Path,
) -> None:
    keys = {"keyring": ["dev1"], "newest": "dev1", "in_data": {"dev1": 4}, "in_files": {"old7": 2}}
    message = _refused(_write_set(tmp_path, keys=keys), tmp_path / "media")
    assert message.startswith("The set's data is encrypted with the key id(s) old7"), message


def test_restored_files_are_decrypted_as_a_check_and_a_file_no_key_reads_is_refused(
    tmp_path: Path,
) -> None:
    from documents import files
    from legalaid import crypto
    from operations.services import _decrypt_file_samples

    media = tmp_path / "media"
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "good.pdf").write_bytes(files.seal(b"%PDF-1.7 issued"))
    (media / "documents" / "old.pdf").write_bytes(b"%PDF-1.7 stored before encryption")
    assert _decrypt_file_samples(media) == 1
    forged = files.seal(b"%PDF-1.7 other")  # one bit of its ciphertext flipped below
    (media / "documents" / "forged.pdf").write_bytes(forged[:-1] + bytes([forged[-1] ^ 1]))
    with pytest.raises(crypto.DecryptionError, match=r"forged\.pdf"):
        _decrypt_file_samples(media)


def test_a_set_made_by_a_newer_version_is_refused(tmp_path: Path) -> None:
    applied = {"legalaid": ["0001_initial", "9999_from_a_newer_version"]}
    message = _refused(_write_set(tmp_path, migrations=applied), tmp_path / "media")
    assert message.startswith(
        "The set's database has migrations this version of Lanzarote does not have "
        "(legalaid.9999_from_a_newer_version): it was made by a newer version."
    ), message


def test_a_set_of_the_other_kind_of_database_is_refused(tmp_path: Path) -> None:
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    database = {"vendor": other, "tool": "test", "server": "test"}
    message = _refused(_write_set(tmp_path, database=database), tmp_path / "media")
    assert message == (
        f"The set holds a {other} database and the configured database is {connection.vendor}: "
        f"nothing was restored."
    )


def test_a_database_that_is_not_empty_is_refused(tmp_path: Path) -> None:
    message = _refused(_write_set(tmp_path), tmp_path / "media")
    assert message.startswith("The database is not empty ("), message
    assert message.endswith(
        "a set is restored into an empty database only (a new one, not migrated); nothing was "
        "restored."
    )


def test_what_is_not_a_set_is_refused(tmp_path: Path) -> None:
    message = _refused(tmp_path, tmp_path / "media")
    assert message == f"{tmp_path} is not a backup set: it has no manifest.json."


def test_a_backup_inside_a_transaction_is_refused_and_writes_no_set(tmp_path: Path) -> None:
    with override_settings(BACKUP_ROOT=tmp_path), pytest.raises(CommandError) as refusal:
        call_command("backup")
    assert str(refusal.value) == (
        "A backup reads the database in a transaction of its own: not in one."
    )
    assert list(tmp_path.iterdir()) == []


def test_retention_keeps_the_newest_sets_and_forgets_what_a_dead_backup_left(
    tmp_path: Path,
) -> None:
    names = ["20261201T020000Z", "20261202T020000Z", "20261203T020000Z", "20261204T020000Z"]
    for name in names:
        (tmp_path / name).mkdir()
        (tmp_path / name / "manifest.json").write_text("{}")
    (tmp_path / "20261205T020000Z").mkdir()  # no manifest: not a set
    (tmp_path / ".partial-20261206T020000Z-a1").mkdir()  # a backup under way
    stale = tmp_path / ".partial-20261130T020000Z-b2"  # left by a backup that died
    stale.mkdir()
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(stale, (two_days_ago, two_days_ago))

    assert backup_prune(keep=2, root=tmp_path) == names[:2]
    assert [path.name for path in backup_list(root=tmp_path)] == names[2:]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        ".partial-20261206T020000Z-a1", *names[2:], "20261205T020000Z"
    ]  # fmt: skip


def test_beat_runs_the_backup_once_a_day_without_arguments() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["backup"]
    assert entry["task"] == backup.name == "operations.tasks.backup"
    assert not entry.get("args") and not entry.get("kwargs")
    assert entry["schedule"] == crontab(minute=0, hour=settings.BACKUP_HOUR)
    assert settings.BACKUP_KEEP == 14 and settings.BACKUP_ROOT.name == "backups"
