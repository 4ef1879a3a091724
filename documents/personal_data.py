"""What a person's copy of their file holds (GDPR articles 15 and 20): read, never written here.

`collect` gathers, for the person of a victim's record (every linked record: repeat
victimisation), what the office that produces the copy holds about them, as one JSON object
described by `personal_data_export.schema.json` (beside this file):

- identity: each record of the person (names, birth date, national number, nationality);
- every case of the person held by the office producing the copy (another office is the
  controller of its own cases and answers for them), with:
  - designations: the lawyers' names and professional contact details (professional data);
  - parties: each defendant's role in the case, their lawyer, and the defendant's name as the
    case records it when the person asks once of age (it is in the case's court papers, which
    they receive too). When a guardian asks for a minor, the defendants' names are withheld:
    guardians never see defendants' identities (a guardian may be unfit or involved);
  - guardians' accesses (relationship and dates, not the guardian's own contact details);
  - the office's notes (a lawyer's privileged notes are withheld);
  - the civil claims: heads of damage, judgments, awards, payments, and the balances as of today
    (`claims.selectors.claim_ledger`);
  - the documents issued: every version listed; the PDFs of the kinds the office may read
    (`kinds.OFFICE_KINDS`) are in the ZIP, byte for byte as issued. The lawyer's own work
    product (claim statement, non-punishment memorandum) is listed but withheld; for a
    guardian's request, the PDFs that name the defendants are withheld too;
  - the non-punishment records less the lawyer's privileged work: the category, dates, what was
    asked of whom, the indicators, the decision; withheld (legal professional privilege) are
    the record's `PRIVILEGED_FIELDS` (the offence's description and proceeding reference, the
    lawyer's assessment and its reasoning), the assessment's date, the notes on the indicators
    and the evidence items. The person can ask their lawyer, who keeps them;
- who read the file and when: the audit trail's reads and downloads on these cases, with the
  reader's role, and the name of a lawyer, office staff member or office (professional data); a
  guardian who read is named by role only.

Texts in the copy (labels, the withheld notices) are in the copy's language (nl, fr or de)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from claims import selectors as claims_selectors
from claims.ledger import LedgerError
from claims.models import CivilClaim
from legalaid.errors import NotFound
from legalaid.models import (
    AuditEvent,
    Case,
    CaseNote,
    Designation,
    GuardianAccess,
    NonPunishmentRecord,
    NoteKind,
    Party,
    Role,
    User,
    Victim,
)

from .kinds import OFFICE_KINDS
from .models import Document, DocumentKind, DocumentStatus, ExportOnBehalfOf, PersonalDataExport

SCHEMA_PATH = Path(__file__).resolve().parent / "personal_data_export.schema.json"
SCHEMA_VERSION = "1"

# The PDFs a copy carries, by who asked: what the office may read, less the lawyer's work
# product; for a guardian, less the papers that name the defendants.
PDF_KINDS: dict[str, frozenset[str]] = {
    ExportOnBehalfOf.VICTIM: OFFICE_KINDS,
    ExportOnBehalfOf.GUARDIAN: OFFICE_KINDS
    - {DocumentKind.CIVIL_PARTY_CONSTITUTION, DocumentKind.STATEMENT_OF_ACCOUNT},
}
LAWYER_WORK_KINDS = frozenset(DocumentKind) - OFFICE_KINDS

# What the audit trail calls a read of the file.
READ_ACTIONS = Q(action__contains=".read_") | Q(action__endswith=".download")

# The copy's own sentences, per language (as the documents' texts are: written per language).
TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "privilege": "Beroepsgeheim van de advocaat: dit is het werk van de advocaat (beoordeling, "
        "strategie, notities). Het bureau dat deze kopie maakt, mag het niet lezen. Vraag het aan "
        "de advocaat, die het bewaart.",
        "nonpunishment": "Van elk dossier over niet-bestraffing: de omschrijving van het feit en "
        "de referentie van de procedure, de beoordeling van de advocaat en de motivering ervan, "
        "de notities bij de aanwijzingen en de bewijsstukken.",
        "notes": "De vertrouwelijke notities van de advocaat.",
        "lawyer_documents": "De conclusies en de nota over niet-bestraffing (stukken van de "
        "advocaat): ze staan in de lijst, maar het bestand zit niet in deze kopie.",
        "defendants": "De namen van de beklaagden en de stukken die ze vermelden: een voogd "
        "krijgt de identiteit van de beklaagden nooit te zien.",
        "defendants_why": "Bescherming van het kind: een voogd kan zelf betrokken zijn.",
        "other_offices": "Dossiers van een ander bureau voor juridische bijstand: vraag ze aan "
        "dat bureau.",
        "other_offices_why": "Elk bureau is verantwoordelijk voor zijn eigen dossiers.",
    },
    "fr": {
        "privilege": "Secret professionnel de l'avocat : c'est le travail de l'avocat "
        "(appréciation, stratégie, notes). Le bureau qui établit cette copie ne peut pas le lire. "
        "Demandez-le à l'avocat, qui le conserve.",
        "nonpunishment": "De chaque dossier de non-sanction : la description des faits et la "
        "référence de la procédure, l'appréciation de l'avocat et sa motivation, les notes sur "
        "les indices et les éléments de preuve.",
        "notes": "Les notes confidentielles de l'avocat.",
        "lawyer_documents": "Les conclusions et la note de non-sanction (pièces de l'avocat) : "
        "elles figurent dans la liste, mais le fichier n'est pas dans cette copie.",
        "defendants": "Les noms des prévenus et les pièces qui les citent : un tuteur ne voit "
        "jamais l'identité des prévenus.",
        "defendants_why": "Protection de l'enfant : un tuteur peut lui-même être impliqué.",
        "other_offices": "Les dossiers d'un autre bureau d'aide juridique : demandez-les à ce "
        "bureau.",
        "other_offices_why": "Chaque bureau est responsable de ses propres dossiers.",
    },
    "de": {
        "privilege": "Berufsgeheimnis des Anwalts: Das ist die Arbeit des Anwalts (Einschätzung, "
        "Strategie, Notizen). Das Büro, das diese Kopie erstellt, darf sie nicht lesen. Fragen "
        "Sie den Anwalt, der sie aufbewahrt.",
        "nonpunishment": "Aus jeder Akte zur Straffreiheit: die Beschreibung der Tat und das "
        "Aktenzeichen des Verfahrens, die Einschätzung des Anwalts und ihre Begründung, die "
        "Notizen zu den Hinweisen und die Beweisstücke.",
        "notes": "Die vertraulichen Notizen des Anwalts.",
        "lawyer_documents": "Der Schriftsatz und die Denkschrift zur Straffreiheit (Schriftstücke "
        "des Anwalts): Sie stehen in der Liste, die Datei ist aber nicht in dieser Kopie.",
        "defendants": "Die Namen der Angeklagten und die Schriftstücke, die sie nennen: Ein "
        "Vormund sieht die Identität der Angeklagten nie.",
        "defendants_why": "Schutz des Kindes: Ein Vormund kann selbst beteiligt sein.",
        "other_offices": "Akten eines anderen Büros für juristischen Beistand: Fragen Sie dort.",
        "other_offices_why": "Jedes Büro ist für seine eigenen Akten verantwortlich.",
    },
}


@dataclass
class Collected:
    """The JSON of the copy, and the issued documents whose PDFs go into the ZIP (by path)."""

    data: dict[str, Any]
    pdfs: dict[str, Document] = field(default_factory=dict)


def person_records(victim: Victim) -> list[Victim]:
    """Every record of the person: the first one and the later ones that point to it."""
    first = victim.first_record_id
    return list(Victim.objects.filter(Q(pk=first) | Q(earlier_record_id=first)).order_by("pk"))


def _day(value: dt.date | dt.datetime | None) -> str | None:
    """ISO 8601; a moment in local time, with its offset."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat() if value is not None else None


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _identity(record: Victim) -> dict[str, Any]:
    return {
        "record": record.pseudonym,
        "given_names": record.given_names,
        "family_name": record.family_name,
        "date_of_birth": _day(record.date_of_birth),
        "national_number": record.national_number or None,
        "nationality": record.nationality or None,
        "language": record.language_id,
        "recorded_at": _day(record.created_at),
        "earlier_record": record.earlier_record.pseudonym if record.earlier_record else None,
    }


