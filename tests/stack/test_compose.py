"""docker-compose.yml describes the production stack as the README says: read with PyYAML, since
CI has no Docker (where `docker compose` exists, .ci/run also asks it to validate the file)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP = ("web", "worker", "beat")
SERVICES = {*APP, "db", "redis", "mailpit"}
# The secrets the application needs, each read from a mounted file (NAME_FILE, config/env.py).
SECRETS = {
    "SECRET_KEY": "secret_key",
    "DATABASE_PASSWORD": "db_password",
    "FIELD_ENCRYPTION_KEYS": "field_encryption_keys",
    "BLIND_INDEX_KEY": "blind_index_key",
    "AUDIT_CHAIN_KEY": "audit_chain_key",
}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _service(compose: dict[str, Any], name: str) -> dict[str, Any]:
    service = compose["services"][name]
    assert isinstance(service, dict)
    return service


def _mounts(service: dict[str, Any]) -> dict[str, str]:
    """Named volume → path in the container."""
    return dict(volume.split(":")[:2] for volume in service.get("volumes", []))


def test_the_stack_has_its_services_each_with_a_health_check(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == SERVICES
    for name in SERVICES:
        check = _service(compose, name).get("healthcheck")
        assert check and not check.get("disable"), name
        assert check["test"][0] == "CMD" and len(check["test"]) > 1, name
        assert {"interval", "timeout", "retries"} <= set(check), name


def test_the_processes_are_started_and_checked_by_the_deploy_scripts(
    compose: dict[str, Any],
) -> None:
    for name in APP:
        service = _service(compose, name)
        script = ROOT / "deploy" / name
        assert service["command"] == [f"deploy/{name}"]
        assert script.is_file() and os.access(script, os.X_OK), script
        assert service["healthcheck"]["test"] == [
            "CMD", "python", "deploy/healthcheck.py", name
        ]  # fmt: skip
        assert service["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert "load_demo_data" not in text and "demo" not in text.lower()


def test_web_publishes_its_port_on_this_machine_only(compose: dict[str, Any]) -> None:
    assert _service(compose, "web")["ports"] == ["127.0.0.1:8000:8000"]
    for name in SERVICES - {"web", "mailpit"}:
        assert "ports" not in _service(compose, name), name


def test_beat_runs_exactly_once(compose: dict[str, Any]) -> None:
    beat = _service(compose, "beat")
    assert beat["deploy"]["replicas"] == 1
    assert "EXACTLY ONE" in (ROOT / "deploy" / "beat").read_text(encoding="utf-8")


def test_the_database_and_the_documents_are_kept_in_named_volumes(
    compose: dict[str, Any],
) -> None:
    volumes = compose["volumes"]
    assert {"pgdata", "documents"} <= set(volumes)
    assert _mounts(_service(compose, "db")) == {"pgdata": "/var/lib/postgresql/data"}
    assert _service(compose, "db")["image"] == "postgres:15"
    # Written by the worker, read (downloaded) by the web process: the same volume, at MEDIA_ROOT.
    web, worker = _service(compose, "web"), _service(compose, "worker")
    assert _mounts(web) == {"documents": web["environment"]["MEDIA_ROOT"]}
    assert _mounts(worker)["documents"] == worker["environment"]["MEDIA_ROOT"]


def test_the_backups_run_from_beat_into_a_volume_of_their_own(compose: dict[str, Any]) -> None:
    """One place schedules them (beat's `backup` task, CELERY_BEAT_SCHEDULE: tests/operations);
    the workers that run it write to the `backups` volume at BACKUP_ROOT, with pg_dump from the
    image; nothing else mounts it, and no service runs a schedule of its own."""
    assert "backups" in compose["volumes"]
    worker = _service(compose, "worker")
    assert _mounts(worker) == {
        "documents": worker["environment"]["MEDIA_ROOT"],
        "backups": worker["environment"]["BACKUP_ROOT"],
    }
    for name in SERVICES - {"worker"}:
        assert "backups" not in _mounts(_service(compose, name)), name
    assert worker["environment"]["BACKUP_KEEP"] == "${BACKUP_KEEP:-14}"
    assert "backup" not in " ".join(_service(compose, "beat")["command"])
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "postgresql-client-15" in dockerfile  # the server's version (postgres:15)
    assert "chown lanzarote var/media var/backups" in dockerfile


def test_secrets_come_from_files_never_from_the_compose_file(compose: dict[str, Any]) -> None:
    declared = compose["secrets"]
    assert set(declared) == set(SECRETS.values())
    for name, source in declared.items():
        assert set(source) in ({"file"}, {"environment"}), name
    for name in APP:
        service = _service(compose, name)
        environment = service["environment"]
        assert set(service["secrets"]) == set(SECRETS.values()), name
        for variable, secret in SECRETS.items():
            assert variable not in environment, (name, variable)
            assert environment[f"{variable}_FILE"] == f"/run/secrets/{secret}", (name, variable)
        # The URL names the user, never the password (DATABASE_PASSWORD_FILE gives it).
        assert re.fullmatch(r"postgres://[a-z]+@db:5432/[a-z]+", environment["DATABASE_URL"])
    db = _service(compose, "db")
    assert db["environment"]["POSTGRES_PASSWORD_FILE"] == "/run/secrets/db_password"
    assert "POSTGRES_PASSWORD" not in db["environment"] and db["secrets"] == ["db_password"]
    for name in SERVICES:
        for variable, value in _service(compose, name).get("environment", {}).items():
            if re.search("PASSWORD|SECRET|KEY", variable) and not variable.endswith("_FILE"):
                pytest.fail(f"{name}: {variable}={value!r} is a secret in the compose file")


def test_make_secrets_writes_the_files_the_compose_file_mounts(
    compose: dict[str, Any], tmp_path: Path
) -> None:
    made = subprocess.run(
        [ROOT / "deploy" / "make-secrets", tmp_path / "secrets"],
        capture_output=True, text=True, check=True, timeout=30,
    )  # fmt: skip
    files = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "secrets").iterdir()}
    assert {Path(s["file"]).name for s in compose["secrets"].values()} == set(files)
    assert {Path(s["file"]).parent for s in compose["secrets"].values()} == {Path("var/secrets")}
    assert all(value.endswith("\n") and len(value.strip()) >= 32 for value in files.values())
    b64url32 = r"[A-Za-z0-9_-]{43}"  # 32 bytes, base64url without padding
    assert re.fullmatch(rf"k\d{{8}}:{b64url32}\n", files["field_encryption_keys"])
    assert re.fullmatch(rf"{b64url32}\n", files["blind_index_key"])
    assert re.fullmatch(rf"{b64url32}\n", files["audit_chain_key"])
    assert made.stdout.count("created") == 5

    again = subprocess.run(
        [ROOT / "deploy" / "make-secrets", tmp_path / "secrets"],
        capture_output=True, text=True, check=True, timeout=30,
    )  # fmt: skip
    assert again.stdout.count("kept") == 5
    assert {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "secrets").iterdir()} == (
        files
    )  # never replaced: the identity data would be lost with its keys


def test_the_application_mails_through_the_mail_catcher(compose: dict[str, Any]) -> None:
    mailpit = _service(compose, "mailpit")
    assert mailpit["image"].startswith("axllent/mailpit:")
    for name in APP:
        environment = _service(compose, name)["environment"]
        assert (environment["EMAIL_HOST"], environment["EMAIL_PORT"]) == ("mailpit", "1025")


def test_the_worker_and_beat_start_once_the_web_process_has_migrated(
    compose: dict[str, Any],
) -> None:
    web = _service(compose, "web")
    assert {name: d["condition"] for name, d in web["depends_on"].items()} == {
        "db": "service_healthy", "redis": "service_healthy", "mailpit": "service_healthy"
    }  # fmt: skip
    for name in ("worker", "beat"):
        assert _service(compose, name)["depends_on"] == {"web": {"condition": "service_healthy"}}


def test_the_image_collects_the_static_files_and_runs_as_its_own_user() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "ENV STATIC_ROOT=/app/var/static MEDIA_ROOT=/app/var/media" in dockerfile
    assert "manage.py collectstatic --noinput" in dockerfile
    assert "libharfbuzz-subset0" in dockerfile
    assert "USER lanzarote" in dockerfile
    assert 'CMD ["deploy/web"]' in dockerfile


def test_a_stopped_worker_is_given_time_to_finish_its_task(compose: dict[str, Any]) -> None:
    """A render takes seconds (its time limit is 300 s): two minutes let one under way finish."""
    assert _service(compose, "worker")["stop_grace_period"] == "2m"
    assert _service(compose, "web")["stop_grace_period"] == "40s"
    for name in APP:
        assert _service(compose, name)["init"] is True, name
