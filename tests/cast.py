"""A fixed cast for permission and scope tests (as in healthchecks' hc/test.py).

Office A (Antwerpen) and office B (Bruxelles, FR). In office A: `case_a`, designated to
`lawyer_a` (accepted), followed by `guardian_a`; `case_a2`, with a proposal pending for
`lawyer_a2`. In office B: `case_b`, designated to `lawyer_b` (accepted), followed by
`guardian_b`. Everything is built through the services, as in real use."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from dataclasses import dataclass

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.utils import timezone

from legalaid.models import (
    Bar,
    Case,
    Designation,
    District,
    Guardian,
    GuardianAccess,
    GuardianRelationship,
    Language,
    Lawyer,
    LegalAidOffice,
    Matter,
    NoteKind,
    Party,
    PartyRole,
    Role,
    User,
    Victim,
)
from legalaid.services.cases import case_intake, case_note_add
from legalaid.services.designations import designation_accept, designation_propose
from legalaid.services.guardians import guardian_access_grant, guardian_create
from legalaid.services.lawyers import lawyer_create
from legalaid.services.parties import party_add

PASSWORD = "cast-password-1"
# The TOTP secret of every cast member who gets a second factor (`give_second_factor`).
SECOND_FACTOR_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def give_second_factor(user: User) -> User:
    """Office staff, lawyers and administrators reach nothing by session without one."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, SECOND_FACTOR_SECRET)
    return user


def current_code(secret: str = SECOND_FACTOR_SECRET) -> str:
    """The code an authenticator app shows now for `secret`."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


@dataclass
class Cast:
    admin: User
    office_a: User
    office_b: User
    lawyer_a: User
    lawyer_a2: User
    lawyer_b: User
    guardian_a: User
    guardian_b: User
    outsider: User  # a guardian account with no access at all
    office_a_obj: LegalAidOffice
    office_b_obj: LegalAidOffice
    panel_a: Lawyer
    panel_a2: Lawyer
    panel_b: Lawyer
    case_a: Case
    case_a2: Case
    case_b: Case
    party_a: Party
    party_b: Party
    designation_a: Designation
    designation_a2: Designation
    designation_b: Designation
    access_a: GuardianAccess
    access_b: GuardianAccess


def cases_of_victim(family_name: str) -> list[Case]:
    """The cases whose victim bears this family name, oldest first. Names are encrypted at rest,
    so the database cannot compare them: they are compared here, after decryption."""
    cases = Case.objects.select_related("victim").order_by("pk")
    return [case for case in cases if case.victim.family_name == family_name]


def victims_named(family_name: str) -> list[Victim]:
    """The victims' records bearing this family name, oldest first (compared after decryption)."""
    return [v for v in Victim.objects.order_by("pk") if v.family_name == family_name]


def make_office(name: str, district_code: str) -> LegalAidOffice:
    bar = Bar.objects.create(name=f"Bar {name}", district=District.objects.get(pk=district_code))
    return LegalAidOffice.objects.create(bar=bar, name=f"Legal-aid office {name}")


def make_user(username: str, role: str, office: LegalAidOffice | None = None) -> User:
    return User.objects.create_user(username, password=PASSWORD, role=role, office=office)


def make_lawyer(
    actor: User,
    office: LegalAidOffice,
    name: str,
    *,
    languages: tuple[str, ...] = ("nl",),
    capacity: int = 5,
    user: User | None = None,
) -> Lawyer:
    return lawyer_create(
        actor=actor,
        bar=office.bar,
        given_name=name,
        family_name="Testlawyer",
        email=f"{name.lower()}@example.be",
        capacity=capacity,
        languages=list(Language.objects.filter(code__in=languages)),
        districts=[office.bar.district],
        matters=list(Matter.objects.all()),
        user=user,
    )


_victims = itertools.count(1)


