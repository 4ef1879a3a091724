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
from django.utils.translation import gettext as _

from claims import ledger
from claims import selectors as claim_selectors
from claims.models import Award, CivilClaim, StateAidApplication
from legalaid import selectors as legalaid_selectors
from legalaid.errors import Conflict
from legalaid.models import Case, DesignationStatus, Guardian, NonPunishmentRecord, Party

from .models import DocumentKind

Snapshot = dict[str, Any]


@dataclass(frozen=True)
class Subject:
    """What a document is about beyond its case (the kinds that need it)."""

    claim: CivilClaim | None = None
    state_aid_application: StateAidApplication | None = None
    debtor: Party | None = None
    guardian: Guardian | None = None
    nonpunishment_record: NonPunishmentRecord | None = None


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
        "prosecutor_notice_number": case.prosecutor_notice_number,
        "language_of_proceedings": case.language_id,
    }


def _office(case: Case) -> Snapshot:
    office = case.office
    return {"name": office.name, "bar": office.bar.name, "email": office.email}


def _lawyer(case: Case, *, required: bool = True) -> Snapshot | None:
    designation = legalaid_selectors.case_active_designation(case)
    if designation is None or designation.status != DesignationStatus.ACCEPTED:
        if required:
            raise Conflict(_("No lawyer has accepted a designation in this case yet."))
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
        raise Conflict(_("This case has no civil claim yet."))
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
        raise Conflict(_("No lawyer is designated in this case."))
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
        raise Conflict(_("This case has no application for state aid yet."))
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


def _interest_lines(lines: Any, award_ids: set[int] | None = None) -> list[Snapshot]:
    return [
        {
            "award": line.award_id,
            "from": _date(line.first_day),
            "to": _date(line.last_day),
            "days": line.days,
            "base": _money(line.base),
            "percent": str(line.percent),
            "year_days": line.year_days,
            "amount": _money(line.amount),
        }
        for line in lines
        if award_ids is None or line.award_id in award_ids
    ]


def _head(head: Any) -> Snapshot:
    flat = None
    if head.flat_rate_id is not None:
        rate = head.flat_rate
        flat = {
            "item": rate.item,
            "edition": rate.edition_id,
            "unit": rate.unit,
            "quantity": str(head.quantity),
            "unit_amount": _money(head.unit_amount),
        }
    return {
        "id": head.pk,
        "kind": head.kind,
        "description": head.description,
        "amount": _money(head.amount_claimed),
        "flat_rate": flat,
    }


def _award(award: Award, balance: ledger.Balance | None) -> Snapshot:
    return {
        "id": award.pk,
        "kind": award.kind,
        "description": award.description,
        "amount": _money(award.amount),
        "judgment_given_on": _date(award.judgment.given_on),
        "judgment_reference": award.judgment.reference,
        "debtors": [party.defendant.full_name for party in award.debtors.all()],
        "interest_kind": award.interest_kind,
        "interest_from": _date(award.interest_from),
        "fixed_percent": None if award.fixed_percent is None else str(award.fixed_percent),
        "interest": _money(balance.interest) if balance else None,
        "paid": _money(balance.paid) if balance else None,
        "outstanding": _money(balance.outstanding) if balance else None,
    }


def claim_statement(case: Case, language: str, subject: Subject) -> Snapshot:
    """Parties, the facts in short, the damage table (Indicative-Table computations shown), and
    the interest: after a judgment, the awards with the ledger's interest statement and balances;
    before one, the compensatory interest on the heads claimed from the start of the facts (or
    the constitution) to the issue date, computed by the same ledger at the legal rates."""
    claim = _claim(case, subject.claim)
    today = timezone.localdate()
    heads = list(claim.damage_heads.select_related("flat_rate").order_by("pk"))
    total_claimed = sum((h.amount_claimed for h in heads), Decimal("0"))
    counted = claim_selectors.claim_ledger_with_awards(claim, as_of=today, debtor_names=True)
    awards, balances = counted.awards, counted.ledger
    victim = _victim_identity(case)
    born = case.victim.date_of_birth
    started = case.facts_started_on
    interest: Snapshot
    if awards:
        interest = {
            "basis": "awards",
            "awards": [_award(award, balances.awards.get(award.pk)) for award in awards],
            "lines": _interest_lines(balances.interest_lines),
            "totals": {
                "principal": _money(balances.totals.principal),
                "costs": _money(balances.totals.costs),
                "interest": _money(balances.totals.interest),
                "paid": _money(balances.totals.paid),
                "outstanding": _money(balances.totals.outstanding),
            },
        }
    else:
        start = started or claim.constituted_on or today
        provisional = ledger.compute(
            [
                ledger.Award(
                    id=head.pk,
                    kind="damages",
                    amount=head.amount_claimed,
                    debtors=frozenset({0}),
                    interest=ledger.Interest(kind="compensatory", start=start),
                )
                for head in heads
            ],
            [],
            as_of=today,
            rates=claim_selectors.legal_rate_periods(),
        )
        interest = {
            "basis": "claimed",
            "from": _date(start),
            "lines": _interest_lines(provisional.interest_lines),
            "totals": {
                "principal": _money(provisional.totals.principal),
                "interest": _money(provisional.totals.interest),
                "outstanding": _money(provisional.totals.outstanding),
            },
        }
    return {
        **_common(DocumentKind.CLAIM_STATEMENT, case, language),
        "lawyer": _lawyer(case),
        "victim": victim,
        "claim": {
            "id": claim.pk,
            "stage": claim.stage,
            "court": claim.court,
            "constituted_on": _date(claim.constituted_on),
        },
        "defendants": _parties(claim.defendants.all()),
        "facts": {
            "started_on": _date(started),
            "age_at_start": None
            if started is None
            else started.year - born.year - ((started.month, started.day) < (born.month, born.day)),
            "repeat_victimisation": case.is_repeat_victimisation,
        },
        "damage_heads": [_head(head) for head in heads],
        "total_claimed": _money(total_claimed),
        "interest": interest,
    }


