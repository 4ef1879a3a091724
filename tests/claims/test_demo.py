"""The claims demo data, loaded by legalaid's `load_demo_data` through DEMO_DATA_EXTENSIONS."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from claims.models import CivilClaim, DamageHead, Payment, StateAidApplication
from claims.selectors import claim_ledger


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_today")  # interest up to today needs today's year's legal rate
def test_the_demo_loads_a_claim_with_a_joint_award_payments_and_state_aid() -> None:
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115

    claim = CivilClaim.objects.get()
    assert claim.status == "final"
    assert DamageHead.objects.filter(flat_rate__isnull=False).count() == 1
    assert sorted(Payment.objects.values_list("payer_kind", flat=True)) == [
        "defendant", "defendant", "defendant", "state_fund",
    ]  # fmt: skip
    assert StateAidApplication.objects.get().status == "paid"
    ledger = claim_ledger(claim, as_of=timezone.localdate())
    assert [len(balance.award_ids) for balance in ledger.debtors.values()] == [3, 1]
    assert ledger.received == Decimal("2500.00")


@pytest.mark.django_db
@override_settings(DEMO_DATA_EXTENSIONS=[])
def test_without_extensions_the_demo_has_no_claims() -> None:
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert CivilClaim.objects.count() == 0
