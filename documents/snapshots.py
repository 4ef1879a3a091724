"""The data each kind of document shows, copied from the case into one JSON object (the
snapshot). A document is rendered from its snapshot only, and the snapshot is stored with it and
embedded in the PDF, so it holds what the document shows and nothing more: identity data only
where the document legally needs it (the victim's name and date of birth where the victim is a
party or the lawyer must find their client; never a national number; never a defendant's name in
a letter to the guardian).

Builders read through the selectors of legalaid and claims; amounts are strings of Decimals,
dates ISO strings, so the snapshot's JSON (and its hash) is the same on every machine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from claims import selectors as claim_selectors
from claims.models import CivilClaim, StateAidApplication
from legalaid import selectors as legalaid_selectors
from legalaid.errors import Conflict
from legalaid.models import Case, DesignationStatus, Guardian, Party

from .models import DocumentKind

Snapshot = dict[str, Any]


@dataclass(frozen=True)
class Subject:
    """What a document is about beyond its case (the kinds that need it)."""

    claim: CivilClaim | None = None
    state_aid_application: StateAidApplication | None = None
    debtor: Party | None = None
    guardian: Guardian | None = None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.01")))


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _district_name(case: Case, language: str) -> str:
    district = case.district
    return {"nl": district.name_nl, "fr": district.name_fr, "de": district.name_de}[language]


def _case(case: Case, language: str) -> Snapshot:
    return {
        "reference": case.reference,
        "district": _district_name(case, language),
        "court": case.court,
        "investigating_judge": case.investigating_judge,
        "prosecutor_notice_number": case.prosecutor_notice_number,
        "language_of_proceedings": case.language_id,
        "status": case.status,
        "intake_on": _date(case.intake_on),
    }


def _office(case: Case) -> Snapshot:
    office = case.office
    return {"name": office.name, "bar": office.bar.name, "email": office.email}


def _lawyer(case: Case, *, required: bool = True) -> Snapshot | None:
    designation = legalaid_selectors.case_active_designation(case)
    if designation is None or designation.status != DesignationStatus.ACCEPTED:
        if required:
            raise Conflict("No lawyer has accepted a designation in this case yet.")
        return None
    lawyer = designation.lawyer
    return {
        "name": f"{lawyer.given_name} {lawyer.family_name}",
        "email": lawyer.email,
        "phone": lawyer.phone,
        "bar": lawyer.bar.name,
    }


def _victim_identity(case: Case) -> Snapshot:
    victim = case.victim
    return {
        "given_names": victim.given_names,
        "family_name": victim.family_name,
        "date_of_birth": _date(victim.date_of_birth),
        "minor_on_issue": victim.is_minor_on(timezone.localdate()),
    }


def _parties(parties: Any) -> list[Snapshot]:
    return [
        {"name": party.defendant.full_name, "role": party.role}
        for party in parties.select_related("defendant").order_by("pk")
    ]


def _claim(case: Case, claim: CivilClaim | None) -> CivilClaim:
    claim = claim or case.civil_claims.order_by("-created_at", "-pk").first()
    if claim is None:
        raise Conflict("This case has no civil claim yet.")
    return claim


def _common(kind: str, case: Case, language: str) -> Snapshot:
    return {
        "kind": kind,
        "language": language,
        "issued_on": _date(timezone.localdate()),
        "case": _case(case, language),
    }


def designation_letter(case: Case, language: str, subject: Subject) -> Snapshot:
    designation = legalaid_selectors.case_active_designation(case)
    if designation is None:
        raise Conflict("No lawyer is designated in this case.")
    lawyer = designation.lawyer
    victim = case.victim
    return {
        **_common(DocumentKind.DESIGNATION_LETTER, case, language),
        "office": _office(case),
        "lawyer": {
            "name": f"{lawyer.given_name} {lawyer.family_name}",
            "email": lawyer.email,
            "bar": lawyer.bar.name,
        },
        "designation": {
            "status": designation.status,
            "proposed_on": _date(timezone.localdate(designation.proposed_at)),
            "respond_by_date": _date(timezone.localdate(designation.respond_by)),
            "respond_by_time": timezone.localtime(designation.respond_by).strftime("%H:%M"),
            "accepted_on": _date(
                timezone.localdate(designation.decided_at)
                if designation.status == DesignationStatus.ACCEPTED and designation.decided_at
                else None
            ),
            "chosen_by_minor": case.chosen_lawyer_id == lawyer.pk,
        },
        "victim": {**_victim_identity(case), "language": victim.language_id},
        "matters": sorted(case.matters.values_list("name", flat=True)),
        "repeat_victimisation": case.is_repeat_victimisation,
    }


def civil_party_constitution(case: Case, language: str, subject: Subject) -> Snapshot:
    claim = _claim(case, subject.claim)
    heads = list(claim.damage_heads.order_by("pk"))
    guardians = legalaid_selectors.guardian_access_list_for_case(case).filter(
        revoked_at__isnull=True
    )
    return {
        **_common(DocumentKind.CIVIL_PARTY_CONSTITUTION, case, language),
        "lawyer": _lawyer(case),
        "victim": _victim_identity(case),
        "legal_representatives": [
            {"name": access.guardian.full_name, "relationship": access.guardian.relationship}
            for access in guardians.order_by("pk")
        ],
        "claim": {
            "id": claim.pk,
            "stage": claim.stage,
            "court": claim.court,
            "constituted_on": _date(claim.constituted_on),
            "status": claim.status,
        },
        "defendants": _parties(claim.defendants.all()),
        "damage_heads": [
            {
                "kind": head.kind,
                "description": head.description,
                "amount": _money(head.amount_claimed),
            }
            for head in heads
        ],
        "total_claimed": _money(sum((h.amount_claimed for h in heads), Decimal("0"))),
    }


def state_aid_cover_letter(case: Case, language: str, subject: Subject) -> Snapshot:
    application = subject.state_aid_application or (
        StateAidApplication.objects.filter(claim__case=case).order_by("-filed_on", "-pk").first()
    )
    if application is None:
        raise Conflict("This case has no application for state aid yet.")
    claim = application.claim
    judgment = claim.judgments.order_by("-given_on", "-pk").first()
    awarded = (
        claim.judgments.exclude(status="replaced").aggregate(total=Sum("awards__amount"))["total"]
        if judgment is not None
        else None
    )
    return {
        **_common(DocumentKind.STATE_AID_COVER_LETTER, case, language),
        "lawyer": _lawyer(case),
        "victim": _victim_identity(case),
        "application": {
            "id": application.pk,
            "kind": application.kind,
            "filed_on": _date(application.filed_on),
            "amount_requested": _money(application.amount_requested),
            "reference": application.reference,
        },
        "claim": {
            "court": claim.court,
            "constituted_on": _date(claim.constituted_on),
        },
        "judgment": None
        if judgment is None
        else {
            "given_on": _date(judgment.given_on),
            "court": judgment.court,
            "reference": judgment.reference,
            "final_on": _date(judgment.final_on),
            "status": judgment.status,
        },
        "total_awarded": _money(awarded),
        "deadline": _date(claim_selectors.state_aid_deadline(claim)),
    }


def guardian_status_letter(case: Case, language: str, subject: Subject) -> Snapshot:
    guardian = subject.guardian
    assert guardian is not None  # the service resolves it
    claim = case.civil_claims.order_by("-created_at", "-pk").first()
    judgment = None if claim is None else claim.judgments.order_by("-given_on", "-pk").first()
    return {
        **_common(DocumentKind.GUARDIAN_STATUS_LETTER, case, language),
        "guardian": {"name": guardian.full_name, "relationship": guardian.relationship},
        "ward": {"given_names": case.victim.given_names},
        "lawyer": _lawyer(case, required=False),
        "office": _office(case),
        "claim": None
        if claim is None
        else {"status": claim.status, "constituted_on": _date(claim.constituted_on)},
        "judgment": None
        if judgment is None
        else {"given_on": _date(judgment.given_on), "status": judgment.status},
    }


BUILDERS: dict[str, Callable[[Case, str, Subject], Snapshot]] = {
    DocumentKind.DESIGNATION_LETTER: designation_letter,
    DocumentKind.CIVIL_PARTY_CONSTITUTION: civil_party_constitution,
    DocumentKind.STATE_AID_COVER_LETTER: state_aid_cover_letter,
    DocumentKind.GUARDIAN_STATUS_LETTER: guardian_status_letter,
}


def build(kind: str, *, case: Case, language: str, subject: Subject) -> Snapshot:
    return BUILDERS[kind](case, language, subject)
