"""Judgments on a civil claim, their appeal and finality, and the amounts they award."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from legalaid.errors import Conflict
from legalaid.models import CaseStatus, Party, User
from legalaid.services._common import clean_and_save, require

from ..models import (
    Award,
    AwardKind,
    CivilClaim,
    ClaimStatus,
    DamageHead,
    DayCount,
    ImputationOrder,
    InterestKind,
    Judgment,
    JudgmentStatus,
)
from ..selectors import legal_interest_rate_gap_years
from ._common import (
    JUDGMENT_STATUS_IN_SENTENCE,
    audit,
    case_follows,
    claim_locked,
    clean_money,
    clean_percent,
    created,
    move_claim,
    require_choice,
    require_not_future,
    require_open,
    today,
)

# DOMAIN.md §5: 15 days from an adversarial judgment (CCP art. 203) *(verify)*. Stored on the
# judgment and overridable (a judgment by default: the period runs from its service). A last day
# on a weekend or a public holiday moves to the next working day (Judicial Code art. 53): not
# applied here, so the date shown is never later than the real one.
APPEAL_PERIOD = dt.timedelta(days=15)

JUDGMENT_FIELDS = (
    "claim", "given_on", "court", "reference", "status", "appeal_due_on", "final_on",
    "imputation_order", "day_count",
)  # fmt: skip
AWARD_FIELDS = (
    "judgment", "damage_head", "kind", "description", "amount", "debtors", "interest_kind",
    "interest_from", "fixed_percent",
)  # fmt: skip

# Claims on which a judgment can be recorded: after filing, and again later (an appeal judgment,
# or a judgment on damage the court reserved).
JUDGED_CLAIM_STATUSES = (
    ClaimStatus.FILED,
    ClaimStatus.JUDGMENT,
    ClaimStatus.FINAL,
    ClaimStatus.COLLECTING,
)

# Judgment status → the statuses it can be reached from, by `judgment_status_change`.
JUDGMENT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    JudgmentStatus.UNDER_APPEAL: (JudgmentStatus.APPEALABLE,),
    JudgmentStatus.FINAL: (JudgmentStatus.APPEALABLE, JudgmentStatus.UNDER_APPEAL),
    JudgmentStatus.REPLACED: (JudgmentStatus.UNDER_APPEAL,),
}


def _claim_follows_judgment(*, actor: User, claim: CivilClaim, final: bool) -> None:
    """A judgment moves its claim forward, never back: filed → judgment; to final when the
    judgment is final."""
    if final:
        move_claim(
            actor=actor,
            claim=claim,
            to_status=ClaimStatus.FINAL,
            from_statuses=(ClaimStatus.FILED, ClaimStatus.JUDGMENT),
        )
    else:
        move_claim(
            actor=actor,
            claim=claim,
            to_status=ClaimStatus.JUDGMENT,
            from_statuses=(ClaimStatus.FILED,),
        )


@transaction.atomic
def judgment_record(
    *,
    actor: User,
    claim: CivilClaim,
    given_on: dt.date,
    court: str,
    reference: str = "",
    final_on: dt.date | None = None,
    appeal_due_on: dt.date | None = None,
    imputation_order: str = ImputationOrder.COSTS_INTEREST_PRINCIPAL,
    day_count: str = DayCount.ACTUAL_365,
) -> Judgment:
    """Record a judgment on a filed claim. Its appeal is due `given_on` + 15 days unless told
    otherwise; with `final_on` it is recorded as final already. Payments are imputed on costs,
    interest, then principal unless the judgment orders otherwise (`imputation_order`); interest
    counts 365 days a year unless the court counts 366 in a leap year (`day_count`). The case
    moves to judgment if it was not further (an appeal judgment on a case in recovery leaves it
    there; a closed case stays closed)."""
    claim = claim_locked(claim)
    require_open(claim)
    if claim.status not in JUDGED_CLAIM_STATUSES:
        raise Conflict(_("File the civil-party constitution before recording a judgment."))
    require_not_future(given_on, "given_on", _("The judgment date lies in the future."))
    assert claim.constituted_on is not None  # every judged status has it (model constraint)
    require(
        given_on >= claim.constituted_on,
        "given_on",
        _("A judgment cannot precede the civil-party constitution (%(day)s).")
        % {"day": claim.constituted_on},
    )
    require(bool(court.strip()), "court", _("Name the court."))
    require_choice(imputation_order, ImputationOrder, "imputation_order")
    require_choice(day_count, DayCount, "day_count")
    due = appeal_due_on or given_on + APPEAL_PERIOD
    require(due >= given_on, "appeal_due_on", _("The appeal cannot be due before the judgment."))
    if final_on is not None:
        require(
            final_on >= given_on, "final_on", _("A judgment cannot be final before it is given.")
        )
        require_not_future(
            final_on, "final_on", _("The day the judgment became final lies in the future.")
        )
    judgment = Judgment(
        claim=claim,
        given_on=given_on,
        court=court.strip(),
        reference=reference.strip(),
        status=JudgmentStatus.APPEALABLE if final_on is None else JudgmentStatus.FINAL,
        appeal_due_on=due,
        final_on=final_on,
        imputation_order=imputation_order,
        day_count=day_count,
    )
    clean_and_save(judgment)
    audit(
        actor=actor,
        action="judgment.create",
        target=judgment,
        claim=claim,
        changes=created(judgment, JUDGMENT_FIELDS),
    )
    _claim_follows_judgment(actor=actor, claim=claim, final=final_on is not None)
    case_follows(actor=actor, claim=claim, to=CaseStatus.JUDGMENT, event="judgment.create")
    return judgment


@transaction.atomic
def judgment_status_change(
    *, actor: User, judgment: Judgment, status: str, on: dt.date
) -> Judgment:
    """An appeal was lodged on `on` (under_appeal); the judgment became final on `on` (final: no
    appeal in time, or the appeal decided); it was replaced by the appeal judgment (replaced).
    Conditional update: never twice, never from the wrong status."""
    require(
        status in JUDGMENT_TRANSITIONS,
        "status",
        _("A judgment goes under appeal, becomes final, or is replaced on appeal."),
    )
    claim = claim_locked(judgment.claim)
    judgment = Judgment.objects.select_for_update().get(pk=judgment.pk)
    require_not_future(on, "on", _("The date lies in the future."))
    require(on >= judgment.given_on, "on", _("This date precedes the judgment."))
    fields: dict[str, dt.date] = {}
    if status == JudgmentStatus.UNDER_APPEAL:
        fields["appealed_on"] = on
    elif status == JudgmentStatus.FINAL:
        fields["final_on"] = on
    before = judgment.status
    moved = Judgment.objects.filter(pk=judgment.pk, status__in=JUDGMENT_TRANSITIONS[status]).update(
        status=status, **fields
    )
    if not moved:
        raise Conflict(
            _("A judgment that is %(status)s cannot become %(to_status)s.")
            % {
                "status": JUDGMENT_STATUS_IN_SENTENCE[JudgmentStatus(before)],
                "to_status": JUDGMENT_STATUS_IN_SENTENCE[JudgmentStatus(status)],
            }
        )
    judgment.refresh_from_db()
    audit(
        actor=actor,
        action="judgment.status_change",
        target=judgment,
        claim=claim,
        changes={
            "status": [before, status],
            **{name: [None, str(value)] for name, value in fields.items()},
            **({"on": [None, str(on)]} if not fields else {}),
        },
    )
    if status == JudgmentStatus.FINAL:
        _claim_follows_judgment(actor=actor, claim=claim, final=True)
    return judgment


def _clean_interest(
    *, interest_kind: str, interest_from: dt.date | None, fixed_percent: Decimal | None
) -> Decimal | None:
    require_choice(interest_kind, InterestKind, "interest_kind")
    if interest_kind == InterestKind.NONE:
        require(
            interest_from is None and fixed_percent is None,
            "interest_kind",
            _("Choose compensatory or moratory interest to give a start date or a rate."),
        )
        return None
    require(interest_from is not None, "interest_from", _("Give the day interest runs from."))
    assert interest_from is not None
    require(interest_from <= today(), "interest_from", _("Interest cannot start after today."))
    if fixed_percent is not None:
        return clean_percent(fixed_percent, "fixed_percent")
    gaps = legal_interest_rate_gap_years(interest_from, today())
    require(
        not gaps,
        "interest_from",
        _(
            "The legal interest rate table has no rate for %(years)s, needed for interest from "
            "%(day)s: add the rate first."
        )
        % {"years": ", ".join(map(str, gaps)), "day": interest_from},
    )
    return None


@transaction.atomic
def award_record(
    *,
    actor: User,
    judgment: Judgment,
    kind: str,
    amount: Decimal,
    debtors: Sequence[Party],
    damage_head: DamageHead | None = None,
    description: str = "",
    interest_kind: str = InterestKind.NONE,
    interest_from: dt.date | None = None,
    fixed_percent: Decimal | None = None,
) -> Award:
    """Record an amount the judgment awards, owed by one defendant or by several jointly and
    severally (in solidum), for a head of damage or as costs (procedural indemnity), with its
    interest: compensatory or moratory from a day, at the legal rate of each year (the table
    must cover every year up to today) or at a rate the court fixed."""
    claim = claim_locked(judgment.claim)
    require_open(claim)
    judgment = Judgment.objects.get(pk=judgment.pk)
    if judgment.status == JudgmentStatus.REPLACED:
        raise Conflict(_("This judgment was replaced on appeal: record the award on the new one."))
    require_choice(kind, AwardKind, "kind")
    value = clean_money(amount, "amount")
    unique = list({party.pk: party for party in debtors}.values())
    require(bool(unique), "debtors", _("Name at least one debtor."))
    require(
        all(party.case_id == claim.case_id for party in unique),
        "debtors",
        _("Every debtor must be a party (defendant) in this case."),
    )
    if damage_head is not None:
        require(
            kind == AwardKind.DAMAGES,
            "damage_head",
            _("Costs (procedural indemnity) are not awarded for a head of damage."),
        )
        require(
            damage_head.claim_id == claim.pk,
            "damage_head",
            _("This head of damage belongs to another claim."),
        )
    percent = _clean_interest(
        interest_kind=interest_kind, interest_from=interest_from, fixed_percent=fixed_percent
    )
    award = Award(
        judgment=judgment,
        damage_head=damage_head,
        kind=kind,
        description=description.strip(),
        amount=value,
        interest_kind=interest_kind,
        interest_from=interest_from if interest_kind != InterestKind.NONE else None,
        fixed_percent=percent,
    )
    clean_and_save(award)
    award.debtors.set(unique)
    audit(
        actor=actor,
        action="award.create",
        target=award,
        claim=claim,
        changes=created(award, AWARD_FIELDS),
    )
    return award
