"""Phrases the pages share: what each audit action means, said for people. An action not listed
here (a new one) shows its code, never nothing."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "case.read_full": _("read the case file"),
    "case.read_summary": _("read the case summary"),
    "case.create": _("opened the case"),
    "case.close": _("closed the case"),
    "case.status_change": _("moved the case to its next stage"),
    "case.language_change": _("changed the language of the proceedings"),
    "case_note.create": _("added a note"),
    "victim.create": _("registered the victim"),
    "defendant.create": _("registered a defendant"),
    "party.create": _("added a defendant to the case"),
    "guardian.create": _("registered a guardian"),
    "guardian_access.grant": _("gave a guardian access"),
    "guardian_access.revoke": _("revoked a guardian's access"),
    "designation.proposed": _("proposed a lawyer"),
    "designation.accepted": _("accepted the designation"),
    "designation.declined": _("declined the designation"),
    "designation.expired": _("let the designation expire"),
    "designation.withdrawn": _("withdrew the designation"),
    "designation.ended": _("ended the designation"),
    "escalation.open": _("escalated the case: no lawyer could be designated"),
    "escalation.update": _("found the case still without an eligible lawyer"),
    "escalation.resolve": _("resolved the escalation"),
    "designation.cross_district_override": _("proposed a lawyer of another district or bar"),
    "panel.import": _("imported the yearly list"),
    "civil_claim.create": _("constituted the civil claim"),
    "civil_claim.status_change": _("changed the civil claim's status"),
    "judgment.create": _("recorded a judgment"),
    "payment.create": _("recorded a payment"),
    "payment.reverse": _("reversed a payment"),
    "personal_data_export.request": _("asked for a copy of the person's file"),
    "personal_data_export.produce": _("produced the copy of the person's file"),
    "personal_data_export.download": _("downloaded the copy of the person's file"),
    "personal_data_export.expire": _("deleted the expired copy of the person's file"),
}


def audit_action(code: str) -> str:
    return str(AUDIT_ACTIONS.get(code, code))
