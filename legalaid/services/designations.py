"""Designations of a lawyer to a case, and their status history.

The engine (`legalaid.engine`) proposes automatically at intake, after a decline and after an
expiry; office staff may override it by hand, with a reason. The lawyer accepts or declines before
`respond_by`. Transitions are conditional updates, so a designation is never accepted twice or
after a decline, even by two requests at once. Nobody left: the case is escalated to the office.

The case's status follows the designation among intake, awaiting designation and lawyer
designated only (`DESIGNATION_PHASE`): accepted → lawyer designated; declined, expired or
withdrawn → awaiting designation. A case further on (civil party constituted, judgment, recovery)
keeps its stage when its lawyer changes, and a closed case stays closed; whether it has a lawyer
now is its active designation. Each move is audited (`case.status_change`).

Each proposal e-mails the proposed lawyer (legalaid.notifications), through the outbox, in the
proposal's transaction: a proposal rolled back sends nothing."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from config import metrics

from .. import engine
from ..audit import audit_record
from ..errors import Conflict
from ..models import (
    ACTIVE_DESIGNATION_STATUSES,
    Case,
    CaseStatus,
    Designation,
    DesignationEvent,
    DesignationMethod,
    DesignationStatus,
    Escalation,
    Lawyer,
    User,
)
from ..notifications import designation_proposed_notify
from ._case_status import DESIGNATION_PHASE, case_locked, case_status_move
from ._common import require

# Rules an office override may set aside (the ranking is always set aside by an override).
OVERRIDABLE = frozenset({engine.Exclusion.AT_CAPACITY})
# What a cross-district override sets aside besides: the district (and, before it, the bar).
CROSS_DISTRICT_OVERRIDABLE = frozenset({engine.Exclusion.DISTRICT})

# A designation's status in the sentence "This designation is …; it cannot become …." (in
# English the status's code, as the API names it).
STATUS_IN_SENTENCE = {
    DesignationStatus.PROPOSED: pgettext_lazy("a designation that is", "proposed"),
    DesignationStatus.ACCEPTED: pgettext_lazy("a designation that is", "accepted"),
    DesignationStatus.DECLINED: pgettext_lazy("a designation that is", "declined"),
    DesignationStatus.EXPIRED: pgettext_lazy("a designation that is", "expired"),
    DesignationStatus.WITHDRAWN: pgettext_lazy("a designation that is", "withdrawn"),
    DesignationStatus.ENDED: pgettext_lazy("a designation that is", "ended"),
}


def _log(
    *,
    actor: User | None,
    designation: Designation,
    from_status: str,
    to_status: str,
    reason: str,
    at: dt.datetime,
) -> None:
    DesignationEvent.objects.create(
        designation=designation,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        at=at,
        reason=reason,
    )
    audit_record(
        actor=actor,
        action=f"designation.{to_status}",
        target=designation,
        case_id=designation.case_id,
        office_id=designation.case.office_id,
        changes={"status": [from_status or None, to_status], "reason": [None, reason or None]},
    )


def _create(
    *,
    actor: User | None,
    case: Case,
    lawyer_id: int,
    method: str,
    reason: str,
    explanation: dict[str, Any],
    now: dt.datetime,
    place_claimed: bool,
) -> Designation:
    """The proposal, its history and audit rows; the lawyer's place is taken here unless the
    engine already claimed it (`engine.claim`)."""
    if not place_claimed:
        Lawyer.objects.filter(pk=lawyer_id).update(**engine.place_taken(now))
    designation = Designation(
        case=case,
        lawyer_id=lawyer_id,
        status=DesignationStatus.PROPOSED,
        method=method,
        proposed_at=now,
        respond_by=now + dt.timedelta(hours=case.office.acceptance_deadline_hours),
        reason=reason.strip(),
        explanation=explanation,
    )
    try:
        with transaction.atomic():
            designation.save()
    except IntegrityError:
        # Only the one-active-designation constraint is the caller's conflict; any other
        # integrity error is a bug to surface, not to report as a conflict.
        if not case.designations.filter(status__in=ACTIVE_DESIGNATION_STATUSES).exists():
            raise
        raise Conflict(_("This case already has an active designation.")) from None
    _log(
        actor=actor,
        designation=designation,
        from_status="",
        to_status="proposed",
        reason=reason,
        at=now,
    )
    designation_proposed_notify(designation=designation)
    escalations_resolve(actor=actor, case=case, resolution=f"Lawyer proposed ({method}).", now=now)
    return designation


def escalations_resolve(
    *, actor: User | None, case: Case, resolution: str, now: dt.datetime
) -> None:
    """Take the case out of the office's escalation queue (a lawyer was proposed, the case was
    closed), audited; nothing to do when it is not in the queue."""
    for escalation in Escalation.objects.filter(case=case, resolved_at__isnull=True):
        Escalation.objects.filter(pk=escalation.pk).update(
            resolved_at=now, resolved_by=actor, resolution=resolution
        )
        audit_record(
            actor=actor,
            action="escalation.resolve",
            target=escalation,
            case_id=case.pk,
            office_id=case.office_id,
            changes={"resolved_at": [None, now.isoformat()]},
        )


def _same_evaluation(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """The same candidates with the same outcome, whatever the day they were evaluated on."""
    return {**old, "evaluated_on": None} == {**new, "evaluated_on": None}


def _escalate(
    *, actor: User | None, case: Case, explanation: dict[str, Any], now: dt.datetime
) -> Escalation:
    """Put the case in the office's queue with the reasons (one open escalation per case). A case
    escalated again for the same reasons (the bulk command retries every run) writes nothing."""
    escalation = Escalation.objects.filter(case=case, resolved_at__isnull=True).first()
    if escalation is None:
        escalation = Escalation.objects.create(case=case, opened_at=now, explanation=explanation)
        action, before = "escalation.open", None
    elif _same_evaluation(escalation.explanation, explanation):
        return escalation
    else:
        before = escalation.explanation.get("exclusion_counts")
        Escalation.objects.filter(pk=escalation.pk).update(explanation=explanation)
        escalation.explanation = explanation
        action = "escalation.update"
    audit_record(
        actor=actor,
        action=action,
        target=escalation,
        case_id=case.pk,
        office_id=case.office_id,
        changes={"exclusion_counts": [before, explanation["exclusion_counts"]]},
    )
    return escalation


@transaction.atomic
def designation_auto(
    *, actor: User | None, case: Case, now: dt.datetime | None = None
) -> Designation | Escalation:
    """Let the engine propose the best eligible lawyer, or escalate when nobody is left. The case
    row is locked, so two runs for one case (intake, decline, expiry, bulk command) take turns:
    the second finds the first one's designation and returns it. `now` (default: the present)
    is when the proposal is made: its deadline runs from then, and leave is checked that day."""
    started = time.perf_counter()
    now = now or timezone.now()
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("office", "victim")
        .get(pk=case.pk)
    )
    if case.status == CaseStatus.CLOSED:
        raise Conflict(_("A closed case gets no new lawyer."))
    active = case.designations.filter(status__in=ACTIVE_DESIGNATION_STATUSES).first()
    if active is not None:
        return active
    evaluation = engine.evaluate(case, day=timezone.localdate(now))
    chosen = engine.pick(evaluation, now=now)
    explanation = evaluation.explanation(chosen=chosen)
    if chosen is None:
        escalation = _escalate(actor=actor, case=case, explanation=explanation, now=now)
        metrics.designation_observe(outcome="escalated", seconds=time.perf_counter() - started)
        return escalation
    designation = _create(
        actor=actor,
        case=case,
        lawyer_id=chosen.lawyer_id,
        method=DesignationMethod.AUTOMATIC,
        reason="",
        explanation=explanation,
        now=now,
        place_claimed=True,
    )
    metrics.designation_observe(outcome="designated", seconds=time.perf_counter() - started)
    return designation


@transaction.atomic
def designation_propose(
    *, actor: User, case: Case, lawyer: Lawyer, reason: str, cross_district: bool = False
) -> Designation:
    """Office staff choose the lawyer themselves, overriding the engine's ranking, with a reason.
    The hard rules still hold (only capacity may be exceeded); a conflict of interest never.

    A cross-district override (`cross_district=True`) is the way out when nobody of the bar can
    take the case (an escalation): the lawyer may then be of another bar, and not serve the
    case's district; every other rule still binds, and the override has its own audit row."""
    require(
        bool(reason.strip()), "reason", _("Overriding the automatic designation needs a reason.")
    )
    case = Case.objects.select_related("office", "victim").get(pk=case.pk)
    require(case.status != CaseStatus.CLOSED, "case", _("A closed case cannot get a new lawyer."))
    if case.designations.filter(status__in=ACTIVE_DESIGNATION_STATUSES).exists():
        raise Conflict(_("This case already has an active designation: withdraw it first."))
    require(
        cross_district or lawyer.bar_id == case.office.bar_id or lawyer.pk == case.chosen_lawyer_id,
        "lawyer",
        _(
            "This lawyer is not on this bar's panel: a lawyer of another bar needs a "
            "cross-district override."
        ),
    )
    Lawyer.objects.select_for_update().filter(pk=lawyer.pk).first()
    evaluation = engine.evaluate(case, only=lawyer)
    (candidate,) = evaluation.candidates
    waivable = OVERRIDABLE | (CROSS_DISTRICT_OVERRIDABLE if cross_district else frozenset())
    binding = [reason for reason in candidate.exclusions if reason not in waivable]
    if binding:
        # One sentence per rule, each translated whole (lazy: made text here, in the request's
        # language).
        require(False, "lawyer", " ".join(str(engine.EXCLUSION_MESSAGES[r]) for r in binding))
    explanation = evaluation.explanation(chosen=None)
    explanation["override"] = {
        "by": actor.pk,
        "waived": [str(r) for r in candidate.exclusions],
        "reason": reason.strip(),
    }
    if cross_district:
        explanation["override"]["cross_district"] = True
        audit_record(
            actor=actor,
            action="designation.cross_district_override",
            target=case,
            case_id=case.pk,
            office_id=case.office_id,
            changes={
                "lawyer": [None, lawyer.pk],
                "lawyer_bar": [None, lawyer.bar_id],
                "waived": [None, [str(r) for r in candidate.exclusions]],
                "reason": [None, reason.strip()],
            },
        )
    return _create(
        actor=actor,
        case=case,
        lawyer_id=lawyer.pk,
        method=DesignationMethod.MANUAL,
        reason=reason,
        explanation=explanation,
        now=timezone.now(),
        place_claimed=False,
    )


