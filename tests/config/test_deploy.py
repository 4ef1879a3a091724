"""The production settings pass Django's deployment checklist, and every page is served under a
Content-Security-Policy that allows no inline script or style."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.test import Client

ROOT = Path(__file__).resolve().parent.parent.parent
PLACEHOLDERS = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "placeholder-for-the-check-7f3c9e21b6d84a05c2e1f9a7d3b58c64e0a2f1d9",
    "DATABASE_URL": "postgres://lanzarote:placeholder@db:5432/lanzarote",
    "REDIS_URL": "redis://redis:6379/0",
    "ALLOWED_HOSTS": "lanzarote.example",
    "FIELD_ENCRYPTION_KEYS": "placeholder:cGxhY2Vob2xkZXIta2V5LWZvci10aGUtY2hlY2stMDE",
    "BLIND_INDEX_KEY": "cGxhY2Vob2xkZXItaW5kZXgta2V5LWZvci1jaGVjazE",
    "AUDIT_CHAIN_KEY": "cGxhY2Vob2xkZXItYXVkaXQta2V5LWZvci1jaGVjazE",
}


def deploy_check(**overrides: str) -> subprocess.CompletedProcess[str]:
    # As on a production host: none of the tests' own switches (the browser tests' async one).
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(PLACEHOLDERS, **overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_the_production_settings_pass_the_deployment_checklist_without_a_warning() -> None:
    checked = deploy_check()
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "System check identified no issues" in checked.stdout


def test_production_refuses_the_public_development_encryption_keys() -> None:
    from django.conf import settings

    checked = deploy_check(
        FIELD_ENCRYPTION_KEYS=settings.DEVELOPMENT_ENCRYPTION_KEYS,
        BLIND_INDEX_KEY=settings.DEVELOPMENT_BLIND_INDEX_KEY,
    )
    assert checked.returncode != 0
    assert "legalaid.E002" in checked.stderr + checked.stdout


def test_production_refuses_a_malformed_encryption_key_with_a_sentence() -> None:
    checked = deploy_check(FIELD_ENCRYPTION_KEYS="k1:tooshort")
    assert checked.returncode != 0
    assert "each key must be 32 bytes" in checked.stderr + checked.stdout


def test_pages_forbid_inline_scripts_and_framing() -> None:
    response = Client(HTTP_HOST="127.0.0.1").get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_api_docs_load_their_script_as_a_file_not_inline() -> None:
    page = Client(HTTP_HOST="127.0.0.1").get("/api/docs/").content.decode()
    assert "<script>" not in page and "<style>" not in page
    assert "?script" in page  # Swagger UI's start-up script, its own request
