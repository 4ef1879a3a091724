"""Intake of a victim and their case, changes of language, notes, the case's status (moved forward
by the events of the proceedings, closed by the office), and recording reads of a file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..audit import audit_record, changes_between, changes_for_create, snapshot
from ..errors import Conflict, Forbidden
from ..models import (
    Case,
    CaseNote,
    CaseStatus,
    DesignationStatus,
    District,
    Language,
    Lawyer,
    LegalAidOffice,
    Matter,
    NoteKind,
    Role,
    User,
    Victim,
)
from ..national_number import (
    clean_national_number,
    national_number_birth_date_matches,
    national_number_is_valid,
)
from ..selectors import district_languages_on, user_is_designated_lawyer
from ._case_status import case_locked, case_status_move, stages_before
from ._common import clean_and_save, lock_until_transaction_ends, random_code, require
from .designations import designation_auto, designation_withdraw, escalations_resolve
from .parties import party_add

VICTIM_FIELDS = ("pseudonym", *Victim.IDENTITY_FIELDS, "language", "earlier_record")
CASE_FIELDS = (
    "reference", "office", "victim", "district", "language", "matters", "status", "intake_on",
    "prosecutor_notice_number", "investigating_judge", "court", "facts_started_on",
    "adult_at_intake", "adult_at_intake_reason", "is_repeat_victimisation", "chosen_lawyer",
)  # fmt: skip


def _unique_code(model: type[Victim] | type[Case], field: str, prefix: str, length: int) -> str:
    while True:
        code = f"{prefix}{random_code(length)}"
        if not model.objects.filter(**{field: code}).exists():
            return code


def _proceedings_language(district: District, day: dt.date, requested: Language | None) -> Language:
    allowed = list(district_languages_on(district, day))
    codes = sorted(item.language_id for item in allowed)
    if requested is not None:
        require(
            requested.code in codes,
            "language",
            _("The courts of %(district)s use %(codes)s; %(code)s is not allowed there.")
            % {"district": district, "codes": ", ".join(codes), "code": requested.code},
        )
        return requested
    defaults = [item.language for item in allowed if item.is_default]
    require(
        len(defaults) == 1,
        "language",
        _(
            "The district %(district)s has no single language of proceedings: choose one of "
            "%(codes)s."
        )
        % {"district": district, "codes": ", ".join(codes)},
    )
    return defaults[0]


def _clean_victim_identity(
    *, date_of_birth: dt.date, national_number: str | None, intake_on: dt.date
) -> str | None:
    require(date_of_birth <= intake_on, "date_of_birth", _("The date of birth lies in the future."))
    number = clean_national_number(national_number) if national_number else None
    if number:
        require(
            national_number_is_valid(number),
            "national_number",
            _("This is not a valid Belgian national number (11 digits with a correct check)."),
        )
        require(
            national_number_birth_date_matches(number, date_of_birth),
            "national_number",
            _("The national number does not match the date of birth."),
        )
    return number


def _identity_keys(*, victim: Victim) -> list[str]:
    """What `_earlier_record` matches on: the normalised names with the date of birth, and the
    national number when given (a record found by either is the same person), as blind indexes."""
    keys = [f"victim-person:{victim.person_index}"]
    if victim.national_number_index:
        keys.append(f"victim-number:{victim.national_number_index}")
    return keys


def _earlier_record(*, victim: Victim) -> Victim | None:
    """The first record of the same person, if known: by national number when given, otherwise
    by normalised names (case, accents, word order ignored) and the same date of birth; both
    through their blind indexes."""
    if victim.national_number_index:
        # Any record carrying the number, first or later: a person first registered without a
        # number may have given it only at a later intake.
        known = (
            Victim.objects.filter(national_number_index=victim.national_number_index)
            .select_related("earlier_record")
            .order_by("pk")
            .first()
        )
        if known is not None:
            require(
                known.person_index == victim.person_index,
                "national_number",
                _(
                    "A victim with this national number is already registered under another "
                    "name or date of birth: check the number."
                ),
            )
            return known.earlier_record or known
    return (
        Victim.objects.filter(person_index=victim.person_index, earlier_record__isnull=True)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def case_intake(
    *,
    actor: User,
    office: LegalAidOffice,
    given_names: str,
    family_name: str,
    date_of_birth: dt.date,
    victim_language: Language,
    district: District,
    national_number: str | None = None,
    nationality: str = "",
    language: Language | None = None,
    matters: Sequence[Matter] = (),
    intake_on: dt.date | None = None,
    adult_at_intake_reason: str = "",
    prosecutor_notice_number: str = "",
    investigating_judge: str = "",
    court: str = "",
    facts_started_on: dt.date | None = None,
    chosen_lawyer: Lawyer | None = None,
    parties: Sequence[Mapping[str, Any]] = (),
    auto_designate: bool = True,
) -> Case:
    """Register a victim and open their case. A victim already known (same national number, or
    same names and date of birth) is linked to their first record and the case flagged as repeat
    victimisation. Intakes of the same person never run side by side: each takes a lock, until its
    transaction ends, on its identity (the names with the date of birth, and the national number
    if given) before it looks for earlier records, so a second intake at the same moment waits for
    the first, then finds it and is linked to it (never two first records, never a clash on the
    national number). Then the engine proposes a lawyer, in the same transaction
    (`auto_designate=False` leaves the case awaiting designation). `parties` are the defendants
    known at intake (arguments of `party_add`), so that conflicts of interest are seen at once."""
    intake_on = intake_on or timezone.localdate()
    require(
        intake_on <= timezone.localdate(), "intake_on", _("The intake date lies in the future.")
    )
    number = _clean_victim_identity(
        date_of_birth=date_of_birth,
        national_number=national_number,
        intake_on=intake_on,
    )
    victim = Victim(
        pseudonym=_unique_code(Victim, "pseudonym", "V-", 6),
        given_names=given_names.strip(),
        family_name=family_name.strip(),
        date_of_birth=date_of_birth,
        national_number=number,
        nationality=nationality.upper(),
        language=victim_language,
    )
    victim.refresh_blind_indexes()
    lock_until_transaction_ends(*_identity_keys(victim=victim))
    earlier = _earlier_record(victim=victim)
    victim.earlier_record = earlier
    adult = not victim.is_minor_on(intake_on)
    require(
        not adult or bool(adult_at_intake_reason.strip()),
        "date_of_birth",
        _(
            "The victim is 18 or older on the intake date; give adult_at_intake_reason to "
            "register the case anyway."
        ),
    )
    proceedings_language = _proceedings_language(district, intake_on, language)
    if facts_started_on is not None:
        require(
            facts_started_on <= intake_on,
            "facts_started_on",
            _("The facts cannot start after the intake."),
        )
    clean_and_save(victim)
    case = Case(
        reference=_unique_code(Case, "reference", f"LZ-{intake_on.year}-", 6),
        office=office,
        victim=victim,
        district=district,
        language=proceedings_language,
        status=CaseStatus.AWAITING_DESIGNATION,
        intake_on=intake_on,
        facts_started_on=facts_started_on,
        adult_at_intake=adult,
        adult_at_intake_reason=adult_at_intake_reason.strip() if adult else "",
        prosecutor_notice_number=prosecutor_notice_number.strip(),
        investigating_judge=investigating_judge.strip(),
        court=court.strip(),
        is_repeat_victimisation=earlier is not None,
        chosen_lawyer=chosen_lawyer,
    )
    clean_and_save(case)
    case.matters.set(matters or Matter.objects.filter(default_for_cases=True))
    audit_record(
        actor=actor,
        action="victim.create",
        target=victim,
        case_id=case.pk,
        office_id=office.pk,
        changes=changes_for_create(victim, VICTIM_FIELDS),
    )
    audit_record(
        actor=actor,
        action="case.create",
        target=case,
        case_id=case.pk,
        office_id=office.pk,
        changes=changes_for_create(case, CASE_FIELDS),
    )
    for index, party in enumerate(parties):
        try:
            party_add(actor=actor, case=case, **party)
        except ValidationError as error:
            raise ValidationError(
                {f"parties[{index}].{key}": value for key, value in error.message_dict.items()}
            ) from None
    if auto_designate:
        designation_auto(actor=actor, case=case)
    return case


@transaction.atomic
def case_language_change(*, actor: User, case: Case, language: Language, reason: str) -> Case:
    """Change the language of proceedings (Language Act art. 23), always with a reason."""
    require(bool(reason.strip()), "reason", _("A change of language needs a reason."))
    require(language.proceedings, "language", _("Courts in Belgium use nl, fr or de only."))
    require(language.pk != case.language_id, "language", _("The case already uses this language."))
    case = Case.objects.select_for_update().get(pk=case.pk)
    before = {"language": case.language_id, "language_change_reason": case.language_change_reason}
    case.language = language
    case.language_change_reason = reason.strip()
    clean_and_save(case)
    after = {"language": case.language_id, "language_change_reason": case.language_change_reason}
    audit_record(
        actor=actor,
        action="case.language_change",
        target=case,
        case_id=case.pk,
        office_id=case.office_id,
        changes=changes_between(before, after),
    )
    return case


@transaction.atomic
def case_status_advance(*, actor: User | None, case: Case, to: str, event: str) -> bool:
    """Move the case forward to `to` (civil party constituted, judgment, recovery), for the
    service that recorded the event (`event`, the audit action of that event's row). Forward only:
    a case already there or further on stays where it is, and a closed case stays closed (a late
    payment is recorded, it does not reopen the case). The case's row is locked until the caller's
    transaction ends, and the move is audited in it (`case.status_change`). True if it moved.
    Closing is not an advance: it is the office's decision, with a reason (`case_close`)."""
    if to == CaseStatus.CLOSED:
        raise ValueError("A case is closed by the office with a reason: case_close.")
    moved = case_status_move(
        actor=actor, case_id=case.pk, to=to, allowed_from=stages_before(to), event=event
    )
    if moved is not None:
        case.status, case.updated_at = moved.status, moved.updated_at
    return moved is not None


@transaction.atomic
def case_close(*, actor: User, case: Case, reason: str) -> Case:
    """The legal-aid office closes the case, whatever stage it reached, with a reason: office
    staff of the case's office, or an administrator. A closed case stays readable by whoever
    could read it, and nothing reopens it: no new lawyer, no new civil claim; what is recorded
    later on its claims (a late payment, the outcome of a step) leaves it closed.

    In the same transaction: a proposal still waiting for the lawyer's answer is withdrawn (nobody
    should accept a closed case; the lawyer's place is given back), and the case leaves the
    escalation queue. An accepted designation stays: the lawyer still reads the case and files the
    end-of-case report, after which the office ends the mandate (`designation_end`)."""
    own_office = actor.role == Role.OFFICE and actor.office_id == case.office_id
    if not (own_office or actor.role == Role.ADMIN):
        raise Forbidden(_("A case is closed by its legal-aid office."))
    reason = reason.strip()
    require(bool(reason), "reason", _("Say why the case is closed."))
    require(len(reason) <= 300, "reason", _("Say it in at most 300 characters."))
    case = case_locked(case.pk)
    if case.status == CaseStatus.CLOSED:
        raise Conflict(_("This case was already closed on %(day)s.") % {"day": case.closed_on})
    fields = ("status", "closed_on", "close_reason")
    before = {name: value or None for name, value in snapshot(case, fields).items()}
    case.status = CaseStatus.CLOSED
    case.closed_on = timezone.localdate()
    case.close_reason = reason
    clean_and_save(case)
    audit_record(
        actor=actor,
        action="case.close",
        target=case,
        case_id=case.pk,
        office_id=case.office_id,
        changes=changes_between(before, snapshot(case, fields)),
    )
    pending = case.designations.filter(status=DesignationStatus.PROPOSED).first()
    if pending is not None:
        designation_withdraw(actor=actor, designation=pending, reason="The case was closed.")
    escalations_resolve(actor=actor, case=case, resolution="Case closed.", now=timezone.now())
    return case


@transaction.atomic
def case_note_add(*, actor: User, case: Case, kind: str, body: str) -> CaseNote:
    """Lawyers write privileged notes (readable by them alone); office staff write office notes."""
    if kind == NoteKind.PRIVILEGED and not user_is_designated_lawyer(actor, case):
        raise Forbidden(_("Only the designated lawyer writes privileged notes."))
    if kind == NoteKind.OFFICE and actor.role not in (Role.OFFICE, Role.ADMIN):
        raise Forbidden(_("Office notes are written by the legal-aid office."))
    require(bool(body.strip()), "body", _("A note cannot be empty."))
    note = CaseNote(case=case, author=actor, kind=kind, body=body.strip())
    clean_and_save(note)
    audit_record(
        actor=actor,
        action="case_note.create",
        target=note,
        case_id=case.pk,
        office_id=case.office_id,
        changes={"kind": [None, kind]},
    )
    return note


def case_file_read_record(*, actor: User, case: Case, view: str = "full") -> None:
    """Every read of a victim's file leaves a row in the audit trail."""
    audit_record(
        actor=actor,
        action=f"case.read_{view}",
        target=case,
        case_id=case.pk,
        office_id=case.office_id,
    )