def _lawyer(lawyer: Any) -> dict[str, Any] | None:
    if lawyer is None:
        return None
    return {
        "name": f"{lawyer.given_name} {lawyer.family_name}",
        "email": lawyer.email,
        "phone": lawyer.phone or None,
    }


def _designations(case: Case) -> list[dict[str, Any]]:
    rows = Designation.objects.filter(case=case).select_related("lawyer").order_by("proposed_at")
    return [
        {
            "lawyer": _lawyer(row.lawyer),
            "status": row.status,
            "status_label": row.get_status_display(),
            "method": row.method,
            "proposed_at": _day(row.proposed_at),
            "decided_at": _day(row.decided_at),
        }
        for row in rows
    ]


def _parties(case: Case, *, names: bool) -> list[dict[str, Any]]:
    rows = Party.objects.filter(case=case).select_related("defendant", "represented_by")
    return [
        {
            "role": row.role,
            "role_label": row.get_role_display(),
            "defendant_name": row.defendant.full_name if names else None,
            "represented_by": (
                _lawyer(row.represented_by)["name"]  # type: ignore[index]
                if row.represented_by
                else (row.represented_by_name or None)
            ),
        }
        for row in rows
    ]


def _accesses(case: Case) -> list[dict[str, Any]]:
    rows = GuardianAccess.objects.filter(case=case).select_related("guardian")
    return [
        {
            "relationship": row.guardian.relationship,
            "relationship_label": row.guardian.get_relationship_display(),
            "granted_at": _day(row.granted_at),
            "ends_on": _day(row.ends_on),
            "revoked_at": _day(row.revoked_at),
        }
        for row in rows.order_by("granted_at", "pk")
    ]


