"""The bar's yearly list of legal-aid lawyers, imported from a CSV file: first a plan (each line
checked, nothing written), then, when the plan has no error, all of it at once.

The list replaces the previous one: a lawyer on it is created or updated (matched by e-mail
address within the bar, case ignored), and an active lawyer of the bar missing from it is taken off
the list (inactive; their open designations stay as they are). Each lawyer's change is audited as
any change to the panel, plus one row for the import itself (counts and the file's SHA-256)."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from ..audit import audit_record
from ..errors import ApplicationError
from ..models import District, Language, Lawyer, LegalAidOffice, Matter, User
from .lawyers import lawyer_create, lawyer_update

COLUMNS = (
    "given_name", "family_name", "email", "phone", "languages", "districts", "matters",
    "capacity", "youth_certified",
)  # fmt: skip
REQUIRED = ("given_name", "family_name", "email", "languages", "districts", "capacity")
YES, NO = {"yes", "y", "ja", "oui", "1", "true"}, {"no", "n", "nee", "non", "0", "false", ""}
MAX_LINES = 5000
TEMPLATE = (
    ";".join(COLUMNS)
    + "\nAn;Peeters;an.peeters@example.be;+32 3 123 45 67;nl fr;antwerpen limburg;"
    "youth victims;5;yes\n"
)


@dataclass
class PlannedLine:
    line: int
    values: dict[str, Any]
    action: str  # "create" or "update"
    lawyer: Lawyer | None = None


@dataclass
class ImportPlan:
    sha256: str
    lines: list[PlannedLine] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # line, column, message
    deactivate: list[Lawyer] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.lines)

    def count(self, action: str) -> int:
        return sum(1 for line in self.lines if line.action == action)

    @property
    def count_create(self) -> int:
        return self.count("create")

    @property
    def count_update(self) -> int:
        return self.count("update")


def _codes(value: str) -> list[str]:
    return [code for code in value.replace(",", " ").replace("|", " ").lower().split() if code]


def panel_import_plan(*, office: LegalAidOffice, content: bytes) -> ImportPlan:
    """Read and check the file; write nothing."""
    plan = ImportPlan(sha256=hashlib.sha256(content).hexdigest())
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        message = _("The file is not UTF-8 text: save it as CSV UTF-8.")
        raise ApplicationError(message, fields={"file": [message]}) from None
    dialect = ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=dialect)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        message = _("The first line must name the columns; missing: %(columns)s.") % {
            "columns": ", ".join(missing)
        }
        raise ApplicationError(message, fields={"file": [message]})
    reader.fieldnames = header
    languages = set(Language.objects.values_list("code", flat=True))
    districts = set(District.objects.values_list("code", flat=True))
    matters = set(Matter.objects.values_list("code", flat=True))
    known = {lawyer.email.lower(): lawyer for lawyer in Lawyer.objects.filter(bar=office.bar)}
    seen: dict[str, int] = {}
    for number, row in enumerate(reader, start=2):
        if number > MAX_LINES + 1:
            plan.errors.append((number, "", _("At most %(n)d lines per file.") % {"n": MAX_LINES}))
            break
        row = {key: (value or "").strip() for key, value in row.items() if key}
        if not any(row.values()):
            continue
        errors: list[tuple[str, str]] = []
        for name in REQUIRED:
            if not row.get(name):
                errors.append((name, _("This column is empty.")))
        email = row.get("email", "").lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(("email", _("Not an e-mail address.")))
            if email in seen:
                errors.append(("email", _("Also on line %(line)d.") % {"line": seen[email]}))
            seen.setdefault(email, number)
        values: dict[str, Any] = {}
        for name, allowed in (("languages", languages), ("districts", districts),
                              ("matters", matters)):  # fmt: skip
            codes = _codes(row.get(name, ""))
            unknown = [code for code in codes if code not in allowed]
            if unknown:
                errors.append(
                    (name, _("Unknown code(s): %(codes)s.") % {"codes": ", ".join(unknown)})
                )
            values[name] = codes
        capacity = row.get("capacity", "")
        if capacity and not (capacity.isdigit() and 0 <= int(capacity) <= 200):
            errors.append(("capacity", _("A whole number from 0 to 200.")))
        certified = row.get("youth_certified", "").lower()
        if certified not in YES | NO:
            errors.append(("youth_certified", _("Write yes or no.")))
        for name, limit in (("given_name", 80), ("family_name", 80), ("phone", 40)):
            if len(row.get(name, "")) > limit:
                errors.append((name, _("At most %(n)d characters.") % {"n": limit}))
        if errors:
            plan.errors += [(number, column, message) for column, message in errors]
            continue
        values.update(
            given_name=row["given_name"],
            family_name=row["family_name"],
            email=email,
            phone=row.get("phone", ""),
            capacity=int(capacity),
            youth_certified=certified in YES,
        )
        existing = known.get(email)
        plan.lines.append(PlannedLine(number, values, "update" if existing else "create", existing))
    listed = {line.values["email"] for line in plan.lines}
    plan.deactivate = [
        lawyer for email, lawyer in sorted(known.items()) if lawyer.active and email not in listed
    ]
    if not plan.lines and not plan.errors:
        plan.errors.append((1, "", _("The file holds no lawyer.")))
    return plan


@transaction.atomic
def panel_import_apply(*, actor: User, office: LegalAidOffice, content: bytes) -> ImportPlan:
    """Check the file again and, without a single error, apply all of it; else write nothing."""
    plan = panel_import_plan(office=office, content=content)
    if not plan.ok:
        message = _("The file has errors: nothing was imported.")
        raise ApplicationError(message, fields={"file": [message]})
    by_code: dict[str, dict[str, Any]] = {
        "languages": {item.pk: item for item in Language.objects.all()},
        "districts": {item.pk: item for item in District.objects.all()},
        "matters": {item.pk: item for item in Matter.objects.all()},
    }
    for line in plan.lines:
        values = dict(line.values)
        for name, items in by_code.items():
            values[name] = [items[code] for code in values[name]]
        if line.lawyer is None:
            lawyer_create(actor=actor, bar=office.bar, **values)
        else:
            lawyer_update(actor=actor, lawyer=line.lawyer, active=True, **values)
    for lawyer in plan.deactivate:
        lawyer_update(actor=actor, lawyer=lawyer, active=False)
    audit_record(
        actor=actor,
        action="panel.import",
        target=office,
        office_id=office.pk,
        changes={
            "created": [None, plan.count("create")],
            "updated": [None, plan.count("update")],
            "deactivated": [None, len(plan.deactivate)],
            "sha256": [None, plan.sha256],
        },
    )
    return plan
