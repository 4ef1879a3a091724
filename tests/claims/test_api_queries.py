"""Queries per request of a claim's balances (benchmarks/api_load.py measures it under load): a
fixed number, whatever the number of awards, debtors and payments. Requests carry a real token,
as integrations send it. Today is frozen (tests/claims/conftest.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.models import AwardKind, InterestKind, PayerKind, PaymentDestination
from claims.services.judgments import award_record
from claims.services.payments import payment_record
from legalaid.models import Party, PartyRole, User
from legalaid.services.parties import party_add
from tests.cast import Cast
from tests.claims.api_world import build_claims


def balances(user: User, claim_id: int) -> tuple[int, Any]:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/v1/claims/{claim_id}/balances/?as_of=2026-06-30")
    assert response.status_code == 200, response.content
    return len(captured.captured_queries), response.json()


def joint_damages_with_a_client(cast: Cast, judgment: Any) -> Party:
    """A client joins the case, and the judgment awards damages with moratory interest against
    the pimp and that client jointly; returns the client."""
    client = party_add(actor=cast.office_a, case=cast.case_a, role=PartyRole.CLIENT,
                       full_name="Karel Klant")  # fmt: skip
    award_record(
        actor=cast.lawyer_a, judgment=judgment, kind=AwardKind.DAMAGES, amount=Decimal("1000.00"),
        debtors=[cast.party_a, client], interest_kind=InterestKind.MORATORY,
        interest_from=dt.date(2025, 6, 2),
    )  # fmt: skip
    return client


def test_the_balances_cost_eight_queries_however_many_awards_and_payments(
    frozen_today: dt.date, cast: Cast
) -> None:
    """The token; the claim with its case; the judgments, their awards, the awards' debtors
    (roles included: no second read of awards or parties); the payments; the legal-rate table;
    the audit row of the read. The accepted lawyer's scope costs one more (their designation)."""
    objs = build_claims(cast)
    claim, judgment = objs["claim_a"], objs["judgment_a"]
    before = [balances(user, claim.pk)[0] for user in (cast.office_a, cast.lawyer_a)]

    client = joint_damages_with_a_client(cast, judgment)
    award_record(
        actor=cast.lawyer_a, judgment=judgment, kind=AwardKind.COSTS, amount=Decimal("300.00"),
        debtors=[client],
    )  # fmt: skip
    for month in range(6):
        payment_record(
            actor=cast.lawyer_a, judgment=judgment, amount=Decimal("100.00"),
            paid_on=dt.date(2025, 10 + month % 3, 1 + month), payer_kind=PayerKind.DEFENDANT,
            payer_party=client if month % 2 else cast.party_a,
            destination=PaymentDestination.BLOCKED_ACCOUNT_MINOR,
        )  # fmt: skip
    after, body = balances(cast.office_a, claim.pk)

    assert (len(body["awards"]), len(body["debtors"])) == (3, 2)
    assert {debtor["party"]: debtor["role"] for debtor in body["debtors"]} == {
        cast.party_a.pk: "pimp",
        client.pk: "client",
    }
    assert body["received"] == "850.00"
    assert before == [8, 9]
    assert after == 8


def test_the_balances_read_no_defendant_but_a_document_names_the_debtors(
    frozen_today: dt.date, cast: Cast
) -> None:
    """The API gives debtors as party ids: their defendants (whose names are decrypted) are not
    read. A document, which names them, asks for them and gets them in the same queries."""
    from claims.selectors import claim_ledger_with_awards

    claim = build_claims(cast)["claim_a"]
    as_of = dt.date(2026, 6, 30)

    for names in (False, True):
        counted = claim_ledger_with_awards(claim, as_of=as_of, debtor_names=names)
        debtors = [party for award in counted.awards for party in award.debtors.all()]
        assert debtors, "the world's awards have debtors"
        assert {Party.defendant.is_cached(party) for party in debtors} == {names}


def test_the_written_out_balances_equal_what_drfs_own_fields_give_for_every_ledger_shape(
    frozen_today: dt.date, cast: Cast
) -> None:
    """`LedgerSerializer` writes its output out for speed; DRF's generic walk of the same fields
    must give the same, for ledgers before the judgment (nothing owed), with interest lines, joint
    and separate debtors, payments by other sources, and an overpayment (credit)."""
    from rest_framework import serializers

    from claims.api.serializers import LedgerSerializer
    from claims.api.views import ledger_fields
    from claims.selectors import claim_ledger_with_awards

    objs = build_claims(cast)
    claim, judgment = objs["claim_a"], objs["judgment_a"]
    client = joint_damages_with_a_client(cast, judgment)
    payments = [
        (dt.date(2025, 9, 1), Decimal("250.00"), PayerKind.DEFENDANT, client),
        (dt.date(2025, 12, 15), Decimal("99.99"), PayerKind.STATE_FUND, None),
        (dt.date(2026, 3, 1), Decimal("90000.00"), PayerKind.DEFENDANT, cast.party_a),
    ]
    dates = [dt.date(2024, 1, 1), dt.date(2025, 8, 1), dt.date(2025, 12, 31), frozen_today]
    for paid_on, amount, payer_kind, payer in payments:
        payment_record(
            actor=cast.lawyer_a, judgment=judgment, amount=amount, paid_on=paid_on,
            payer_kind=payer_kind, payer_party=payer,
            destination=PaymentDestination.BLOCKED_ACCOUNT_MINOR,
        )  # fmt: skip

    seen: set[str] = set()
    for other in (objs["claim_b"], claim):
        for as_of in dates:
            fields = ledger_fields(other, claim_ledger_with_awards(other, as_of=as_of))
            written_out = LedgerSerializer(fields).data
            by_fields = serializers.Serializer.to_representation(LedgerSerializer(), fields)
            assert written_out == by_fields
            seen |= {key for key, value in written_out.items() if value not in ([], "0.00")}
            if written_out["credit"] != "0.00":
                seen.add("overpaid")
            if any(row["awards"] and len(row["awards"]) > 1 for row in written_out["debtors"]):
                seen.add("a debtor of several awards")
    assert {"interest_lines", "awards", "debtors", "overpaid", "received_from_other_sources",
            "a debtor of several awards"} <= seen  # fmt: skip