def _balances(claim: CivilClaim, as_of: dt.date) -> dict[str, Any] | None:
    try:
        ledger = claims_selectors.claim_ledger(claim, as_of=as_of)
    except LedgerError:  # a year the legal-rate table lacks: no balance rather than a wrong one
        return None
    totals = ledger.totals
    return {
        "as_of": _day(as_of),
        "principal": _money(totals.principal),
        "costs": _money(totals.costs),
        "interest": _money(totals.interest),
        "due": _money(totals.due),
        "paid": _money(totals.paid),
        "outstanding": _money(totals.outstanding),
        "received": _money(ledger.received),
    }


def _claims(case: Case, as_of: dt.date) -> list[dict[str, Any]]:
    claims = []
    for claim in claims_selectors.claim_list_for_case(case):
        detailed = claims_selectors.claim_with_details(claim.pk)
        judgments = []
        for judgment in detailed.judgments.all():
            judgments.append(
                {
                    "given_on": _day(judgment.given_on),
                    "court": judgment.court,
                    "status": judgment.status,
                    "awards": [
                        {
                            "kind": award.kind,
                            "kind_label": award.get_kind_display(),
                            "amount": _money(award.amount),
                            "interest_kind": award.interest_kind,
                            "interest_from": _day(award.interest_from),
                        }
                        for award in judgment.awards.all()
                    ],
                    "payments": [
                        {
                            "paid_on": _day(payment.paid_on),
                            "amount": _money(payment.amount),
                            "payer_kind": payment.payer_kind,
                            "is_reversal": payment.reverses_id is not None,
                            "reversed": hasattr(payment, "reversal"),
                        }
                        for payment in claims_selectors.payment_list_for_judgment(judgment)
                    ],
                }
            )
        claims.append(
            {
                "stage": detailed.stage,
                "court": detailed.court,
                "constituted_on": _day(detailed.constituted_on),
                "status": detailed.status,
                "status_label": detailed.get_status_display(),
                "damage_heads": [
                    {
                        "kind": head.kind,
                        "kind_label": head.get_kind_display(),
                        "description": head.description,
                        "amount_claimed": _money(head.amount_claimed),
                    }
                    for head in detailed.damage_heads.all()
                ],
                "judgments": judgments,
                "balances": _balances(claim, as_of),
            }
        )
    return claims


