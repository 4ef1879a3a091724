"""Recovering what was awarded: applications to the Commission for financial aid to victims, its
decisions and payments, and the enforcement steps taken against a debtor."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from legalaid.audit import changes_between, snapshot
from legalaid.errors import Conflict
from legalaid.models import CaseStatus, Party, User
from legalaid.services._common import clean_and_save, require

from ..models import (
    CivilClaim,
    EnforcementKind,
    EnforcementStep,
    StateAidApplication,
    StateAidKind,
    StateAidRule,
    StateAidStatus,
)
from ..selectors import state_aid_rule_on
from ._common import (
    STATE_AID_STATUS_IN_SENTENCE,
    audit,
    case_follows,
    claim_locked,
    clean_money,
    created,
    has_judgment,
    require_choice,
    require_not_future,
    require_open,
)

APPLICATION_FIELDS = ("claim", "kind", "reference", "filed_on", "amount_requested", "status")
STEP_FIELDS = ("claim", "debtor", "kind", "taken_on", "reference", "outcome", "outcome_on")


def _rule_on(day: dt.date, field: str) -> StateAidRule:
    rule = state_aid_rule_on(day)
    require(
        rule is not None, field, _("No state-aid rules are recorded for %(day)s.") % {"day": day}
    )
    assert rule is not None
    return rule


def _ceiling(rule: StateAidRule, kind: str) -> Decimal:
    """Emergency aid has its own ceiling; main and complementary aid share the main one."""
    return rule.emergency_aid_ceiling if kind == StateAidKind.EMERGENCY else rule.main_aid_ceiling


@transaction.atomic
def state_aid_apply(
    *,
    actor: User,
    claim: CivilClaim,
    kind: str,
    filed_on: dt.date,
    amount_requested: Decimal,
    reference: str = "",
) -> StateAidApplication:
    """Record an application to the Commission (emergency aid, main aid, complementary aid). The
    amount requested stays within the ceiling of the rules in force on the filing day. Whether
    the victim is eligible (final conviction, damage above the threshold, the 3-year deadline)
    is shown as hints, not enforced here: the Commission decides."""
    claim = claim_locked(claim)
    require_open(claim)
    require_choice(kind, StateAidKind, "kind")
    amount = clean_money(amount_requested, "amount_requested")
    require_not_future(filed_on, "filed_on", _("The filing date lies in the future."))
    ceiling = _ceiling(_rule_on(filed_on, "filed_on"), kind)
    if kind == StateAidKind.EMERGENCY:
        over = _("The ceiling of emergency aid is €%(ceiling)s.")
    elif kind == StateAidKind.MAIN:
        over = _("The ceiling of main aid is €%(ceiling)s.")
    else:
        over = _("The ceiling of complementary aid is €%(ceiling)s.")
    require(amount <= ceiling, "amount_requested", over % {"ceiling": ceiling})
    application = StateAidApplication(
        claim=claim,
        kind=kind,
        reference=reference.strip(),
        filed_on=filed_on,
        amount_requested=amount,
        status=StateAidStatus.FILED,
    )
    clean_and_save(application)
    audit(
        actor=actor,
        action="state_aid_application.create",
        target=application,
        claim=claim,
        changes=created(application, APPLICATION_FIELDS),
    )
    return application


@transaction.atomic
def state_aid_decision_record(
    *,
    actor: User,
    application: StateAidApplication,
    decided_on: dt.date,
    amount_granted: Decimal | None,
) -> StateAidApplication:
    """The Commission's decision: an amount granted, or (None) a refusal."""
    claim = claim_locked(application.claim)
    application = StateAidApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != StateAidStatus.FILED:
        raise Conflict(
            _("This application was already decided (%(status)s).")
            % {"status": STATE_AID_STATUS_IN_SENTENCE[StateAidStatus(application.status)]}
        )
    require_not_future(decided_on, "decided_on", _("The decision date lies in the future."))
    require(
        decided_on >= application.filed_on,
        "decided_on",
        _("A decision cannot precede the application (%(day)s).") % {"day": application.filed_on},
    )
    before = snapshot(application, ("status", "decided_on", "amount_granted"))
    if amount_granted is not None:
        amount = clean_money(amount_granted, "amount_granted")
        ceiling = _ceiling(_rule_on(application.filed_on, "amount_granted"), application.kind)
        require(
            amount <= ceiling,
            "amount_granted",
            _("The ceiling is €%(ceiling)s.") % {"ceiling": ceiling},
        )
        application.amount_granted = amount
        application.status = StateAidStatus.GRANTED
    else:
        application.status = StateAidStatus.REFUSED
    application.decided_on = decided_on
    clean_and_save(application)
    audit(
        actor=actor,
        action="state_aid_application.decide",
        target=application,
        claim=claim,
        changes=changes_between(
            before, snapshot(application, ("status", "decided_on", "amount_granted"))
        ),
    )
    return application