def _transition(
    *,
    actor: User | None,
    designation: Designation,
    from_statuses: tuple[str, ...],
    to_status: str,
    reason: str,
    case_status: str | None,
    extra_filter: dict[str, object] | None = None,
    now: dt.datetime | None = None,
) -> Designation:
    now = now or timezone.now()
    # The case first, as every service that locks both (`_case_status.case_locked`).
    case_locked(designation.case_id)
    # The status history records the status the row really had, not the caller's copy of it.
    from_status = Designation.objects.select_for_update().get(pk=designation.pk).status
    moved = Designation.objects.filter(
        pk=designation.pk, status__in=from_statuses, **(extra_filter or {})
    ).update(
        status=to_status,
        decided_at=now,
        # An acceptance gives no reason: it keeps the one the proposal was made with.
        **({"reason": reason.strip()} if reason.strip() else {}),
    )
    if not moved:
        designation.refresh_from_db()
        if designation.status in from_statuses:  # the only other filter is the deadline
            raise Conflict(_("The time to accept this designation has passed."))
        raise Conflict(
            _("This designation is %(status)s; it cannot become %(to_status)s.")
            % {
                "status": STATUS_IN_SENTENCE[DesignationStatus(designation.status)],
                "to_status": STATUS_IN_SENTENCE[DesignationStatus(to_status)],
            }
        )
    designation.refresh_from_db()
    if from_status in ACTIVE_DESIGNATION_STATUSES and to_status not in ACTIVE_DESIGNATION_STATUSES:
        Lawyer.objects.filter(pk=designation.lawyer_id).update(**engine.place_given_back())
    _log(
        actor=actor,
        designation=designation,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        at=now,
    )
    if case_status is not None:
        case_status_move(
            actor=actor,
            case_id=designation.case_id,
            to=case_status,
            allowed_from=DESIGNATION_PHASE,
            event=f"designation.{to_status}",
        )
    return designation


