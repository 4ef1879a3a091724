"""Claims' part of the retention policy (legalaid.services.retention): the descriptions and
evidence of the heads of damage (a minor's health) go; the amounts stay."""

from __future__ import annotations

from legalaid.models import Case
from legalaid.services.retention import ANONYMISED

from .models import DamageHead


def case_anonymise(*, case: Case) -> dict[str, int]:
    heads = DamageHead.objects.filter(claim__case=case)
    return {"damage_heads": heads.update(description=ANONYMISED, evidence="")}