@transaction.atomic
def state_aid_payment_record(
    *, actor: User, application: StateAidApplication, paid_on: dt.date, amount_paid: Decimal
) -> StateAidApplication:
    """What the Commission paid on a granted application (at most the amount granted). When the
    aid settles part of a judgment, the payment is also recorded against it (`payment_record`,
    payer the state fund, linked to this application) so that the ledger reconciles it.
    Paid after a judgment on the claim, it moves the case to recovery; emergency aid paid before
    any judgment is help while the trial waits, not the recovery of an award: the case stays."""
    claim = claim_locked(application.claim)
    application = StateAidApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != StateAidStatus.GRANTED:
        raise Conflict(
            _("Only granted aid is paid; this application is %(status)s.")
            % {"status": STATE_AID_STATUS_IN_SENTENCE[StateAidStatus(application.status)]}
        )
    amount = clean_money(amount_paid, "amount_paid")
    assert application.amount_granted is not None and application.decided_on is not None
    require(
        amount <= application.amount_granted,
        "amount_paid",
        _("More than the amount granted (€%(amount)s).") % {"amount": application.amount_granted},
    )
    require_not_future(paid_on, "paid_on", _("The payment date lies in the future."))
    require(
        paid_on >= application.decided_on,
        "paid_on",
        _("A payment cannot precede the decision (%(day)s).") % {"day": application.decided_on},
    )
    before = snapshot(application, ("status", "paid_on", "amount_paid"))
    application.status = StateAidStatus.PAID
    application.paid_on = paid_on
    application.amount_paid = amount
    clean_and_save(application)
    audit(
        actor=actor,
        action="state_aid_application.paid",
        target=application,
        claim=claim,
        changes=changes_between(
            before, snapshot(application, ("status", "paid_on", "amount_paid"))
        ),
    )
    if has_judgment(claim):
        case_follows(
            actor=actor, claim=claim, to=CaseStatus.RECOVERY, event="state_aid_application.paid"
        )
    return application


@transaction.atomic
def enforcement_step_add(
    *,
    actor: User,
    claim: CivilClaim,
    debtor: Party,
    kind: str,
    taken_on: dt.date,
    reference: str = "",
    outcome: str = "",
    outcome_on: dt.date | None = None,
) -> EnforcementStep:
    """Log a step taken against a debtor (formal notice, bailiff, seizure, payment plan). After
    a judgment on the claim, collecting what it awarded has begun: the case moves to recovery (a
    formal notice before any judgment leaves the case where it is)."""
    claim = claim_locked(claim)
    require_open(claim)
    require_choice(kind, EnforcementKind, "kind")
    require(
        debtor.case_id == claim.case_id,
        "debtor",
        _("The debtor must be a party (defendant) in this case."),
    )
    require_not_future(taken_on, "taken_on", _("The date of the step lies in the future."))
    _clean_outcome(outcome=outcome, outcome_on=outcome_on, taken_on=taken_on)
    step = EnforcementStep(
        claim=claim,
        debtor=debtor,
        kind=kind,
        taken_on=taken_on,
        reference=reference.strip(),
        outcome=outcome.strip(),
        outcome_on=outcome_on,
    )
    clean_and_save(step)
    audit(
        actor=actor,
        action="enforcement_step.create",
        target=step,
        claim=claim,
        changes=created(step, STEP_FIELDS),
    )
    if has_judgment(claim):
        case_follows(
            actor=actor, claim=claim, to=CaseStatus.RECOVERY, event="enforcement_step.create"
        )
    return step


def _clean_outcome(*, outcome: str, outcome_on: dt.date | None, taken_on: dt.date) -> None:
    if outcome_on is None:
        return
    require(bool(outcome.strip()), "outcome", _("Describe the outcome."))
    require_not_future(outcome_on, "outcome_on", _("The date of the outcome lies in the future."))
    require(outcome_on >= taken_on, "outcome_on", _("The outcome cannot precede the step."))


@transaction.atomic
def enforcement_step_outcome_record(
    *, actor: User, step: EnforcementStep, outcome: str, outcome_on: dt.date
) -> EnforcementStep:
    """The outcome of a step, when it is known (it may be recorded again as it evolves)."""
    claim = claim_locked(step.claim)
    step = EnforcementStep.objects.select_for_update().get(pk=step.pk)
    _clean_outcome(outcome=outcome, outcome_on=outcome_on, taken_on=step.taken_on)
    before = snapshot(step, ("outcome", "outcome_on"))
    step.outcome = outcome.strip()
    step.outcome_on = outcome_on
    clean_and_save(step)
    audit(
        actor=actor,
        action="enforcement_step.outcome",
        target=step,
        claim=claim,
        changes=changes_between(before, snapshot(step, ("outcome", "outcome_on"))),
    )
    return step
