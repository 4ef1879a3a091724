"""Guardians' access to a ward's case: granted per case, revocable, ending at the 18th birthday."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..audit import audit_record, changes_between, changes_for_create, snapshot
from ..errors import Conflict
from ..models import Case, Guardian, GuardianAccess, Language, User
from ._common import clean_and_save, require

GUARDIAN_FIELDS = ("relationship", *Guardian.IDENTITY_FIELDS, "preferred_language")


@transaction.atomic
def guardian_create(
    *,
    actor: User,
    case: Case,
    relationship: str,
    full_name: str,
    preferred_language: Language,
    email: str = "",
    phone: str = "",
    user: User | None = None,
) -> Guardian:
    guardian = Guardian(
        relationship=relationship,
        full_name=full_name.strip(),
        email=email,
        phone=phone,
        preferred_language=preferred_language,
        user=user,
    )
    clean_and_save(guardian)
    audit_record(
        actor=actor,
        action="guardian.create",
        target=guardian,
        case_id=case.pk,
        office_id=case.office_id,
        changes=changes_for_create(guardian, GUARDIAN_FIELDS),
    )
    return guardian


@transaction.atomic
def guardian_access_grant(*, actor: User, case: Case, guardian: Guardian) -> GuardianAccess:
    today = timezone.localdate()
    ends_on = case.victim.eighteenth_birthday()
    require(
        today < ends_on,
        "guardian",
        _("The victim is 18 or older: invite them in their own name instead of a guardian."),
    )
    access = GuardianAccess(
        guardian=guardian, case=case, granted_by=actor, granted_at=timezone.now(), ends_on=ends_on
    )
    access.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            access.save()
    except IntegrityError:
        raise Conflict(_("This guardian already has access to this case.")) from None
    audit_record(
        actor=actor,
        action="guardian_access.grant",
        target=access,
        case_id=case.pk,
        office_id=case.office_id,
        # ends_on is the ward's 18th birthday, so it tells their date of birth: masked.
        changes=changes_between(
            {}, snapshot(access, ("guardian", "ends_on")), identity_fields=("ends_on",)
        ),
    )
    return access


@transaction.atomic
def guardian_access_revoke(*, actor: User, access: GuardianAccess, reason: str) -> GuardianAccess:
    require(bool(reason.strip()), "reason", _("Revoking access needs a reason."))
    revoked = GuardianAccess.objects.filter(pk=access.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor, revoke_reason=reason.strip()
    )
    if not revoked:
        raise Conflict(_("This access was already revoked."))
    access.refresh_from_db()
    audit_record(
        actor=actor,
        action="guardian_access.revoke",
        target=access,
        case_id=access.case_id,
        office_id=access.case.office_id,
        changes={"revoked_at": [None, str(access.revoked_at)], "revoke_reason": [None, reason]},
    )
    return access


@transaction.atomic
def guardian_access_grant_new(
    *,
    actor: User,
    case: Case,
    relationship: str,
    full_name: str,
    preferred_language: Language,
    email: str = "",
    phone: str = "",
) -> GuardianAccess:
    """Register a guardian not yet known and grant them access to the case, in one step."""
    guardian = guardian_create(
        actor=actor,
        case=case,
        relationship=relationship,
        full_name=full_name,
        preferred_language=preferred_language,
        email=email,
        phone=phone,
    )
    return guardian_access_grant(actor=actor, case=case, guardian=guardian)
