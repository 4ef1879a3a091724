"""The migration that brings encryption at rest encrypts the rows a database already holds and
computes their blind indexes, so that an existing installation keeps finding repeat victims and
linked defendants after upgrading."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from legalaid import crypto
from legalaid.models import Defendant, DefendantAlias, Victim

BEFORE = [("legalaid", "0012_case_status_stages"), ("claims", "0005_case_status_from_claims"),
          ("documents", "0001_document")]  # fmt: skip
BORN = dt.date(2010, 5, 17)


@pytest.fixture
def before_encryption() -> Iterator[MigrationExecutor]:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    yield executor
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_rows_are_encrypted_and_indexed_by_the_migration(
    before_encryption: MigrationExecutor,
) -> None:
    old = before_encryption.loader.project_state(BEFORE).apps
    nl = old.get_model("legalaid", "Language").objects.get(pk="nl")
    old.get_model("legalaid", "Victim").objects.create(
        pseudonym="V-OLD001", given_names="Éric", family_name="Dupont",
        date_of_birth=BORN, national_number="10051700123", language=nl,
    )  # fmt: skip
    pimp = old.get_model("legalaid", "Defendant").objects.create(
        full_name="Kevin DE SMET", normalised_name="de kevin smet"
    )
    old.get_model("legalaid", "DefendantAlias").objects.create(
        defendant=pimp, kind="handle", value="@KD_Money", normalised_value="kdmoney"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    with connection.cursor() as cursor:
        cursor.execute("SELECT given_names, date_of_birth FROM legalaid_victim")
        stored = cursor.fetchone()
    assert all(str(value).startswith("lz1:dev1:") for value in stored)
    victim = Victim.objects.get(pseudonym="V-OLD001")
    assert (victim.given_names, victim.date_of_birth, victim.national_number) == (
        "Éric",
        BORN,
        "10051700123",
    )
    assert victim.person_index == crypto.person_index("eric", "DUPONT", BORN)
    assert victim.national_number_index == crypto.national_number_index("10051700123")
    assert Defendant.objects.get().name_index == crypto.name_index("Kevin de Smet")
    assert DefendantAlias.objects.get().value_index == crypto.handle_index("kd.money")