@transaction.atomic
def designation_accept(*, actor: User, designation: Designation) -> Designation:
    return _transition(
        actor=actor,
        designation=designation,
        from_statuses=(DesignationStatus.PROPOSED,),
        to_status=DesignationStatus.ACCEPTED,
        reason="",
        case_status=CaseStatus.LAWYER_DESIGNATED,
        extra_filter={"respond_by__gt": timezone.now()},
    )


@transaction.atomic
def designation_decline(*, actor: User, designation: Designation, reason: str) -> Designation:
    """The lawyer declines with a reason; the engine proposes the next candidate at once."""
    require(bool(reason.strip()), "reason", _("Declining a designation needs a reason."))
    designation = _transition(
        actor=actor,
        designation=designation,
        from_statuses=(DesignationStatus.PROPOSED,),
        to_status=DesignationStatus.DECLINED,
        reason=reason,
        case_status=CaseStatus.AWAITING_DESIGNATION,
    )
    _propose_next(designation.case)
    return designation


@transaction.atomic
def designation_withdraw(*, actor: User, designation: Designation, reason: str) -> Designation:
    require(bool(reason.strip()), "reason", _("Withdrawing a designation needs a reason."))
    return _transition(
        actor=actor,
        designation=designation,
        from_statuses=ACTIVE_DESIGNATION_STATUSES,
        to_status=DesignationStatus.WITHDRAWN,
        reason=reason,
        case_status=CaseStatus.AWAITING_DESIGNATION,
    )


