"""The restore drill's world and its measures, run in a subprocess against the database of
DATABASE_URL (a throwaway one: the drill drops it), as `python -m tests.operations.drill write`
and `python -m tests.operations.drill measure '<the JSON write printed>'`.

`write`, after `migrate` and `load_demo_data`: a day of the office's work through the services —
three intakes (each designated by the engine), the demo lawyer's answer to their proposal, two
payments on the demo judgment, a designation letter and a statement of account rendered (tasks
inline: no REDIS_URL) — then the audit trail sealed. Prints what `measure` needs as JSON.

`measure`: the row count of every table, `audit_verify`'s chain head, the demo claim's balances
to the cent (claims.selectors.claim_ledger), and the sha256 of the designation letter as the API
downloads it (the download is audited: it comes after the counts and the chain are taken)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import sys
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import django


def write() -> dict[str, Any]:
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from claims.models import Judgment, PayerKind, PaymentDestination
    from claims.selectors import judgment_debtors
    from claims.services.payments import payment_record
    from documents.models import DocumentKind, DocumentStatus
    from documents.selectors import case_for_documents
    from documents.services import document_request
    from documents.snapshots import Subject
    from legalaid.models import Designation, DesignationStatus, Language, User
    from legalaid.services.audit_chain import audit_chain_seal
    from legalaid.services.cases import case_intake
    from legalaid.services.designations import designation_accept

    today = timezone.localdate()
    office = User.objects.get(username="office")
    lawyer = User.objects.get(username="lawyer")
    assert office.office is not None
    for number, given in enumerate(("Amber", "Bruno", "Celine")):
        case_intake(
            actor=office,
            office=office.office,
            given_names=f"{given} Drill",
            family_name="Restore",
            date_of_birth=today - dt.timedelta(days=15 * 365 + 40 * number),
            victim_language=Language.objects.get(pk="nl"),
            district=office.office.bar.district,
            national_number=None,
        )
    proposal = Designation.objects.get(lawyer__user=lawyer, status=DesignationStatus.PROPOSED)
    designation_accept(actor=lawyer, designation=proposal)
    judgment = Judgment.objects.select_related("claim__case").get(
        claim__case__designations__lawyer__user=lawyer,
        claim__case__designations__status=DesignationStatus.ACCEPTED,
    )
    pimp = judgment_debtors(judgment).order_by("pk").first()
    for amount, reference in (("125.00", "Drill morning"), ("80.55", "Drill afternoon")):
        payment_record(
            actor=lawyer,
            judgment=judgment,
            amount=Decimal(amount),
            paid_on=today,
            payer_kind=PayerKind.DEFENDANT,
            payer_party=pimp,
            destination=PaymentDestination.BLOCKED_ACCOUNT_MINOR,
            reference=reference,
        )
    case = judgment.claim.case
    letter, _ = document_request(
        actor=office,
        case=case_for_documents(office, case.pk),
        kind=DocumentKind.DESIGNATION_LETTER,
    )
    statement, _ = document_request(
        actor=lawyer,
        case=case_for_documents(lawyer, case.pk),
        kind=DocumentKind.STATEMENT_OF_ACCOUNT,
        subject=Subject(claim=judgment.claim, debtor=pimp),
    )
    for document in (letter, statement):
        document.refresh_from_db()
        assert document.status == DocumentStatus.READY, (document.kind, document.status)
    audit_chain_seal()
    return {
        "document": letter.pk,
        "document_sha256": letter.file_sha256,
        "claim": judgment.claim_id,
        "as_of": today.isoformat(),
        "token": Token.objects.get_or_create(user=office)[0].key,
    }


def _plain(value: Any) -> Any:
    """A ledger as JSON: Decimals as their exact text ("1234.56"), dates in ISO form."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal | dt.date):
        return str(value)
    return value


def measure(world: dict[str, Any]) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from claims.models import CivilClaim
    from claims.selectors import claim_ledger
    from legalaid.services.audit_chain import audit_chain_verify

    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    chain = audit_chain_verify()
    ledger = claim_ledger(
        CivilClaim.objects.get(pk=world["claim"]), as_of=dt.date.fromisoformat(world["as_of"])
    )
    response = Client().get(
        f"/api/v1/documents/{world['document']}/download/",
        HTTP_AUTHORIZATION=f"Token {world['token']}",
    )
    body = response.getvalue()
    return {
        "counts": counts,
        "chain": {
            "intact": chain.intact,
            "checked": chain.checked,
            "head_position": chain.head_position,
            "head_hash": chain.head_hash,
            "unsealed": chain.unsealed,
        },
        "balances": _plain(ledger),
        "download": {"status": response.status_code, "sha256": hashlib.sha256(body).hexdigest()},
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    if sys.argv[1] == "write":
        print(json.dumps(write()))
    else:
        print(json.dumps(measure(json.loads(sys.argv[2]))))
