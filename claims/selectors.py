"""Reads of the civil-claims ledger: the reference data in force on a day, gaps in the legal-rate
table, due dates derived from data, a claim's balances (`claim_ledger`), the state-aid eligibility
hints, and the claims an actor may reach. Scoping builds on `legalaid.selectors`: a claim is
reached through its case, and only by whoever manages that case (office staff of its office, an
administrator, the lawyer who accepted the designation); anything else answers 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Prefetch, QuerySet
from django.utils.translation import gettext as _

from legalaid import selectors as legalaid_selectors
from legalaid.errors import NotFound
from legalaid.models import Case, Party, User

from . import ledger
from .models import (
    Award,
    AwardKind,
    CivilClaim,
    DamageHead,
    EnforcementKind,
    EnforcementStep,
    IndicativeTableEdition,
    InterestKind,
    Judgment,
    JudgmentStatus,
    LegalInterestRate,
    Payment,
    StateAidApplication,
    StateAidRule,
)

_M = TypeVar("_M", bound=Model)


def legal_interest_rates_between(start: dt.date, end: dt.date) -> QuerySet[LegalInterestRate]:
    """The rows of the legal-rate table that apply to at least one day of [start, end]."""
    return LegalInterestRate.objects.overlapping(start, end).order_by("valid_from")


def legal_interest_rate_gap_years(start: dt.date, end: dt.date) -> list[int]:
    """The calendar years with at least one day of [start, end] that no legal rate covers."""
    years: set[int] = set()
    day = start
    for rate in legal_interest_rates_between(start, end):
        if rate.valid_from > day:
            years.update(range(day.year, min(rate.valid_from - dt.timedelta(days=1), end).year + 1))
        if rate.valid_until is None:
            return sorted(years)
        day = max(day, rate.valid_until + dt.timedelta(days=1))
        if day > end:
            return sorted(years)
    years.update(range(day.year, end.year + 1))
    return sorted(years)


def indicative_edition_on(day: dt.date) -> IndicativeTableEdition | None:
    """The default edition on a day: the latest one that can be chosen then."""
    return (
        IndicativeTableEdition.objects.filter(valid_from__lte=day)
        .order_by("-valid_from", "-code")
        .first()
    )


def state_aid_rule_on(day: dt.date) -> StateAidRule | None:
    return StateAidRule.objects.valid_on(day).first()


def claim_final_decision_on(claim: CivilClaim) -> dt.date | None:
    """The day the claim's first judgment became final. With several final judgments (one on
    damage reserved earlier, say) the earliest counts: the due date shown is never too late."""
    judgment = (
        claim.judgments.filter(status=JudgmentStatus.FINAL).order_by("final_on", "id").first()
    )
    return None if judgment is None else judgment.final_on


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February → 28 February: the earlier day, never too late
        return day.replace(year=day.year + years, day=28)


def state_aid_deadline(claim: CivilClaim) -> dt.date | None:
    """The last day to apply for main or complementary aid: the final decision plus the years the
    rules in force on that day allow (DOMAIN.md §6). None before a final decision or without
    rules for that day."""
    final_on = claim_final_decision_on(claim)
    if final_on is None:
        return None
    rule = state_aid_rule_on(final_on)
    if rule is None:
        return None
    return _add_years(final_on, rule.application_deadline_years)


def judgment_debtors(judgment: Judgment) -> QuerySet[Party]:
    """Every party that owes something under the judgment, alone or jointly."""
    return Party.objects.filter(claim_awards__judgment=judgment).distinct()


# --- Scope: the claims an actor may reach ------------------------------------------------------


def claim_case_get_for_user(user: User, pk: int | str) -> Case:
    """A case whose claims the user may read (and, for the designated lawyer, write)."""
    return legalaid_selectors.case_get_managed_by(user, pk)


def claim_list_for_case(case: Case) -> QuerySet[CivilClaim]:
    return (
        CivilClaim.objects.filter(case=case)
        .select_related("case")
        .prefetch_related("defendants")
        .order_by("created_at", "id")
    )


def _reachable(user: User, rows: QuerySet[_M], pk: int | str, case_path: str, missing: str) -> _M:
    """The row, if the user manages the case it hangs on (`case_path`); else NotFound with the
    `missing` message ("No such …")."""
    try:
        row = rows.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise NotFound(missing) from None
    case = row
    for name in case_path.split("."):
        case = getattr(case, name)
    assert isinstance(case, Case)
    # Managing a case implies seeing it (`case_list_for_user`): office staff of its office, an
    # administrator, the lawyer whose designation is accepted. One check, no second query.
    if not legalaid_selectors.user_manages_case(user, case):
        raise NotFound(missing)
    return row


def claim_get_for_user(user: User, pk: int | str) -> CivilClaim:
    rows = CivilClaim.objects.select_related("case")
    return _reachable(user, rows, pk, "case", _("No such claim."))


def judgment_get_for_user(user: User, pk: int | str) -> Judgment:
    rows = Judgment.objects.select_related("claim__case")
    return _reachable(user, rows, pk, "claim.case", _("No such judgment."))


def payment_get_for_user(user: User, pk: int | str) -> Payment:
    rows = Payment.objects.select_related("judgment__claim__case")
    return _reachable(user, rows, pk, "judgment.claim.case", _("No such payment."))


def state_aid_application_get_for_user(user: User, pk: int | str) -> StateAidApplication:
    rows = StateAidApplication.objects.select_related("claim__case")
    return _reachable(user, rows, pk, "claim.case", _("No such state-aid application."))


def enforcement_step_get_for_user(user: User, pk: int | str) -> EnforcementStep:
    rows = EnforcementStep.objects.select_related("claim__case")
    return _reachable(user, rows, pk, "claim.case", _("No such enforcement step."))


def damage_head_list_for_claim(claim: CivilClaim) -> QuerySet[DamageHead]:
    return claim.damage_heads.select_related("flat_rate").order_by("id")


def judgment_list_for_claim(claim: CivilClaim) -> QuerySet[Judgment]:
    awards = Award.objects.prefetch_related("debtors").order_by("id")
    return claim.judgments.prefetch_related(Prefetch("awards", queryset=awards)).order_by(
        "given_on", "id"
    )


def claim_with_details(pk: int) -> CivilClaim:
    """A claim with its heads of damage and judgments (and their awards) prefetched."""
    awards = Award.objects.prefetch_related("debtors").order_by("id")
    return (
        CivilClaim.objects.prefetch_related(
            "defendants",
            Prefetch("damage_heads", queryset=DamageHead.objects.select_related("flat_rate")),
            Prefetch(
                "judgments",
                queryset=Judgment.objects.prefetch_related(
                    Prefetch("awards", queryset=awards)
                ).order_by("given_on", "id"),
            ),
        )
        .select_related("case")
        .get(pk=pk)
    )


def judgment_with_awards(pk: int) -> Judgment:
    awards = Award.objects.prefetch_related("debtors").order_by("id")
    return Judgment.objects.prefetch_related(Prefetch("awards", queryset=awards)).get(pk=pk)


def award_list_for_judgment(judgment: Judgment) -> QuerySet[Award]:
    return judgment.awards.prefetch_related("debtors").order_by("id")


def payment_list_for_judgment(judgment: Judgment) -> QuerySet[Payment]:
    return judgment.payments.select_related("reversal").order_by("paid_on", "id")


def state_aid_application_list_for_claim(claim: CivilClaim) -> QuerySet[StateAidApplication]:
    return claim.state_aid_applications.order_by("filed_on", "id")


def enforcement_step_list_for_claim(claim: CivilClaim) -> QuerySet[EnforcementStep]:
    return claim.enforcement_steps.order_by("taken_on", "id")


# --- Balances ------------------------------------------------------------------------------------


def legal_rate_periods() -> list[ledger.RatePeriod]:
    """The legal-rate table as the ledger reads it (a gap raises `ledger.RateGap` there, naming
    the first year it needs and lacks)."""
    return [
        ledger.RatePeriod(row.valid_from, row.valid_until, row.percent)
        for row in LegalInterestRate.objects.order_by("valid_from")
    ]


def _ledger_award(award: Award, as_of: dt.date) -> ledger.Award:
    interest = None
    if award.interest_kind != InterestKind.NONE:
        assert award.interest_from is not None
        if award.interest_from <= as_of:  # not running yet on that day: nothing accrued
            interest = ledger.Interest(
                kind=award.interest_kind,  # type: ignore[arg-type]
                start=award.interest_from,
                fixed_percent=award.fixed_percent,
            )
    return ledger.Award(
        id=award.pk,
        kind=award.kind,  # type: ignore[arg-type]
        amount=award.amount,
        debtors=frozenset(party.pk for party in award.debtors.all()),
        interest=interest,
    )


def _replacing_judgment(replaced: Judgment, counted: list[Judgment]) -> Judgment | None:
    """The judgment given on appeal: the first one counted that was given on or after the day
    the replaced judgment was appealed."""
    appealed_on = replaced.appealed_on or replaced.given_on
    later = [judgment for judgment in counted if judgment.given_on >= appealed_on]
    return later[0] if later else None


@dataclass(frozen=True)
class ClaimLedger:
    """A claim's balances (`ledger`) and the awards they count (`awards`: judgments given by
    `as_of` and not replaced on appeal, in the order of their judgments, each award with its
    judgment and its debtors' defendants loaded), read together."""

    ledger: ledger.Ledger
    awards: list[Award]