def _letters(number: int) -> str:
    """1 → A, 26 → Z, 27 → AA: distinct names that normalise to distinct people."""
    text = ""
    while number:
        number, rest = divmod(number - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


def make_case(
    actor: User,
    office: LegalAidOffice,
    *,
    age_years: int = 15,
    auto_designate: bool = False,
    **extra: object,
) -> Case:
    """A case of a new, distinct victim; the engine runs only with `auto_designate=True`."""
    born = timezone.localdate() - dt.timedelta(days=age_years * 365 + 30)
    language = extra.pop("language", None)
    return case_intake(
        actor=actor,
        office=office,
        given_names=extra.pop("given_names", f"Test {_letters(next(_victims))}"),  # type: ignore[arg-type]
        family_name="Victim",
        auto_designate=auto_designate,
        date_of_birth=born,
        victim_language=Language.objects.get(pk="nl"),
        district=office.bar.district,
        language=language,  # type: ignore[arg-type]
        **extra,  # type: ignore[arg-type]
    )


def build_cast() -> Cast:
    admin = make_user("admin", Role.ADMIN)
    office_a_obj = make_office("A", "antwerpen")
    office_b_obj = make_office("B", "brussel")
    office_a = make_user("office_a", Role.OFFICE, office_a_obj)
    office_b = make_user("office_b", Role.OFFICE, office_b_obj)
    lawyer_a, lawyer_a2, lawyer_b = (
        make_user(name, Role.LAWYER) for name in ("lawyer_a", "lawyer_a2", "lawyer_b")
    )
    guardian_a, guardian_b, outsider = (
        make_user(name, Role.GUARDIAN) for name in ("guardian_a", "guardian_b", "outsider")
    )
    panel_a = make_lawyer(office_a, office_a_obj, "Anna", user=lawyer_a)
    panel_a2 = make_lawyer(office_a, office_a_obj, "Bert", user=lawyer_a2)
    panel_b = make_lawyer(office_b, office_b_obj, "Camille", languages=("fr",), user=lawyer_b)

    case_a = make_case(office_a, office_a_obj)
    case_a2 = make_case(office_a, office_a_obj)
    fr = Language.objects.get(pk="fr")
    case_b = make_case(office_b, office_b_obj, language=fr)
    party_a = party_add(actor=office_a, case=case_a, role=PartyRole.PIMP, full_name="Piet Pooier")
    party_b = party_add(actor=office_b, case=case_b, role=PartyRole.PIMP, full_name="Paul Proxo")

    designation_a = designation_propose(
        actor=office_a, case=case_a, lawyer=panel_a, reason="Chosen by the office"
    )
    designation_accept(actor=lawyer_a, designation=designation_a)
    designation_a2 = designation_propose(
        actor=office_a, case=case_a2, lawyer=panel_a2, reason="Chosen by the office"
    )
    designation_b = designation_propose(
        actor=office_b, case=case_b, lawyer=panel_b, reason="Chosen by the office"
    )
    designation_accept(actor=lawyer_b, designation=designation_b)

    case_note_add(actor=office_a, case=case_a, kind=NoteKind.OFFICE, body="Office note A")
    case_note_add(actor=lawyer_a, case=case_a, kind=NoteKind.PRIVILEGED, body="Secret A")
    nl = Language.objects.get(pk="nl")
    accesses = []
    for user, case, actor in ((guardian_a, case_a, office_a), (guardian_b, case_b, office_b)):
        guardian: Guardian = guardian_create(
            actor=actor,
            case=case,
            relationship=GuardianRelationship.PARENT,
            full_name=f"Parent of {case.reference}",
            preferred_language=nl,
            user=user,
        )
        accesses.append(guardian_access_grant(actor=actor, case=case, guardian=guardian))
    for designation in (designation_a, designation_a2, designation_b):
        designation.refresh_from_db()
    for case in (case_a, case_a2, case_b):
        case.refresh_from_db()
    return Cast(
        admin=admin,
        office_a=office_a,
        office_b=office_b,
        lawyer_a=lawyer_a,
        lawyer_a2=lawyer_a2,
        lawyer_b=lawyer_b,
        guardian_a=guardian_a,
        guardian_b=guardian_b,
        outsider=outsider,
        office_a_obj=office_a_obj,
        office_b_obj=office_b_obj,
        panel_a=panel_a,
        panel_a2=panel_a2,
        panel_b=panel_b,
        case_a=case_a,
        case_a2=case_a2,
        case_b=case_b,
        party_a=party_a,
        party_b=party_b,
        designation_a=designation_a,
        designation_a2=designation_a2,
        designation_b=designation_b,
        access_a=accesses[0],
        access_b=accesses[1],
    )