def _initials(case: Case) -> str:
    victim = case.victim
    names = f"{victim.given_names} {victim.family_name}".split()
    return "".join(f"{name[0].upper()}." for name in names if name)


def statement_of_account(case: Case, language: str, subject: Subject) -> Snapshot:
    """What one debtor owes at the issue date: every award they are liable for (joint ones in
    full), its interest by period and rate, what was paid on it, and what is outstanding. The
    victim appears by initials only: the statement is addressed to the debtor."""
    claim = _claim(case, subject.claim)
    debtor = subject.debtor
    assert debtor is not None  # the service requires it
    today = timezone.localdate()
    counted = claim_selectors.claim_ledger_with_awards(claim, as_of=today, debtor_names=True)
    balances = counted.ledger
    figures = balances.debtors.get(debtor.pk)
    if figures is None:
        raise Conflict(_("This party owes nothing under the judgments of this claim."))
    award_ids = set(figures.award_ids)
    awards = [award for award in counted.awards if award.pk in award_ids]
    own_payments = [
        {
            "paid_on": _date(application.payment.paid_on),
            "amount": _money(application.payment.amount),
        }
        for application in balances.applications
        if application.payment.payer == debtor.pk
    ]
    rows = [_award(award, balances.awards.get(award.pk)) for award in awards]
    return {
        **_common(DocumentKind.STATEMENT_OF_ACCOUNT, case, language),
        "as_of": _date(today),
        "lawyer": _lawyer(case),
        "creditor_initials": _initials(case),
        "claim": {"id": claim.pk, "court": claim.court},
        "debtor": {
            "id": debtor.pk,
            "name": debtor.defendant.full_name,
            "role": debtor.role,
        },
        "awards": rows,
        "lines": _interest_lines(balances.interest_lines, award_ids),
        "payments_by_debtor": own_payments,
        "totals": {
            "awarded": _money(sum((award.amount for award in awards), Decimal("0"))),
            "interest": _money(sum((balances.awards[a].interest for a in award_ids), Decimal("0"))),
            "paid": _money(sum((balances.awards[a].paid for a in award_ids), Decimal("0"))),
            "paid_by_debtor": _money(figures.paid),
            "outstanding_costs": _money(figures.outstanding_costs),
            "outstanding_interest": _money(figures.outstanding_interest),
            "outstanding_principal": _money(figures.outstanding_principal),
            "outstanding": _money(figures.outstanding),
        },
    }


def nonpunishment_memorandum(case: Case, language: str, subject: Subject) -> Snapshot:
    """The request to the prosecutor or the court, from the record: the offence, the victim's age
    then, each indicator of the exploitation with its note and evidence, the legal bases and the
    measure asked (the record's latest request). The lawyer's own assessment of the record's
    strength stays out: it is the lawyer's working material, not the prosecutor's reading."""
    record = subject.nonpunishment_record
    assert record is not None  # the service resolves it
    request = record.requests.order_by("-requested_on", "-pk").first()
    if request is None:
        raise Conflict(_("Record what is asked of the prosecutor or the court first."))
    return {
        **_common(DocumentKind.NON_PUNISHMENT_MEMORANDUM, case, language),
        "lawyer": _lawyer(case),
        "victim": _victim_identity(case),
        "trafficking_defendants": _parties(
            case.parties.filter(role__in=["pimp", "recruiter", "co_accused"])
        ),
        "record": {
            "id": record.pk,
            "category": record.category.label(language),
            "description": record.description,
            "proceeding_reference": record.proceeding_reference,
            "committed_from": _date(record.committed_from),
            "committed_until": _date(record.committed_until),
            "age_at_offence": record.victim_age_at_offence,
            "age_at_end": record.victim_age_at_end,
        },
        "indicators": [
            {
                "code": link.indicator.code,
                "label": link.indicator.label(language),
                "note": link.note,
                "evidence": [
                    {
                        "kind": item.kind,
                        "description": item.description,
                        "reference": item.reference,
                        "dated_on": _date(item.dated_on),
                    }
                    for item in link.evidence.order_by("dated_on", "pk")
                ],
            }
            for link in record.links.select_related("indicator").order_by("pk")
        ],
        "request": {
            "addressee": request.addressee,
            "measure": request.measure,
            "requested_on": _date(request.requested_on),
            "legal_bases": [
                {"code": basis.code, "label": basis.label(language)}
                for basis in request.legal_bases.order_by("position", "code")
            ],
        },
    }


BUILDERS: dict[str, Callable[[Case, str, Subject], Snapshot]] = {
    DocumentKind.DESIGNATION_LETTER: designation_letter,
    DocumentKind.CIVIL_PARTY_CONSTITUTION: civil_party_constitution,
    DocumentKind.STATE_AID_COVER_LETTER: state_aid_cover_letter,
    DocumentKind.GUARDIAN_STATUS_LETTER: guardian_status_letter,
    DocumentKind.CLAIM_STATEMENT: claim_statement,
    DocumentKind.STATEMENT_OF_ACCOUNT: statement_of_account,
    DocumentKind.NON_PUNISHMENT_MEMORANDUM: nonpunishment_memorandum,
}


def build(kind: str, *, case: Case, language: str, subject: Subject) -> Snapshot:
    return BUILDERS[kind](case, language, subject)