def _documents(case: Case, pdf_kinds: frozenset[str], pdfs: dict[str, Document]) -> list[Any]:
    rows = []
    for document in Document.objects.filter(case=case).order_by("kind", "version", "pk"):
        path = None
        withheld = None
        if document.status == DocumentStatus.READY:
            if document.kind in pdf_kinds:
                path = (
                    f"documents/{case.reference}-{document.kind}-v{document.version}-"
                    f"{document.language_id}.pdf"
                )
                pdfs[path] = document
            else:
                withheld = "privilege" if document.kind in LAWYER_WORK_KINDS else "defendants"
        rows.append(
            {
                "kind": document.kind,
                "kind_label": document.get_kind_display(),
                "version": document.version,
                "language": document.language_id,
                "status": document.status,
                "requested_at": _day(document.requested_at),
                "finished_at": _day(document.finished_at),
                "file_sha256": document.file_sha256 or None,
                "file": path,
                "withheld": withheld,
            }
        )
    return rows


def _nonpunishment(case: Case, language: str) -> list[dict[str, Any]]:
    records = (
        NonPunishmentRecord.objects.filter(case=case)
        .select_related("category")
        .prefetch_related("links__indicator", "requests__legal_bases")
    )
    rows = []
    for record in records:
        rows.append(
            {
                "category": record.category.code,
                "category_label": record.category.label(language),
                "committed_from": _day(record.committed_from),
                "committed_until": _day(record.committed_until),
                "indicators": sorted(link.indicator.code for link in record.links.all()),
                "requests": [
                    {
                        "addressee": request.addressee,
                        "measure": request.measure,
                        "requested_on": _day(request.requested_on),
                        "legal_bases": sorted(basis.code for basis in request.legal_bases.all()),
                    }
                    for request in record.requests.all()
                ],
                "decision": record.decision,
                "decision_label": record.get_decision_display(),
                "decided_on": _day(record.decided_on),
                "withheld": sorted(
                    {
                        *NonPunishmentRecord.PRIVILEGED_FIELDS,
                        "assessed_at",
                        "indicator_notes",
                        "evidence",
                    }
                ),
            }
        )
    return rows


def _reader(actor: User | None) -> dict[str, Any]:
    if actor is None:
        return {"role": "system", "name": None, "office": None}
    role = actor.role
    if role == Role.LAWYER:
        lawyer = getattr(actor, "lawyer", None)
        name = _lawyer(lawyer)["name"] if lawyer else actor.get_full_name() or None  # type: ignore[index]
        return {"role": role, "name": name, "office": None}
    if role == Role.OFFICE:
        office = actor.office.name if actor.office else None
        return {"role": role, "name": actor.get_full_name() or None, "office": office}
    if role == Role.ADMIN:
        return {"role": role, "name": actor.get_full_name() or None, "office": None}
    return {"role": role, "name": None, "office": None}  # a guardian: by role only


def _reads(cases: list[Case]) -> list[dict[str, Any]]:
    references = {case.pk: case.reference for case in cases}
    events = (
        AuditEvent.objects.filter(READ_ACTIONS, case_id__in=list(references))
        .select_related("actor", "actor__office", "actor__lawyer")
        .order_by("at", "pk")
    )
    return [
        {
            "at": _day(event.at),
            "case": references.get(event.case_id or 0),
            "action": event.action,
            "reader": _reader(event.actor),
        }
        for event in events
    ]


