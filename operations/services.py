"""Backups of the database and the document storage, and their restore.

A backup set is a directory under BACKUP_ROOT named by its UTC time (`20261207T020000Z`), with
three parts:

- the database: `database.pgdump` on PostgreSQL (`pg_dump --format=custom`, PostgreSQL's own
  format, restored by `pg_restore`), `database.sqlite3` on SQLite (its online backup API);
- `media.tar`: MEDIA_ROOT as it lies on disk. Stored documents are encrypted at rest: their bytes
  are copied, never decrypted;
- `manifest.json`: when, which database, the migrations applied per app (from django_migrations),
  the key ids of FIELD_ENCRYPTION_KEYS and the key ids the encrypted columns actually use (with
  how many values each), and the sha256 and size of each part. Never a key: a set without the
  keys that were in use cannot be read, and the keys without a set hold nothing.

The database is read in one snapshot (PostgreSQL: the manifest's facts and `pg_dump` share an
exported snapshot; SQLite: they are read from the copy), then the storage: a document's file is
written before its row says it is ready, so every document the dump knows has its file in the
set (a file written after the dump is extra, and harmless). A set is written under a hidden
temporary name (`.partial-…`) and renamed when complete, so a half-written set is never taken for
one; after a successful backup all but the newest BACKUP_KEEP sets are deleted.

`backup_restore` checks the set before touching anything (every part against its hash, the
database's kind, migrations this code does not know, key ids FIELD_ENCRYPTION_KEYS does not
list), restores only into an empty database and an empty storage, then decrypts a sample of every
encrypted column under every key id found; a value the keys cannot read undoes the restore, which
leaves the database and the storage empty again: never a half-restored database, never ciphertext
taken for data."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from documents import files as stored_files
from legalaid import crypto
from legalaid.services.keys import models_with_encrypted_fields

FORMAT = "lanzarote-backup/1"
MANIFEST = "manifest.json"
MEDIA = "media.tar"
DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
SET_NAME = re.compile(r"^\d{8}T\d{6}Z$")
PARTIAL = ".partial-"
# A temporary set older than this was left by a backup that died: the next backup deletes it.
STALE_PARTIAL_SECONDS = 24 * 3600
SAMPLE = 3  # values decrypted per encrypted column and key id after a restore
PG_TOOL_TIMEOUT = 3 * 3600
_CHUNK = 1 << 20
# Connection options of DATABASE_URL's query string that PostgreSQL's tools read from the
# environment (the password too: never in a command line, where `ps` shows it).
_LIBPQ_VARIABLES = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
}
_USER_SCHEMA = (
    "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'"
)


class BackupError(Exception):
    """A backup or a restore that was refused or failed; the message is a sentence for the
    operator, and says what was left as it was."""


@dataclass(frozen=True)
class BackupSet:
    path: Path
    manifest: dict[str, Any]


@dataclass(frozen=True)
class RestoreReport:
    name: str
    tables: int
    files: int
    values_checked: int
    key_ids: list[str]


# --- What the manifest says about the data --------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _encrypted_columns() -> list[tuple[str, str]]:
    """(table, column) of every column encrypted at rest, in every app."""
    return sorted(
        {
            (model._meta.db_table, str(field.column))
            for model, fields in models_with_encrypted_fields()
            for field in fields
        }
    )


def _key_id_sql(vendor: str, column: str) -> str:
    """The key id of a stored `lz1:<key id>:<ciphertext>` value, in the database's SQL."""
    if vendor == "postgresql":
        return f"split_part({column}, ':', 2)"
    start = len(crypto.FORMAT) + 2
    return f"substr({column}, {start}, instr(substr({column}, {start}), ':') - 1)"


def _key_ids_by_column(
    cursor: Any, vendor: str, columns: list[tuple[str, str]]
) -> Iterator[tuple[str, str, str, int]]:
    """(table, column, key id, values) for each key id used in each encrypted column."""
    for table, column in columns:
        quoted = _quote(column)
        cursor.execute(
            f"SELECT {_key_id_sql(vendor, quoted)}, COUNT(*) FROM {_quote(table)} "  # noqa: S608
            f"WHERE {quoted} LIKE '{crypto.FORMAT}:%' GROUP BY 1 ORDER BY 1"
        )
        for key_id, count in cursor.fetchall():
            yield table, column, str(key_id), int(count)