def claim_ledger(claim: CivilClaim, *, as_of: dt.date) -> ledger.Ledger:
    """Every balance of the claim at the end of `as_of` (see `claim_ledger_with_awards`)."""
    return claim_ledger_with_awards(claim, as_of=as_of).ledger


def claim_ledger_with_awards(
    claim: CivilClaim, *, as_of: dt.date, debtor_names: bool = False
) -> ClaimLedger:
    """Every balance of the claim at the end of `as_of`: per award and per debtor (a party id),
    with the interest statement, from the database's rows and legal-rate table. The awards'
    debtors come with their defendant (whose name is decrypted) only when `debtor_names` is
    asked: a document names them, the API gives party ids.

    - Judgments given after `as_of` do not count yet; judgments replaced on appeal never count.
      Payments recorded against a replaced judgment count towards the judgment that replaced it
      (the first counted judgment given on or after the appeal), as the money was received.
    - Each judgment is computed with its own imputation order and day count, its payments going
      to its own awards only; the results are combined (`ledger.combine`).
    - A payment that was reversed, and its reversal row, both drop out.
    - The payer is the payment's party (a defendant, or the debtor on whose behalf an insurer or
      another payer paid); a payment without a party (the state fund, an insurer or another
      payer for nobody in particular) goes to every award of its judgment. A party carried over
      from a replaced judgment who owes nothing under the new one counts as such a payer too.
    - A year the legal-rate table lacks raises `ledger.RateGap` (an ApplicationError: 400)."""
    judgments = list(
        claim.judgments.filter(given_on__lte=as_of)
        .prefetch_related(
            Prefetch(
                "awards",
                queryset=Award.objects.prefetch_related(
                    Prefetch(
                        "debtors",
                        queryset=Party.objects.select_related("defendant")
                        if debtor_names
                        else Party.objects.all(),
                    )
                ).order_by("id"),
            )
        )
        .order_by("given_on", "id")
    )
    counted = [j for j in judgments if j.status != JudgmentStatus.REPLACED]
    target: dict[int, Judgment] = {j.pk: j for j in counted}
    for judgment in judgments:
        if judgment.status == JudgmentStatus.REPLACED:
            replacing = _replacing_judgment(judgment, counted)
            if replacing is not None:
                target[judgment.pk] = replacing
    payments = (
        Payment.objects.filter(
            judgment_id__in=list(target),
            paid_on__lte=as_of,
            reverses__isnull=True,
            reversal__isnull=True,
        )
        .order_by("paid_on", "id")
        .values_list("pk", "judgment_id", "paid_on", "amount", "payer_party_id")
    )
    by_judgment: dict[int, list[ledger.Payment]] = {j.pk: [] for j in counted}
    awards = {j.pk: [_ledger_award(award, as_of) for award in j.awards.all()] for j in counted}
    debtors = {pk: {d for award in rows for d in award.debtors} for pk, rows in awards.items()}
    for pk, judgment_id, paid_on, amount, payer in payments:
        owner = target[judgment_id].pk
        by_judgment[owner].append(
            ledger.Payment(pk, paid_on, amount, payer if payer in debtors[owner] else None)
        )
    rates = legal_rate_periods()
    parts = [
        ledger.compute(
            awards[judgment.pk],
            by_judgment[judgment.pk],
            as_of=as_of,
            rates=rates,
            day_count=judgment.day_count,  # type: ignore[arg-type]
            imputation=judgment.imputation_sequence,  # type: ignore[arg-type]
        )
        for judgment in counted
    ]
    return ClaimLedger(
        ledger=ledger.combine(parts, as_of=as_of),
        awards=[award for judgment in counted for award in judgment.awards.all()],
    )