def collect(export: PersonalDataExport) -> Collected:
    """The copy's JSON (and the PDFs to add), in the export's language."""
    language = export.language_id
    guardian = export.on_behalf_of == ExportOnBehalfOf.GUARDIAN
    texts = TEXTS[language]
    as_of = timezone.localdate()
    records = person_records(export.victim)
    office = export.case.office
    all_cases = Case.objects.filter(victim__in=records).select_related(
        "office", "district", "language", "victim"
    )
    cases = [case for case in all_cases.order_by("intake_on", "pk") if case.office_id == office.pk]
    collected = Collected(data={})
    pdf_kinds = PDF_KINDS[export.on_behalf_of]
    with translation.override(language):
        case_rows = []
        for case in cases:
            notes = CaseNote.objects.filter(case=case).order_by("created_at", "pk")
            case_rows.append(
                {
                    "reference": case.reference,
                    "record": case.victim.pseudonym,
                    "office": case.office.name,
                    "district": case.district_id,
                    "language": case.language_id,
                    "status": case.status,
                    "status_label": case.get_status_display(),
                    "intake_on": _day(case.intake_on),
                    "facts_started_on": _day(case.facts_started_on),
                    "closed_on": _day(case.closed_on),
                    "close_reason": case.close_reason or None,
                    "matters": sorted(case.matters.values_list("code", flat=True)),
                    "prosecutor_notice_number": case.prosecutor_notice_number or None,
                    "investigating_judge": case.investigating_judge or None,
                    "court": case.court or None,
                    "is_repeat_victimisation": case.is_repeat_victimisation,
                    "designations": _designations(case),
                    "parties": _parties(case, names=not guardian),
                    "guardian_accesses": _accesses(case),
                    "office_notes": [
                        {"created_at": _day(note.created_at), "body": note.body}
                        for note in notes
                        if note.kind == NoteKind.OFFICE
                    ],
                    "claims": _claims(case, as_of),
                    "documents": _documents(case, pdf_kinds, collected.pdfs),
                    "nonpunishment_records": _nonpunishment(case, language),
                }
            )
        withheld = [
            {"what": texts["nonpunishment"], "why": texts["privilege"]},
            {"what": texts["notes"], "why": texts["privilege"]},
            {"what": texts["lawyer_documents"], "why": texts["privilege"]},
        ]
        if guardian:
            withheld.append({"what": texts["defendants"], "why": texts["defendants_why"]})
        if len(cases) < all_cases.count():
            withheld.append({"what": texts["other_offices"], "why": texts["other_offices_why"]})
        collected.data = {
            "schema_version": SCHEMA_VERSION,
            "export": {
                "id": export.pk,
                "produced_at": _day(timezone.now()),
                "as_of": _day(as_of),
                "language": language,
                "on_behalf_of": export.on_behalf_of,
                "office": office.name,
            },
            "person": [_identity(record) for record in records],
            "cases": case_rows,
            "reads": _reads(cases),
            "withheld": withheld,
        }
    return collected


def json_bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False).encode()


def schema() -> dict[str, Any]:
    result: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return result


# --- Reads of the copies themselves (office staff of the office that produced them) -----------


def personal_data_export_list_for_case(user: User, case: Case) -> QuerySet[PersonalDataExport]:
    """The copies asked for the person of `case` (a case from the user's scope) in the user's
    office, newest first."""
    records = person_records(case.victim)
    return PersonalDataExport.objects.filter(
        victim__in=records, case__office_id=user.office_id
    ).select_related("case")


def personal_data_export_get_for_user(user: User, pk: int | str) -> PersonalDataExport:
    """A copy produced by the user's office; any other answers NotFound (404)."""
    found = (
        PersonalDataExport.objects.filter(pk=pk, case__office_id=user.office_id)
        .select_related("case")
        .first()
        if user.role == Role.OFFICE and str(pk).isdigit()
        else None
    )
    if found is None:
        raise NotFound(_("No such copy."))
    return found