def _key_ids_in_data(cursor: Any, vendor: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for _table, _column, key_id, count in _key_ids_by_column(cursor, vendor, _encrypted_columns()):
        found[key_id] = found.get(key_id, 0) + count
    return dict(sorted(found.items()))


def _migrations_in(cursor: Any) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, id")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(str(app), []).append(str(name))
    return applied


# --- PostgreSQL's tools -----------------------------------------------------------------------


def _libpq_environment() -> dict[str, str]:
    database = connection.settings_dict
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    values = {
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGDATABASE": database.get("NAME"),
    }
    options = database.get("OPTIONS") or {}
    for option, variable in _LIBPQ_VARIABLES.items():
        values[variable] = options.get(option)
    environment.update({key: str(value) for key, value in values.items() if value})
    return environment


def _pg_tool(arguments: list[str], what: str) -> str:
    try:
        finished = subprocess.run(  # noqa: S603 - our tools, paths we made; no shell
            arguments,
            env=_libpq_environment(),
            capture_output=True,
            text=True,
            timeout=PG_TOOL_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise BackupError(
            f"{arguments[0]} is not installed: {what} needs PostgreSQL's client tools "
            f"(Debian's postgresql-client, of the server's version or newer)."
        ) from None
    if finished.returncode != 0:
        detail = " ".join(finished.stderr.split())[-600:]
        raise BackupError(f"{arguments[0]} failed ({what}): {detail}")
    return finished.stdout.strip()


def _dump_postgres(target: Path) -> dict[str, Any]:
    """pg_dump in the snapshot the manifest's facts were read in (an exported snapshot, held
    until the dump is done), so the key ids and the migrations are those of the dump."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = str(cursor.fetchone()[0])
        facts = {
            "migrations": _migrations_in(cursor),
            "key_ids": _key_ids_in_data(cursor, "postgresql"),
        }
        _pg_tool(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            "the database's dump",
        )
    facts["tool"] = _pg_tool(["pg_dump", "--version"], "the database's dump")
    facts["server"] = f"PostgreSQL {connection.pg_version}"  # type: ignore[attr-defined]
    return facts


def _postgres_object_count(cursor: Any) -> int:
    cursor.execute(
        "SELECT (SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "  # noqa: S608
        f"WHERE {_USER_SCHEMA}) + (SELECT COUNT(*) FROM pg_proc p JOIN pg_namespace n "
        f"ON n.oid = p.pronamespace WHERE {_USER_SCHEMA})"
    )
    return int(cursor.fetchone()[0])


def _postgres_empty_out() -> None:
    """Drop what a restore created (the database was empty before it): the schemas other than
    public, then in the user's schemas the tables (with their sequences, indexes and triggers),
    what is left of views and sequences, functions, and types. Each step lists what the earlier
    ones left."""
    relations = (
        "SELECT format('DROP {kind} IF EXISTS %I.%I CASCADE', n.nspname, c.relname) "  # noqa: S608
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE {_USER_SCHEMA} AND c.relkind IN ({{kinds}})"
    )
    steps = [
        "SELECT format('DROP SCHEMA IF EXISTS %I CASCADE', n.nspname) FROM pg_namespace n "  # noqa: S608
        f"WHERE {_USER_SCHEMA} AND n.nspname <> 'public'",
        relations.format(kind="TABLE", kinds="'r', 'p'"),
        relations.format(kind="FOREIGN TABLE", kinds="'f'"),
        relations.format(kind="MATERIALIZED VIEW", kinds="'m'"),
        relations.format(kind="VIEW", kinds="'v'"),
        relations.format(kind="SEQUENCE", kinds="'S'"),
        "SELECT format('DROP %s IF EXISTS %s CASCADE', CASE p.prokind WHEN 'p' THEN 'PROCEDURE' "  # noqa: S608
        "WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END, p.oid::regprocedure) FROM pg_proc p "
        f"JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {_USER_SCHEMA}",
        "SELECT format('DROP %s IF EXISTS %I.%I CASCADE', CASE t.typtype WHEN 'd' THEN 'DOMAIN' "  # noqa: S608
        "ELSE 'TYPE' END, n.nspname, t.typname) FROM pg_type t JOIN pg_namespace n "
        f"ON n.oid = t.typnamespace WHERE {_USER_SCHEMA} AND t.typtype IN ('e', 'd', 'r', 'm')",
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for step in steps:
            cursor.execute(step)
            for (statement,) in cursor.fetchall():
                cursor.execute(statement)


# --- SQLite -----------------------------------------------------------------------------------


def _sqlite_file() -> str:
    if connection.is_in_memory_db():  # type: ignore[attr-defined]
        raise BackupError("The database is in memory: there is no file to back up or restore.")
    return str(connection.settings_dict["NAME"])


def _copy_sqlite(target: Path) -> dict[str, Any]:
    """SQLite's online backup API, then the manifest's facts read from the copy itself."""
    source_uri = f"{Path(_sqlite_file()).resolve().as_uri()}?mode=ro"
    with (
        closing(sqlite3.connect(source_uri, uri=True)) as source,
        closing(sqlite3.connect(target)) as copy,
    ):
        source.backup(copy)
    with closing(sqlite3.connect(target)) as copy:
        cursor = copy.cursor()
        return {
            "migrations": _migrations_in(cursor),
            "key_ids": _key_ids_in_data(cursor, "sqlite"),
            "tool": f"SQLite online backup API (SQLite {sqlite3.sqlite_version})",
            "server": f"SQLite {sqlite3.sqlite_version}",
        }


# --- Files ------------------------------------------------------------------------------------


def _digest(path: Path) -> dict[str, Any]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
        os.fsync(handle.fileno())  # on disk before the set is renamed into place
    return {"file": path.name, "sha256": digest.hexdigest(), "size": size}


def _media_files(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for directory, subdirectories, names in os.walk(root):
        subdirectories.sort()
        for name in sorted(names):
            path = Path(directory) / name
            # A `.partial` file is a document still being written (documents/services.py).
            if not name.endswith(".partial") and path.is_file() and not path.is_symlink():
                yield path


def _file_key_id(path: Path) -> str:
    """The key id in a stored file's header (documents/files.py): `plain` for a PDF stored
    before documents were encrypted, `unknown` for a file in no known form."""
    try:
        with path.open("rb") as handle:
            key_id = stored_files.key_id_of(handle.read(stored_files.HEAD_BYTES))
    except stored_files.StoredFileError:
        return "unknown"
    return "plain" if key_id is None else key_id


def _archive_media(root: Path, target: Path) -> tuple[int, dict[str, int]]:
    """The storage into one tar; returns how many files, and how many under each key id."""
    count, key_ids = 0, dict[str, int]()
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as archive:
        for path in _media_files(root):
            try:
                key_id = _file_key_id(path)
                archive.add(path, arcname=str(path.relative_to(root)), recursive=False)
            except FileNotFoundError:  # deleted meanwhile (retention): not in the set
                continue
            count += 1
            key_ids[key_id] = key_ids.get(key_id, 0) + 1
    return count, dict(sorted(key_ids.items()))


def _fsync_directory(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _root(root: Path | str | None) -> Path:
    return Path(root if root is not None else settings.BACKUP_ROOT)


# --- Backup -----------------------------------------------------------------------------------


def backup_create(*, root: Path | str | None = None) -> BackupSet:
    """Write one complete set under `root` (BACKUP_ROOT), or nothing."""
    if connection.in_atomic_block:
        raise BackupError("A backup reads the database in a transaction of its own: not in one.")
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    root = _root(root)
    root.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    name = now.strftime("%Y%m%dT%H%M%SZ")
    partial = Path(tempfile.mkdtemp(prefix=f"{PARTIAL}{name}-", dir=root))  # mode 0700
    try:
        database = partial / DATABASE_FILES[vendor]
        facts = _dump_postgres(database) if vendor == "postgresql" else _copy_sqlite(database)
        files, file_key_ids = _archive_media(Path(settings.MEDIA_ROOT), partial / MEDIA)
        ring = crypto.keyring()
        manifest = {
            "format": FORMAT,
            "name": name,
            "created_at": now.isoformat(),
            "database": {"vendor": vendor, "tool": facts["tool"], "server": facts["server"]},
            "migrations": facts["migrations"],
            "keys": {
                "keyring": sorted(ring.ciphers),
                "newest": ring.current_id,
                "in_data": facts["key_ids"],
                "in_files": file_key_ids,
            },
            "parts": {
                "database": _digest(database),
                "media": {**_digest(partial / MEDIA), "files": files},
            },
        }
        with (partial / MANIFEST).open("w", encoding="utf-8") as handle:
            json.dump(manifest, handle, indent=2, sort_keys=True)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        _fsync_directory(partial)
        final = root / name
        try:
            os.rename(partial, final)  # refused onto an existing, non-empty set
        except OSError:
            raise BackupError(f"A set named {name} exists already: nothing replaced.") from None
        _fsync_directory(root)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return BackupSet(path=final, manifest=manifest)


def backup_list(*, root: Path | str | None = None) -> list[Path]:
    """The complete sets under `root`, oldest first (temporary ones are not sets)."""
    root = _root(root)
    if not root.is_dir():
        return []
    return sorted(
        path
        for path in root.iterdir()
        if SET_NAME.match(path.name) and path.is_dir() and (path / MANIFEST).is_file()
    )


def backup_prune(*, keep: int | None = None, root: Path | str | None = None) -> list[str]:
    """Delete all but the newest `keep` (BACKUP_KEEP) sets, and temporary sets left by a backup
    that died a day ago or more. A set is renamed to a temporary name before it is deleted, so
    a half-deleted set is never taken for one. Returns the names of the sets deleted."""
    keep = settings.BACKUP_KEEP if keep is None else keep
    if keep < 1:
        raise BackupError("BACKUP_KEEP must keep at least one set.")
    root = _root(root)
    deleted = []
    for path in backup_list(root=root)[:-keep]:
        doomed = root / f"{PARTIAL}deleting-{path.name}"
        os.rename(path, doomed)
        shutil.rmtree(doomed)
        deleted.append(path.name)
    if root.is_dir():
        for path in root.iterdir():
            if path.name.startswith(PARTIAL):
                age = time.time() - path.lstat().st_mtime
                if age > STALE_PARTIAL_SECONDS:
                    shutil.rmtree(path, ignore_errors=True)
    return deleted


# --- Restore ----------------------------------------------------------------------------------


def _set_path(name: Path | str) -> Path:
    path = Path(name)
    if not path.is_dir() and not path.is_absolute():
        path = _root(None) / path
    if not (path / MANIFEST).is_file():
        raise BackupError(f"{name} is not a backup set: it has no {MANIFEST}.")
    return path


def _manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(f"The manifest of {path.name} cannot be read.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path.name} is not a set this version can restore (not {FORMAT}).")
    for part in ("database", "media"):
        file = manifest.get("parts", {}).get(part, {}).get("file")
        if not isinstance(file, str) or Path(file).name != file or file in {"", ".", ".."}:
            raise BackupError(f"The manifest of {path.name} names no file for its {part}.")
    return manifest


def _check_parts(path: Path, manifest: dict[str, Any]) -> None:
    for part, described in manifest["parts"].items():
        file = path / described["file"]
        if not file.is_file():
            raise BackupError(
                f"The set's {part} ({described['file']}) is missing: nothing was restored."
            )
        found = _digest(file)
        if (found["size"], found["sha256"]) != (described.get("size"), described.get("sha256")):
            raise BackupError(
                f"The set's {part} ({described['file']}) does not match the sha256 and size of "
                f"its manifest: the set is damaged or altered; nothing was restored."
            )


def _check_migrations(manifest: dict[str, Any]) -> None:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [
        f"{app}.{name}"
        for app, names in sorted(manifest.get("migrations", {}).items())
        for name in names
        if (app, name) not in known
    ]
    if unknown:
        listed = ", ".join(unknown[:3]) + (f" and {len(unknown) - 3} more" if unknown[3:] else "")
        raise BackupError(
            f"The set's database has migrations this version of Lanzarote does not have "
            f"({listed}): it was made by a newer version. Restore it with that version or a "
            f"newer one; nothing was restored."
        )


def _check_keys(manifest: dict[str, Any]) -> list[str]:
    keys = manifest.get("keys", {})
    in_files = set(keys.get("in_files", {})) - {"plain", "unknown"}
    in_data = sorted(set(keys.get("in_data", {})) | in_files)
    missing = [key_id for key_id in in_data if key_id not in crypto.keyring().ciphers]
    if missing:
        raise BackupError(
            f"The set's data is encrypted with the key id(s) {', '.join(missing)}, which "
            f"FIELD_ENCRYPTION_KEYS does not list: configure the keys that were in use when the "
            f"set was made (kept apart from the backups) and restore again; nothing was restored."
        )
    return in_data


def _database_objects() -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return _postgres_object_count(cursor)
        cursor.execute("SELECT COUNT(*) FROM sqlite_master")
        return int(cursor.fetchone()[0])


def _check_empty(media_root: Path) -> None:
    objects = _database_objects()
    if objects:
        raise BackupError(
            f"The database is not empty ({objects} tables, indexes or other objects): a set is "
            f"restored into an empty database only (a new one, not migrated); nothing was "
            f"restored."
        )
    if media_root.is_dir() and any(path.is_file() for path in media_root.rglob("*")):
        raise BackupError(
            f"The document storage ({media_root}) is not empty: a set is restored into an empty "
            f"storage only; nothing was restored."
        )


def _restore_database(file: Path) -> None:
    if connection.vendor == "postgresql":
        _pg_tool(
            ["pg_restore", "--single-transaction", "--exit-on-error", "--no-owner", "--no-acl",
             f"--dbname={connection.settings_dict['NAME']}", str(file)],
            "the database's restore",
        )  # fmt: skip
        return
    target = _sqlite_file()
    connection.close()
    with (
        closing(sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)) as source,
        closing(sqlite3.connect(target)) as database,
    ):
        source.backup(database)


def _empty_database() -> None:
    if connection.vendor == "postgresql":
        _postgres_empty_out()
        return
    target = _sqlite_file()
    connection.close()
    with closing(sqlite3.connect(":memory:")) as empty, closing(sqlite3.connect(target)) as db:
        empty.backup(db)


def _empty_storage(media_root: Path) -> None:
    if media_root.is_dir():
        for path in media_root.iterdir():
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()


def _decrypt_samples() -> int:
    """Decrypt up to SAMPLE values of every encrypted column under every key id it uses; a
    value the configured keys cannot read raises `DecryptionError`. Returns how many were read."""
    checked = 0
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        columns = []
        for table, column in _encrypted_columns():
            if table in tables and column in {
                row.name for row in connection.introspection.get_table_description(cursor, table)
            }:
                columns.append((table, column))
        for table, column, key_id, _count in list(
            _key_ids_by_column(cursor, connection.vendor, columns)
        ):
            cursor.execute(
                f"SELECT {_quote(column)} FROM {_quote(table)} "  # noqa: S608
                f"WHERE {_quote(column)} LIKE %s LIMIT {SAMPLE}",
                [f"{crypto.FORMAT}:{key_id}:%"],
            )
            for (value,) in cursor.fetchall():
                try:
                    crypto.decrypt(value)
                except crypto.DecryptionError as error:
                    raise crypto.DecryptionError(f"{table}.{column}: {error}") from None
                checked += 1
    return checked


def _decrypt_file_samples(media_root: Path) -> int:
    """Decrypt up to SAMPLE restored files under every key id the files use (the GCM tag checks
    each whole); a file the configured keys cannot read raises `DecryptionError`."""
    checked, per_key = 0, dict[str, int]()
    for path in _media_files(media_root):
        key_id = _file_key_id(path)
        if key_id in ("plain", "unknown") or per_key.get(key_id, 0) >= SAMPLE:
            continue
        try:
            stored_files.unseal(path.read_bytes())
        except crypto.DecryptionError as error:
            raise crypto.DecryptionError(f"{path.relative_to(media_root)}: {error}") from None
        per_key[key_id] = per_key.get(key_id, 0) + 1
        checked += 1
    return checked


def backup_restore(*, name: Path | str) -> RestoreReport:
    """Restore the set `name` (a path, or a set's name under BACKUP_ROOT) into the configured
    database and MEDIA_ROOT, both empty; refuses with `BackupError`, leaving both as they were."""
    path = _set_path(name)
    manifest = _manifest(path)
    _check_parts(path, manifest)
    vendor = manifest["database"].get("vendor")
    if vendor != connection.vendor:
        raise BackupError(
            f"The set holds a {vendor} database and the configured database is "
            f"{connection.vendor}: nothing was restored."
        )
    _check_migrations(manifest)
    key_ids = _check_keys(manifest)
    media_root = Path(settings.MEDIA_ROOT)
    _check_empty(media_root)
    if connection.in_atomic_block:
        raise BackupError("A restore runs in transactions of its own: not in one.")
    try:
        _restore_database(path / manifest["parts"]["database"]["file"])
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(path / manifest["parts"]["media"]["file"]) as archive:
            members = archive.getmembers()
            archive.extractall(media_root, members=members, filter="data")
        checked = _decrypt_samples() + _decrypt_file_samples(media_root)
    except crypto.DecryptionError as error:
        _undo(media_root)
        raise BackupError(
            f"The configured keys cannot decrypt the restored data ({error}); the restore was "
            f"undone and the database and the storage are empty. Configure the keys that were "
            f"in use when the set was made."
        ) from None
    except BaseException:
        _undo(media_root)
        raise
    with connection.cursor() as cursor:
        tables = len(connection.introspection.table_names(cursor))
    return RestoreReport(
        name=path.name,
        tables=tables,
        files=sum(1 for member in members if member.isfile()),
        values_checked=checked,
        key_ids=key_ids,
    )


def _undo(media_root: Path) -> None:
    _empty_database()
    _empty_storage(media_root)
