"""The non-punishment record's lifecycle (DOMAIN.md §7): the designated lawyer records an offence
the victim is suspected of, links it to the exploitation with indicators and evidence, assesses
it, records what was asked of the prosecutor or the court and what was decided, and may let the
guardian read a neutral line.

Every write is the designated lawyer's (an accepted designation), checks its dates against the
record's and today, and leaves one audit row. The audit trail is read by office staff, so it says
*that* privileged content (descriptions, notes, evidence, the assessment, the requests) was
written, never what it says: those values are masked. Category, dates and outcome, which office
staff may see, are logged in clear."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..audit import MASK, audit_record
from ..errors import Conflict, Forbidden
from ..models import (
    MEASURES_BY_ADDRESSEE,
    AssessmentStrength,
    Case,
    EvidenceItem,
    EvidenceKind,
    ExploitationIndicator,
    ExploitationLink,
    NonPunishmentDecision,
    NonPunishmentLegalBasis,
    NonPunishmentRecord,
    NonPunishmentRequest,
    OffenceCategory,
    RequestAddressee,
    RequestedMeasure,
    User,
)
from ..selectors import user_is_designated_lawyer
from ._common import clean_and_save, require

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LAWYER_ONLY = gettext_lazy("Only the designated lawyer keeps the non-punishment record.")


def _today() -> dt.date:
    return timezone.localdate()


def _require_designated_lawyer(actor: User, case: Case) -> None:
    if not user_is_designated_lawyer(actor, case):
        raise Forbidden(LAWYER_ONLY)


def _masked(*fields: str, before: Iterable[str] = ()) -> dict[str, list[Any]]:
    """`{field: [old, "•••"]}`: a privileged value was written; `before` names the fields that
    had a value already."""
    had = set(before)
    return {name: [MASK if name in had else None, MASK] for name in fields}


def _audit(
    *, actor: User, action: str, target: Any, case: Case, changes: dict[str, list[Any]]
) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=target,
        case_id=case.pk,
        office_id=case.office_id,
        changes=changes,
    )


def _locked(record: NonPunishmentRecord) -> NonPunishmentRecord:
    """The record re-read under a row lock (serialises writes on one record), with its case."""
    return (
        NonPunishmentRecord.objects.select_for_update(of=("self",))
        .select_related("case", "case__victim")
        .get(pk=record.pk)
    )


def _require_not_future(day: dt.date, field: str, message: StrOrPromise) -> None:
    """`message`: a whole sentence, "The … lies in the future." (never glued from parts)."""
    require(day <= _today(), field, message)


# --- Evidence -------------------------------------------------------------------------------


@transaction.atomic
def evidence_item_add(
    *,
    actor: User,
    case: Case,
    kind: str,
    description: str,
    reference: str = "",
    dated_on: dt.date | None = None,
) -> EvidenceItem:
    """Register a piece of evidence of the case's file (a statement, a document) by its
    reference, so that indicators can point to it."""
    _require_designated_lawyer(actor, case)
    require(kind in EvidenceKind.values, "kind", _("Choose statement, document or other."))
    require(bool(description.strip()), "description", _("Describe the evidence."))
    if dated_on is not None:
        _require_not_future(dated_on, "dated_on", _("The evidence's date lies in the future."))
    item = EvidenceItem(
        case=case,
        kind=kind,
        description=description.strip(),
        reference=reference.strip(),
        dated_on=dated_on,
        created_by=actor,
    )
    clean_and_save(item)
    _audit(
        actor=actor,
        action="evidence_item.create",
        target=item,
        case=case,
        changes=_masked("kind", "description", "reference", "dated_on"),
    )
    return item


# --- The record -----------------------------------------------------------------------------


@transaction.atomic
def nonpunishment_record_create(
    *,
    actor: User,
    case: Case,
    category: OffenceCategory,
    description: str,
    committed_from: dt.date,
    committed_until: dt.date | None = None,
    proceeding_reference: str = "",
) -> NonPunishmentRecord:
    """Record an offence the victim is suspected of: a single day (`committed_from`) or a period
    (`committed_from` to `committed_until`). The outcome starts as pending."""
    _require_designated_lawyer(actor, case)
    today = _today()
    require(
        category.is_valid_on(today),
        "category",
        _("The category '%(code)s' cannot be chosen on %(day)s.")
        % {"code": category.code, "day": today},
    )
    require(bool(description.strip()), "description", _("Describe the offence."))
    _require_not_future(committed_from, "committed_from", _("The offence lies in the future."))
    require(
        committed_from >= case.victim.date_of_birth,
        "committed_from",
        _("The offence lies before the victim's birth."),
    )
    if committed_until is not None:
        require(
            committed_until >= committed_from,
            "committed_until",
            _("The period ends before it starts."),
        )
        _require_not_future(
            committed_until, "committed_until", _("The end of the period lies in the future.")
        )
    record = NonPunishmentRecord(
        case=case,
        category=category,
        description=description.strip(),
        proceeding_reference=proceeding_reference.strip(),
        committed_from=committed_from,
        committed_until=committed_until,
        created_by=actor,
    )
    clean_and_save(record)
    changes: dict[str, list[Any]] = {
        "category": [None, category.code],
        "committed_from": [None, str(committed_from)],
        "committed_until": [None, str(committed_until) if committed_until else None],
        "decision": [None, record.decision],
    }
    changes |= _masked("description", "proceeding_reference")
    _audit(
        actor=actor, action="nonpunishment_record.create", target=record, case=case, changes=changes
    )
    return record


@transaction.atomic
def nonpunishment_link_add(
    *,
    actor: User,
    record: NonPunishmentRecord,
    indicator: ExploitationIndicator,
    note: str = "",
    evidence: Sequence[EvidenceItem] = (),
) -> ExploitationLink:
    """Link the offence to the exploitation by one indicator, with a short note and evidence of
    the same case. An indicator appears once per record ("other" as often as needed)."""
    record = _locked(record)
    case = record.case
    _require_designated_lawyer(actor, case)
    today = _today()
    require(
        indicator.is_valid_on(today),
        "indicator",
        _("The indicator '%(code)s' cannot be chosen on %(day)s.")
        % {"code": indicator.code, "day": today},
    )
    note = note.strip()
    require(
        indicator.code != "other" or bool(note),
        "note",
        _("Say in the note what the other indicator is."),
    )
    foreign = sorted(item.pk for item in evidence if item.case_id != case.pk)
    require(
        not foreign,
        "evidence",
        _("Evidence %(ids)s belongs to another case.") % {"ids": ", ".join(map(str, foreign))},
    )
    require(
        indicator.code == "other" or not record.links.filter(indicator=indicator).exists(),
        "indicator",
        _("This indicator is already linked to the record."),
    )
    link = ExploitationLink(record=record, indicator=indicator, note=note, created_by=actor)
    clean_and_save(link)
    link.evidence.set(evidence)
    _audit(
        actor=actor,
        action="exploitation_link.create",
        target=record,
        case=case,
        changes=_masked("indicator", "note", "evidence"),
    )
    return link


@transaction.atomic
def nonpunishment_request_record(
    *,
    actor: User,
    record: NonPunishmentRecord,
    addressee: str,
    measure: str,
    requested_on: dt.date,
    legal_bases: Sequence[NonPunishmentLegalBasis],
) -> NonPunishmentRequest:
    """Record what was asked of whom: the prosecutor not to prosecute or to dismiss, the court to
    exempt from penalty. Each legal basis invoked must be in force on the offence's first day or
    on the request's date (an old provision may still govern an older offence)."""
    record = _locked(record)
    case = record.case
    _require_designated_lawyer(actor, case)
    require(addressee in RequestAddressee.values, "addressee", _("Choose prosecutor or court."))
    allowed = MEASURES_BY_ADDRESSEE.get(RequestAddressee(addressee), ())
    require(
        measure in allowed,
        "measure",
        (
            _("One asks the prosecutor: %(measures)s.")
            if addressee == RequestAddressee.PROSECUTOR
            else _("One asks the court: %(measures)s.")
        )
        % {"measures": ", ".join(str(m) for m in allowed)},
    )
    _require_not_future(requested_on, "requested_on", _("The request lies in the future."))
    require(
        requested_on >= record.committed_from,
        "requested_on",
        _("The request lies before the offence."),
    )
    require(bool(legal_bases), "legal_bases", _("Name at least one legal basis invoked."))
    outside = sorted(
        basis.code
        for basis in legal_bases
        if not (basis.is_valid_on(record.committed_from) or basis.is_valid_on(requested_on))
    )
    require(
        not outside,
        "legal_bases",
        _("Not in force on the offence's date nor on the request's: %(codes)s.")
        % {"codes": ", ".join(outside)},
    )
    request = NonPunishmentRequest(
        record=record,
        addressee=addressee,
        measure=RequestedMeasure(measure),
        requested_on=requested_on,
        created_by=actor,
    )
    clean_and_save(request)
    request.legal_bases.set(legal_bases)
    _audit(
        actor=actor,
        action="nonpunishment_request.create",
        target=record,
        case=case,
        changes=_masked("addressee", "measure", "requested_on", "legal_bases"),
    )
    return request


