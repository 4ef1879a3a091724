"""The bar's panel: lawyers and their leave."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..audit import audit_record, changes_between, snapshot
from ..models import Bar, District, Language, Lawyer, LeavePeriod, Matter, User
from ._common import clean_and_save, require

SCALAR_FIELDS = (
    "given_name", "family_name", "email", "phone", "youth_certified", "capacity", "active",
)  # fmt: skip
SET_FIELDS = ("languages", "districts", "matters")
AUDITED_FIELDS = ("bar", *SCALAR_FIELDS, *SET_FIELDS)
# The sets a lawyer cannot be left without (matters may be empty).
SET_REQUIRED = {
    "languages": gettext_lazy("Languages cannot be empty."),
    "districts": gettext_lazy("Districts cannot be empty."),
}


def _office_id(bar: Bar) -> int | None:
    office = getattr(bar, "office", None)
    return office.pk if office else None


@transaction.atomic
def lawyer_create(
    *,
    actor: User,
    bar: Bar,
    given_name: str,
    family_name: str,
    email: str,
    capacity: int,
    languages: Sequence[Language],
    districts: Sequence[District],
    matters: Sequence[Matter],
    phone: str = "",
    youth_certified: bool = False,
    active: bool = True,
    user: User | None = None,
) -> Lawyer:
    require(bool(languages), "languages", _("A lawyer speaks at least one language."))
    require(bool(districts), "districts", _("A lawyer serves at least one district."))
    lawyer = Lawyer(
        bar=bar,
        user=user,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        email=email,
        phone=phone,
        youth_certified=youth_certified,
        capacity=capacity,
        active=active,
    )
    clean_and_save(lawyer)
    lawyer.languages.set(languages)
    lawyer.districts.set(districts)
    lawyer.matters.set(matters)
    audit_record(
        actor=actor,
        action="lawyer.create",
        target=lawyer,
        office_id=_office_id(bar),
        changes=changes_between({}, snapshot(lawyer, AUDITED_FIELDS)),
    )
    return lawyer


@transaction.atomic
def lawyer_update(*, actor: User, lawyer: Lawyer, **changes: Any) -> Lawyer:
    """Change any of SCALAR_FIELDS and SET_FIELDS; the audit row holds old and new values."""
    unknown = set(changes) - set(SCALAR_FIELDS) - set(SET_FIELDS)
    require(
        not unknown,
        "non_field_errors",
        _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
    )
    lawyer = Lawyer.objects.select_for_update().get(pk=lawyer.pk)
    before = snapshot(lawyer, AUDITED_FIELDS)
    for name in SCALAR_FIELDS:
        if name in changes:
            setattr(lawyer, name, changes[name])
    for name in SET_FIELDS:
        if name in changes and name in SET_REQUIRED:
            require(bool(changes[name]), name, SET_REQUIRED[name])
    clean_and_save(lawyer)
    for name in SET_FIELDS:
        if name in changes:
            getattr(lawyer, name).set(changes[name])
    audit_record(
        actor=actor,
        action="lawyer.update",
        target=lawyer,
        office_id=_office_id(lawyer.bar),
        changes=changes_between(before, snapshot(lawyer, AUDITED_FIELDS)),
    )
    return lawyer


@transaction.atomic
def leave_period_add(
    *, actor: User, lawyer: Lawyer, starts_on: dt.date, ends_on: dt.date, note: str = ""
) -> LeavePeriod:
    require(ends_on >= starts_on, "ends_on", _("A leave period cannot end before it starts."))
    leave = LeavePeriod(lawyer=lawyer, starts_on=starts_on, ends_on=ends_on, note=note.strip())
    clean_and_save(leave)
    audit_record(
        actor=actor,
        action="leave.create",
        target=leave,
        office_id=_office_id(lawyer.bar),
        changes=changes_between({}, snapshot(leave, ("lawyer", "starts_on", "ends_on", "note"))),
    )
    return leave