@transaction.atomic
def designation_end(*, actor: User | None, designation: Designation, reason: str) -> Designation:
    """The lawyer's mandate is over (the case is closed, the end-of-case report filed): the
    accepted designation ends and the lawyer's place is free again. The case keeps its status."""
    require(bool(reason.strip()), "reason", _("Ending a designation needs a reason."))
    return _transition(
        actor=actor,
        designation=designation,
        from_statuses=(DesignationStatus.ACCEPTED,),
        to_status=DesignationStatus.ENDED,
        reason=reason,
        case_status=None,
    )


def designation_conflict_recheck(
    *, actor: User | None, case: Case, now: dt.datetime | None = None
) -> Escalation | None:
    """A defendant added after the designation may be someone the designated lawyer represents
    (here or in a linked proceeding): the case then goes to the office's queue with the reason,
    and the office withdraws the designation and designates another lawyer. Call inside the
    transaction that added the party. The case's row stays locked until that transaction ends:
    two defendants added at the same moment are checked one after the other, and the second
    sees the escalation the first opened (one open escalation per case)."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("office", "victim")
        .get(pk=case.pk)
    )
    active = case.designations.filter(status__in=ACTIVE_DESIGNATION_STATUSES).first()
    if active is None:
        return None
    evaluation = engine.evaluate(case, only=active.lawyer)
    (candidate,) = evaluation.candidates
    if engine.Exclusion.CONFLICT_OF_INTEREST not in candidate.exclusions:
        return None
    candidate.exclusions = [engine.Exclusion.CONFLICT_OF_INTEREST]
    explanation = {**evaluation.explanation(chosen=None), "active_designation": active.pk}
    return _escalate(actor=actor, case=case, explanation=explanation, now=now or timezone.now())


def _propose_next(case: Case, *, now: dt.datetime | None = None) -> None:
    """After a decline or an expiry the engine proposes the next candidate; a closed case (closed
    while the proposal was pending) gets no new lawyer, and that stops nothing else."""
    if Case.objects.filter(pk=case.pk).exclude(status=CaseStatus.CLOSED).exists():
        designation_auto(actor=None, case=case, now=now)


def designation_expire_overdue(*, now: dt.datetime | None = None) -> int:
    """Expire every proposal past its deadline at `now` (default: the present) and propose the
    next candidate for each case, as of `now`: the successor's deadline runs from then, so a second
    run with the same `now` expires nothing more. Each case in its own transaction; safe to run
    twice at once (conditional updates)."""
    now = now or timezone.now()
    overdue = Designation.objects.filter(
        status=DesignationStatus.PROPOSED, respond_by__lte=now
    ).values_list("pk", flat=True)
    expired = 0
    for pk in list(overdue):
        with transaction.atomic():
            designation = Designation.objects.select_related("case").get(pk=pk)
            try:
                _transition(
                    actor=None,
                    designation=designation,
                    from_statuses=(DesignationStatus.PROPOSED,),
                    to_status=DesignationStatus.EXPIRED,
                    reason="Not accepted before the deadline.",
                    case_status=CaseStatus.AWAITING_DESIGNATION,
                    extra_filter={"respond_by__lte": now},
                    now=now,
                )
            except Conflict:
                continue  # accepted, declined or expired meanwhile
            _propose_next(designation.case, now=now)
            expired += 1
    return expired
