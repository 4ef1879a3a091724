"""Fictional demo data: bars and offices, ~20 lawyers, a few cases, and the demo users; then
the demo data of the other apps, through the functions listed in settings.DEMO_DATA_EXTENSIONS
(dotted paths of `load(*, stdout) -> None`), in the same transaction.

Refused where settings.DEMO_DATA_ALLOWED is false (production). With --if-empty it does nothing
when the database already holds a case, so `make run` can call it every time."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from legalaid import demo_nonpunishment
from legalaid.models import (
    Bar,
    Case,
    District,
    GuardianRelationship,
    Language,
    Lawyer,
    LegalAidOffice,
    Matter,
    NoteKind,
    PartyRole,
    Role,
    User,
)
from legalaid.national_number import national_number_for
from legalaid.normalise import normalise_handle
from legalaid.services.cases import case_intake, case_note_add
from legalaid.services.designations import designation_accept
from legalaid.services.guardians import guardian_access_grant, guardian_create
from legalaid.services.lawyers import lawyer_create

DEMO_PASSWORD = "lanzarote-demo"

# bar name, district, office name, languages of its lawyers
BARS = [
    ("Balie Antwerpen", "antwerpen", "Bureau voor Juridische Bijstand Antwerpen", ["nl"]),
    ("Balie Brussel", "brussel", "Bureau voor Juridische Bijstand Brussel", ["nl"]),
    ("Barreau de Bruxelles", "brussel", "Bureau d'aide juridique de Bruxelles", ["fr"]),
    ("Barreau de Liège-Huy", "luik", "Bureau d'aide juridique de Liège", ["fr"]),
    ("Rechtsanwaltskammer Eupen", "eupen", "Büro für juristischen Beistand Eupen", ["de"]),
]
# The other districts each bar's lawyers also serve, lawyer by lawyer (the demo's panel is
# small): every one of the 12 districts has at least two lawyers, so that an intake anywhere can
# be designated by the office whose bar serves it.
ALSO_SERVED: dict[str, list[list[str]]] = {
    "antwerpen": [["limburg", "oost-vlaanderen"], ["west-vlaanderen", "limburg"],
                  ["oost-vlaanderen", "west-vlaanderen"], ["leuven"], ["leuven"], []],
    "brussel": [["leuven", "waals-brabant"], ["waals-brabant"], [], []],
    "luik": [["henegouwen", "namen"], ["henegouwen", "luxemburg"], ["namen", "luxemburg"], []],
    "eupen": [[], [], [], []],
}  # fmt: skip
GIVEN = ["An", "Bram", "Chloé", "Dries", "Elif", "Fatima", "Geert", "Hanne", "Inès", "Jonas",
         "Karim", "Lotte", "Mathieu", "Nora", "Olivier", "Pieter", "Rania", "Sofie", "Thomas",
         "Yasmine", "Zoë", "Lukas"]  # fmt: skip
FAMILY = ["Peeters", "Janssens", "Maes", "Dubois", "Lambert", "Claes", "Mertens", "Dupont",
          "Willems", "Goossens", "Renard", "Schmitz", "Wouters", "Leclercq", "Hermans", "Fontaine",
          "Jacobs", "Martin", "Vermeulen", "Simon", "Kessler", "De Smet"]  # fmt: skip
EXTRA_LANGUAGES = ["en", "ar", "ro", "tr", "es", "bg"]


class Command(BaseCommand):
    help = "Load fictional demo data (never in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when a case already exists."
        )

    def handle(self, *args: Any, if_empty: bool, **options: Any) -> None:
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is never loaded with these settings (production).")
        if Case.objects.exists() or User.objects.filter(username="office").exists():
            if if_empty:
                self.stdout.write("The database already holds data: demo data not loaded.")
                self._print_logins()
                return
            raise CommandError("The database already holds data; demo data goes into an empty one.")
        with transaction.atomic():
            self._load()
            demo_nonpunishment.load(stdout=self.stdout)
            for path in settings.DEMO_DATA_EXTENSIONS:
                import_string(path)(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write(
            "\nLanzarote on http://127.0.0.1:8000 — API docs /api/docs/, admin /admin/\n"
            f"Demo logins (password {DEMO_PASSWORD!r}, fictional data only; the second factor's\n"
            "secrets are in the README, or: .venv/bin/python manage.py demo_totp_code office):\n"
            "  office     legal-aid office staff, Antwerpen\n"
            "  office-bxl legal-aid office staff, Bruxelles (FR)\n"
            "  lawyer     a pro-deo lawyer with one accepted case and one proposal to answer\n"
            "  guardian   the parent of one minor victim\n"
            "  admin      administrator (Django admin)\n"
            "API token: .venv/bin/python manage.py create_api_token office\n"
        )

    def _load(self) -> None:
        rng = random.Random(2019)  # noqa: S311 - fictional data, not security  # the year of the Senate resolution; fixed for repeatable demos
        admin = User.objects.create_superuser("admin", password=DEMO_PASSWORD, role=Role.ADMIN)
        offices: list[LegalAidOffice] = []
        lawyers: list[Lawyer] = []
        all_matters = list(Matter.objects.all())
        names = iter(
            zip(rng.sample(GIVEN, len(GIVEN)), rng.sample(FAMILY, len(FAMILY)), strict=True)
        )
        for index, (bar_name, district_code, office_name, languages) in enumerate(BARS):
            district = District.objects.get(pk=district_code)
            bar = Bar.objects.create(name=bar_name, district=district)
            office = LegalAidOffice.objects.create(
                bar=bar, name=office_name, acceptance_deadline_hours=4
            )
            offices.append(office)
            for number in range(6 if index == 0 else 4):
                given, family = next(names)
                spoken = [*languages, *rng.sample(EXTRA_LANGUAGES, rng.randint(0, 2))]
                if number == 0 and languages != ["de"]:
                    spoken.append("fr" if languages == ["nl"] else "nl")
                lawyers.append(
                    lawyer_create(
                        actor=admin,
                        bar=bar,
                        given_name=given,
                        family_name=family,
                        email=f"{normalise_handle(given)}.{normalise_handle(family)}@example.be",
                        phone="+32 4" + " ".join(str(rng.randint(10, 99)) for _ in range(4)),
                        capacity=rng.choice([3, 5, 8, 10]),
                        languages=list(Language.objects.filter(code__in=set(spoken))),
                        districts=[
                            district,
                            *District.objects.filter(pk__in=ALSO_SERVED[district_code][number]),
                        ],
                        matters=all_matters if number % 3 else all_matters[:2],
                        youth_certified=number % 2 == 0,
                    )
                )
        antwerp = offices[0]
        office_user = User.objects.create_user(
            "office", password=DEMO_PASSWORD, role=Role.OFFICE, office=antwerp
        )
        lawyer_user = User.objects.create_user("lawyer", password=DEMO_PASSWORD, role=Role.LAWYER)
        demo_lawyer = lawyers[0]
        demo_lawyer.user = lawyer_user
        demo_lawyer.save(update_fields=["user"])
        guardian_user = User.objects.create_user(
            "guardian", password=DEMO_PASSWORD, role=Role.GUARDIAN
        )

        today = timezone.localdate()
        nl, fr, ro = (Language.objects.get(pk=c) for c in ("nl", "fr", "ro"))
        first = case_intake(
            actor=office_user,
            office=antwerp,
            given_names="Lena",
            family_name="Voorbeeld",
            date_of_birth=today - dt.timedelta(days=15 * 365 + 40),
            national_number=national_number_for(today - dt.timedelta(days=15 * 365 + 40), 182),
            victim_language=nl,
            district=antwerp.bar.district,
            prosecutor_notice_number="AN.55.L1.012345/26",
            facts_started_on=today - dt.timedelta(days=120),
            chosen_lawyer=demo_lawyer,
            parties=[
                {
                    "role": PartyRole.PIMP,
                    "full_name": "Kevin Fictief",
                    "aliases": ["K-Money"],
                    "handles": ["@kevin_fictief"],
                },
                {"role": PartyRole.CLIENT, "full_name": "Jan Verzonnen"},
            ],
        )
        designation = first.designations.get()
        designation_accept(actor=lawyer_user, designation=designation)
        case_note_add(
            actor=office_user, case=first, kind=NoteKind.OFFICE, body="Guardian reached by phone."
        )
        case_note_add(
            actor=lawyer_user,
            case=first,
            kind=NoteKind.PRIVILEGED,
            body="First meeting planned at the youth institution.",
        )
        guardian = guardian_create(
            actor=office_user,
            case=first,
            relationship=GuardianRelationship.PARENT,
            full_name="Marleen Voorbeeld",
            email="guardian@example.be",
            preferred_language=nl,
            user=guardian_user,
        )
        guardian_access_grant(actor=office_user, case=first, guardian=guardian)

        case_intake(
            actor=office_user,
            office=antwerp,
            given_names="Ioana",
            family_name="Exemplu",
            date_of_birth=today - dt.timedelta(days=16 * 365 + 100),
            nationality="RO",
            victim_language=ro,
            district=antwerp.bar.district,
            parties=[
                {"role": PartyRole.PIMP, "defendant": first.parties.get(role="pimp").defendant}
            ],
        )

        case_intake(  # the minor chose the demo lawyer: a proposal waits for their answer
            actor=office_user,
            office=antwerp,
            given_names="Sara",
            family_name="Proef",
            date_of_birth=today - dt.timedelta(days=14 * 365 + 10),
            victim_language=nl,
            district=antwerp.bar.district,
            chosen_lawyer=demo_lawyer,
        )
        brussels_fr = offices[2]
        brussels_staff = User.objects.create_user(
            "office-bxl", password=DEMO_PASSWORD, role=Role.OFFICE, office=brussels_fr
        )
        case_intake(
            actor=brussels_staff,
            office=brussels_fr,
            given_names="Amina",
            family_name="Exemple",
            date_of_birth=today - dt.timedelta(days=16 * 365 + 200),
            victim_language=fr,
            district=brussels_fr.bar.district,
            language=fr,
        )
        case_intake(
            actor=admin,
            office=offices[4],
            given_names="Mia",
            family_name="Beispiel",
            date_of_birth=today - dt.timedelta(days=17 * 365),
            victim_language=Language.objects.get(pk="de"),
            district=offices[4].bar.district,
        )
