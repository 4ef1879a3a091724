"""A raw dump of the database (SQLite's file, PostgreSQL's `pg_dump`) holds no identity value in
plain text: names, birth dates, national numbers, contact data, narratives, and the documents'
snapshots that copy them.

The data is the demo's (victims, guardians, defendants with aliases, notes, a claim with damage
heads, non-punishment records) plus documents issued from it, so every encrypted column has rows.
The values searched for are read back through the models, decrypted: the test knows what a thief
must not find without knowing how it is stored."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from documents.models import DocumentKind
from documents.selectors import case_for_documents
from documents.services import document_request
from legalaid.models import Case, Lawyer, User
from legalaid.services.keys import models_with_encrypted_fields

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("frozen_today"),
]


def last_ids() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.order_by("-pk").values_list("pk", flat=True).first()
        or 0
        for model, _ in models_with_encrypted_fields()
    }


def plain_values(after: dict[str, int]) -> Iterator[tuple[str, str]]:
    """(where, value) for every value of every encrypted column of the rows written since
    `after` (this test's data; not rows another test may have left), as the application sees
    it."""
    for model, fields in models_with_encrypted_fields():
        for row in model._base_manager.filter(pk__gt=after[model._meta.label]):
            for field in fields:
                value = getattr(row, field.name)
                if isinstance(value, dt.date):
                    yield f"{model.__name__}.{field.name}", value.isoformat()
                elif isinstance(value, str) and len(value.strip()) >= 3:
                    yield f"{model.__name__}.{field.name}", value


def texts(data: object) -> Iterator[str]:
    """The strings in a document's snapshot."""
    if isinstance(data, dict):
        for item in data.values():
            yield from texts(item)
    elif isinstance(data, list):
        for item in data:
            yield from texts(item)
    elif isinstance(data, str):
        yield data


def raw_dump(tmp_path: Path) -> bytes:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        target = tmp_path / "copy.sqlite3"
        with sqlite3.connect(target) as copy:
            connection.ensure_connection()
            connection.connection.backup(copy)
        return target.read_bytes()
    environment = {**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""}
    dumped = subprocess.run(
        ["pg_dump", "--data-only", "--no-owner", "-h", settings["HOST"], "-p",
         str(settings["PORT"]), "-U", settings["USER"], settings["NAME"]],
        env=environment, capture_output=True, check=True, timeout=120,
    )  # fmt: skip
    return dumped.stdout


def test_a_raw_dump_of_the_database_holds_no_identity_value_in_plain_text(
    tmp_path: Path,
) -> None:
    before = last_ids()
    call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    office, lawyer = User.objects.get(username="office"), User.objects.get(username="lawyer")
    first = Case.objects.order_by("pk").first()
    assert first is not None
    for actor, kind in (
        (office, DocumentKind.DESIGNATION_LETTER),
        (lawyer, DocumentKind.CIVIL_PARTY_CONSTITUTION),
    ):
        document, _ = document_request(
            actor=actor, case=case_for_documents(actor, first.pk), kind=kind
        )
        # Its snapshot copies the victim's identity: a plain snapshot would show in the dump.
        assert first.victim.family_name in " ".join(texts(document.snapshot))

    # Sign-in addresses are the accounts' identifiers (the sign-in looks them up), kept plain in
    # the user table like every user's: a guardian's contact e-mail that is also their sign-in
    # address is found there. That is the one exception, and only for e-mail addresses.
    sign_in = set(User.objects.exclude(email="").values_list("email", flat=True))
    # Lawyers' names are professional data, kept plain: a victim's given name that is also some
    # lawyer's ("Sara") is found there, which says nothing about the victim.
    professional = {name for pair in Lawyer.objects.values_list("given_name", "family_name")
                    for name in pair}  # fmt: skip
    values = [
        (where, value)
        for where, value in plain_values(before)
        if value not in sign_in and value not in professional
    ]
    found = {where for where, _ in values}
    assert {"Victim.family_name", "Victim.date_of_birth", "Victim.national_number",
            "Guardian.full_name", "Defendant.full_name", "DefendantAlias.value",
            "CaseNote.body", "DamageHead.description",
            "NonPunishmentRecord.description"} <= found  # fmt: skip

    dump = raw_dump(tmp_path)
    assert b"lz1:" in dump  # the dump has the rows, encrypted
    leaks = sorted({where for where, value in values if value.encode() in dump})
    assert leaks == []
