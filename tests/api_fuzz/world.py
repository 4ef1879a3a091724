"""The fuzz tests' world: the fixed cast with data of every kind the API serves, built through
the services, and the ids of each kind, so that generated requests sometimes name real objects
(in the caller's scope or outside it).

On top of the cast (tests/cast.py): on `case_a` and `case_b` a claim set each (a filed claim with
a head of damage, a judgment with an award, a payment, two state-aid applications, an enforcement
step, and a second claim only prepared; tests/claims/api_world.py) and the demo's two
non-punishment records each (legalaid/demo_nonpunishment.py: evidence, links, an assessment,
requests, a decision; one record shared with the guardian, one not); a lawyer's leave, a case the
engine could not give a lawyer (an open escalation), a rendered designation letter on `case_a`
and a status letter still queued on `case_b`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from rest_framework.authtoken.models import Token

from claims.models import (
    CivilClaim,
    DamageHead,
    EnforcementStep,
    Judgment,
    Payment,
    StateAidApplication,
)
from documents import exports as export_services
from documents import services as document_services
from documents.models import Document, DocumentKind, PersonalDataExport
from documents.snapshots import Subject
from legalaid import demo_nonpunishment
from legalaid.api.permissions import EVERYONE
from legalaid.models import (
    Case,
    Defendant,
    Designation,
    District,
    Escalation,
    EvidenceItem,
    Guardian,
    GuardianAccess,
    Lawyer,
    LegalAidOffice,
    NonPunishmentRecord,
    Party,
    Role,
    User,
)
from legalaid.services.lawyers import leave_period_add
from tests.cast import Cast, build_cast, make_case
from tests.claims.api_world import claim_set

# The member of the cast who plays each role.
PLAYERS = {
    Role.OFFICE: "office_a",
    Role.LAWYER: "lawyer_a",
    Role.GUARDIAN: "guardian_a",
    Role.ADMIN: "admin",
}
# The roles the API serves (legalaid.api.permissions.EVERYONE), in Role's order; a role added
# there without a player here fails on import.
ROLES = {role.value: PLAYERS[role] for role in Role if role in EVERYONE}

# Which ids a path's first segment names (/api/v1/<segment>/{id}/...).
PATH_KINDS: dict[str, type[Model]] = {
    "cases": Case,
    "lawyers": Lawyer,
    "designations": Designation,
    "escalations": Escalation,
    "guardian-access": GuardianAccess,
    "nonpunishment-records": NonPunishmentRecord,
    "claims": CivilClaim,
    "judgments": Judgment,
    "payments": Payment,
    "state-aid-applications": StateAidApplication,
    "enforcement-steps": EnforcementStep,
    "documents": Document,
    "personal-data-exports": PersonalDataExport,
    "districts": District,
}

# Which ids a field of a body or a query names, by the field's name.
FIELD_KINDS: dict[str, type[Model]] = {
    "case": Case,
    "case_id": Case,
    "lawyer": Lawyer,
    "chosen_lawyer": Lawyer,
    "represented_by": Lawyer,
    "office": LegalAidOffice,
    "defendant": Defendant,
    "guardian": Guardian,
    "claim": CivilClaim,
    "debtor": Party,
    "debtors": Party,
    "defendants": Party,
    "payer_party": Party,
    "damage_head": DamageHead,
    "state_aid_application": StateAidApplication,
    "nonpunishment_record": NonPunishmentRecord,
    "evidence": EvidenceItem,
    "actor": User,
}


@dataclass
class FuzzWorld:
    cast: Cast
    tokens: dict[str, str]  # role → API token
    ids: dict[type[Model], list[Any]] = field(default_factory=dict)  # every row's id, by model

    def ids_for_path(self, path: str) -> list[Any]:
        segment = path.removeprefix("/api/v1/").split("/", 1)[0]
        model = PATH_KINDS.get(segment)
        return self.ids.get(model, []) if model else []

    def ids_for_field(self, name: str) -> list[Any]:
        model = FIELD_KINDS.get(name)
        return self.ids.get(model, []) if model else []


def _escalated_case(cast: Cast) -> Escalation:
    """A case no lawyer of the panel can take (every one defends a party in it)."""
    case: Case = make_case(
        cast.office_a,
        cast.office_a_obj,
        auto_designate=True,
        parties=[
            {"role": "pimp", "full_name": "Escalated Pimp", "represented_by": cast.panel_a},
            {"role": "client", "full_name": "Escalated Client", "represented_by": cast.panel_a2},
        ],
    )
    return Escalation.objects.get(case=case, resolved_at__isnull=True)


def build_fuzz_world(today: dt.date) -> FuzzWorld:
    cast = build_cast()
    claim_set(cast.lawyer_a, cast.case_a, cast.party_a, "a")
    claim_set(cast.lawyer_b, cast.case_b, cast.party_b, "b")
    demo_nonpunishment.records_add(lawyer=cast.lawyer_a, case=cast.case_a, today=today)
    demo_nonpunishment.records_add(lawyer=cast.lawyer_b, case=cast.case_b, today=today)
    leave_period_add(
        actor=cast.office_a,
        lawyer=cast.panel_a,
        starts_on=today + dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=20),
        note="Holiday",
    )
    _escalated_case(cast)
    letter, _ = document_services.document_request(
        actor=cast.office_a, case=cast.case_a, kind=DocumentKind.DESIGNATION_LETTER
    )
    document_services.document_render(document_id=letter.pk)
    document_services.document_request(
        actor=cast.guardian_b,
        case=cast.case_b,
        kind=DocumentKind.GUARDIAN_STATUS_LETTER,
        subject=Subject(),
    )
    copy = export_services.personal_data_export_request(
        actor=cast.office_a, victim=cast.case_a.victim, on_behalf_of="guardian"
    )
    export_services.personal_data_export_build(export_id=copy.pk)
    tokens = {
        role: Token.objects.create(user=getattr(cast, member)).key for role, member in ROLES.items()
    }
    models = {*PATH_KINDS.values(), *FIELD_KINDS.values()}
    ids = {
        model: list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        for model in models
    }
    return FuzzWorld(cast=cast, tokens=tokens, ids=ids)