# --- Guardians: what was awarded and received, nothing else -------------------------------------


@dataclass(frozen=True)
class CompensationSummary:
    as_of: dt.date
    awarded: Decimal  # principal and costs of every counted award (interest not included)
    received: Decimal  # every payment counted, whoever paid


def case_compensation_summary(case: Case, *, as_of: dt.date) -> CompensationSummary:
    awarded = received = ledger.ZERO
    for claim in claim_list_for_case(case):
        balances = claim_ledger(claim, as_of=as_of)
        awarded += balances.totals.principal + balances.totals.costs
        received += balances.received
    return CompensationSummary(as_of=as_of, awarded=awarded, received=received)


# --- State aid: eligibility hints -----------------------------------------------------------------


@dataclass(frozen=True)
class Hint:
    code: str
    met: bool | None  # None: the data does not tell
    message: str


@dataclass(frozen=True)
class StateAidEligibility:
    as_of: dt.date
    hints: tuple[Hint, ...]
    damage: Decimal
    minimum_damage: Decimal | None
    main_aid_ceiling: Decimal | None
    emergency_aid_ceiling: Decimal | None
    final_decision_on: dt.date | None
    deadline: dt.date | None  # the due date to apply (main and complementary aid)


INSOLVENCY_EVIDENCE = (EnforcementKind.BAILIFF, EnforcementKind.SEIZURE)