@transaction.atomic
def nonpunishment_decision_record(
    *,
    actor: User,
    record: NonPunishmentRecord,
    decision: str,
    decided_on: dt.date | None,
) -> NonPunishmentRecord:
    """Record the outcome and its date (back to pending, without a date, e.g. on appeal). A
    decision is not dated before the offence, nor before the last request recorded."""
    record = _locked(record)
    case = record.case
    _require_designated_lawyer(actor, case)
    require(decision in NonPunishmentDecision.values, "decision", _("Not a known outcome."))
    if decision == NonPunishmentDecision.PENDING:
        require(decided_on is None, "decided_on", _("A pending outcome has no date."))
    else:
        require(decided_on is not None, "decided_on", _("Give the date of the decision."))
        assert decided_on is not None
        _require_not_future(decided_on, "decided_on", _("The decision lies in the future."))
        require(
            decided_on >= record.committed_from,
            "decided_on",
            _("The decision lies before the offence."),
        )
        last_request = (
            record.requests.order_by("-requested_on").values_list("requested_on", flat=True).first()
        )
        require(
            last_request is None or decided_on >= last_request,
            "decided_on",
            _("The decision lies before the request of %(day)s.") % {"day": last_request},
        )
    if (record.decision, record.decided_on) == (decision, decided_on):
        raise Conflict(_("This outcome is already recorded."))
    before = {"decision": record.decision, "decided_on": record.decided_on}
    record.decision = decision
    record.decided_on = decided_on
    clean_and_save(record)
    changes: dict[str, list[Any]] = {
        "decision": [before["decision"], decision],
        "decided_on": [
            str(before["decided_on"]) if before["decided_on"] else None,
            str(decided_on) if decided_on else None,
        ],
    }
    _audit(
        actor=actor,
        action="nonpunishment_record.decision",
        target=record,
        case=case,
        changes={name: change for name, change in changes.items() if change[0] != change[1]},
    )
    return record


