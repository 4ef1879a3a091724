"""Parties to the criminal proceedings: defendants (with aliases and online handles) in a case."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..audit import audit_record, changes_for_create
from ..errors import Conflict
from ..models import (
    ACTIVE_DESIGNATION_STATUSES,
    AliasKind,
    Case,
    Defendant,
    DefendantAlias,
    Lawyer,
    Party,
    User,
)
from ..normalise import normalise_handle, normalise_name
from ._common import clean_and_save, require
from .designations import designation_conflict_recheck


def _add_aliases(defendant: Defendant, kind: str, values: Sequence[str]) -> int:
    """Record the aliases (or handles) not yet known for the defendant; returns how many."""
    handle = kind == AliasKind.HANDLE
    normalise = normalise_handle if handle else normalise_name
    field = "handles" if handle else "aliases"
    empty = (
        _("An empty handle cannot be matched.")
        if handle
        else _("An empty alias cannot be matched.")
    )
    added = 0
    for value in values:
        require(bool(normalise(value)), field, empty)
        alias = DefendantAlias(defendant=defendant, kind=kind, value=value.strip())
        alias.refresh_blind_indexes()
        _alias, created = DefendantAlias.objects.get_or_create(
            defendant=defendant,
            kind=kind,
            value_index=alias.value_index,
            defaults={"value": alias.value},
        )
        added += created
    return added


@transaction.atomic
def party_add(
    *,
    actor: User,
    case: Case,
    role: str,
    full_name: str = "",
    defendant: Defendant | None = None,
    aliases: Sequence[str] = (),
    handles: Sequence[str] = (),
    represented_by: Lawyer | None = None,
    represented_by_name: str = "",
) -> Party:
    """Add a defendant to a case: a new person (`full_name`) or one already known (`defendant`),
    linking the proceedings where one pimp exploits several victims. A defendant is a party once
    per case: adding them again, even from two requests at the same moment, is a conflict. If the
    lawyer designated for the victim turns out to represent this defendant (here or in a linked
    proceeding), the case goes to the office's escalation queue."""
    if represented_by is not None:
        require(
            not case.designations.filter(
                lawyer=represented_by, status__in=ACTIVE_DESIGNATION_STATUSES
            ).exists(),
            "represented_by",
            _("Conflict of interest: this lawyer is designated for the victim in this case."),
        )
    if defendant is None:
        require(bool(normalise_name(full_name)), "full_name", _("Give the defendant's name."))
        defendant = Defendant(full_name=full_name.strip())
        defendant.refresh_blind_indexes()
        clean_and_save(defendant, exclude=["name_index"])
        audit_record(
            actor=actor,
            action="defendant.create",
            target=defendant,
            case_id=case.pk,
            office_id=case.office_id,
            changes=changes_for_create(defendant, ("full_name",)),
        )
    elif case.parties.filter(defendant=defendant).exists():
        raise Conflict(_("This defendant is already a party in this case."))
    aliases_added = _add_aliases(defendant, AliasKind.ALIAS, aliases)
    handles_added = _add_aliases(defendant, AliasKind.HANDLE, handles)
    party = Party(
        case=case,
        defendant=defendant,
        role=role,
        represented_by=represented_by,
        represented_by_name=represented_by_name.strip(),
    )
    # The check above cannot see a party another request adds at the same moment: the constraint
    # `defendant_once_per_case` refuses the second one, answered as the same conflict.
    party.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            party.save()
    except IntegrityError:
        # Only that constraint is the caller's conflict; any other integrity error is a bug to
        # surface, not to report as a conflict.
        if not case.parties.filter(defendant=defendant).exists():
            raise
        raise Conflict(_("This defendant is already a party in this case.")) from None
    audit_record(
        actor=actor,
        action="party.create",
        target=party,
        case_id=case.pk,
        office_id=case.office_id,
        changes={
            **changes_for_create(party, ("defendant", "role", "represented_by")),
            # how many aliases and handles were added, never their values (identity data)
            **({"aliases_added": [None, aliases_added]} if aliases_added else {}),
            **({"handles_added": [None, handles_added]} if handles_added else {}),
        },
    )
    designation_conflict_recheck(actor=actor, case=case)
    return party