def _offender_hint(claim: CivilClaim, outstanding: Decimal | None) -> Hint:
    code = "offender_convicted_insolvent_or_unknown"
    if not claim.defendants.exists():
        return Hint(code, True, _("The offender is unknown (claim against persons unknown)."))
    if claim_final_decision_on(claim) is None:
        return Hint(code, False, _("No final conviction is recorded yet."))
    if outstanding is not None and outstanding == 0:
        return Hint(code, False, _("Nothing is outstanding: the offenders paid."))
    tried = claim.enforcement_steps.filter(kind__in=INSOLVENCY_EVIDENCE, outcome_on__isnull=False)
    if tried.exists():
        return Hint(
            code,
            True,
            _(
                "Convicted by a final decision; enforcement (bailiff or seizure) was tried and "
                "the debt is still outstanding."
            ),
        )
    return Hint(
        code,
        None,
        _(
            "Convicted by a final decision; insolvency is not shown yet (record the outcome of a "
            "bailiff's or a seizure's step)."
        ),
    )


def claim_state_aid_eligibility(claim: CivilClaim, *, as_of: dt.date) -> StateAidEligibility:
    """Hints, not decisions (the Commission decides, DOMAIN.md §6): the offender convicted and
    insolvent, or unknown; the civil-party constitution; the damage above the threshold of the
    rules in force (awarded damages once judged, else the damage claimed); the deadline, 3 years
    (as data) from the final decision."""
    rule = state_aid_rule_on(as_of)
    try:
        balances: ledger.Ledger | None = claim_ledger(claim, as_of=as_of)
    except ledger.RateGap:
        balances = None
    awarded_damages = sum(
        (
            award.amount
            for award in Award.objects.filter(
                judgment__claim=claim, kind=AwardKind.DAMAGES, judgment__given_on__lte=as_of
            ).exclude(judgment__status=JudgmentStatus.REPLACED)
        ),
        ledger.ZERO,
    )
    claimed = sum((head.amount_claimed for head in claim.damage_heads.all()), ledger.ZERO)
    damage = awarded_damages or claimed
    hints: list[Hint] = [
        _offender_hint(claim, None if balances is None else balances.totals.outstanding)
    ]
    constituted = claim.constituted_on is not None
    hints.append(
        Hint(
            "civil_party_constituted",
            constituted,
            _("Civil party since %(day)s.") % {"day": claim.constituted_on}
            if constituted
            else _("The civil-party constitution is not filed yet."),
        )
    )
    if rule is None:
        hints.append(
            Hint(
                "damage_above_threshold",
                None,
                _("No state-aid rules for %(day)s.") % {"day": as_of},
            )
        )
    else:
        above = damage > rule.minimum_damage
        damage_must_exceed = (
            _("Damage awarded: €%(damage)s; it must exceed €%(minimum)s.")
            if awarded_damages
            else _("Damage claimed: €%(damage)s; it must exceed €%(minimum)s.")
        )
        hints.append(
            Hint(
                "damage_above_threshold",
                above,
                damage_must_exceed % {"damage": damage, "minimum": rule.minimum_damage},
            )
        )
    final_on = claim_final_decision_on(claim)
    deadline = state_aid_deadline(claim)
    if deadline is None:
        hints.append(
            Hint(
                "within_deadline",
                None,
                _("No final decision yet: the deadline runs from it.")
                if final_on is None
                else _("No state-aid rules for %(day)s.") % {"day": final_on},
            )
        )
    else:
        hints.append(
            Hint(
                "within_deadline",
                as_of <= deadline,
                _("Apply by %(deadline)s (%(day)s plus the rules' deadline).")
                % {"deadline": deadline, "day": final_on},
            )
        )
    return StateAidEligibility(
        as_of=as_of,
        hints=tuple(hints),
        damage=damage,
        minimum_damage=None if rule is None else rule.minimum_damage,
        main_aid_ceiling=None if rule is None else rule.main_aid_ceiling,
        emergency_aid_ceiling=None if rule is None else rule.emergency_aid_ceiling,
        final_decision_on=final_on,
        deadline=deadline,
    )