@transaction.atomic
def nonpunishment_assessment_set(
    *, actor: User, record: NonPunishmentRecord, assessment: str, reasoning: str
) -> NonPunishmentRecord:
    """The lawyer's assessment of the defence (strong, arguable, weak) and why. Privileged: the
    audit row says that it changed, never what it says."""
    record = _locked(record)
    case = record.case
    _require_designated_lawyer(actor, case)
    require(
        assessment in AssessmentStrength.values, "assessment", _("Choose strong, arguable or weak.")
    )
    require(bool(reasoning.strip()), "reasoning", _("Give the reasoning of the assessment."))
    had = ["assessment", "assessment_reasoning"] if record.assessment else []
    record.assessment = assessment
    record.assessment_reasoning = reasoning.strip()
    record.assessed_at = timezone.now()
    clean_and_save(record)
    _audit(
        actor=actor,
        action="nonpunishment_record.assessment",
        target=record,
        case=case,
        changes=_masked("assessment", "assessment_reasoning", before=had),
    )
    return record


def _set_shared(*, actor: User, record: NonPunishmentRecord, shared: bool) -> NonPunishmentRecord:
    record = _locked(record)
    case = record.case
    _require_designated_lawyer(actor, case)
    changed = NonPunishmentRecord.objects.filter(
        pk=record.pk, shared_with_guardian=not shared
    ).update(shared_with_guardian=shared, updated_at=timezone.now())
    if not changed:
        raise Conflict(
            _("The guardian already reads the neutral line.")
            if shared
            else _("The neutral line is not shared with the guardian.")
        )
    record.refresh_from_db()
    _audit(
        actor=actor,
        action=f"nonpunishment_record.{'share' if shared else 'unshare'}_with_guardian",
        target=record,
        case=case,
        changes={"shared_with_guardian": [not shared, shared]},
    )
    return record


@transaction.atomic
def nonpunishment_guardian_share(
    *, actor: User, record: NonPunishmentRecord
) -> NonPunishmentRecord:
    """Let the guardian read the neutral line ("a legal defence is being prepared"), nothing
    more, in their language."""
    return _set_shared(actor=actor, record=record, shared=True)


@transaction.atomic
def nonpunishment_guardian_unshare(
    *, actor: User, record: NonPunishmentRecord
) -> NonPunishmentRecord:
    return _set_shared(actor=actor, record=record, shared=False)


def nonpunishment_record_read_record(
    *, actor: User, record: NonPunishmentRecord, view: str = "full"
) -> None:
    """Every read of a record (a part of the victim's file) leaves a row in the audit trail."""
    _audit(
        actor=actor,
        action=f"nonpunishment_record.read_{view}",
        target=record,
        case=record.case,
        changes={},
    )
