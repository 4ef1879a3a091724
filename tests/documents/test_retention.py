"""The retention policy (`manage.py apply_retention`): identity and narratives anonymised years
after a person's last case closed, the figures kept; a dry run that changes nothing; a person
with a case still kept is left whole."""

from __future__ import annotations

import datetime as dt
import io
import os
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from claims.models import DamageHead, Payment
from documents.models import Document, DocumentKind
from documents.selectors import case_for_documents
from documents.services import document_render, document_request
from legalaid.models import AuditEvent, Case, CaseNote, Defendant, Guardian, Party, User, Victim
from legalaid.services.cases import case_close, case_intake

YEARS_AGO_11 = dt.timedelta(days=11 * 366)


def run(*options: str) -> str:
    out = io.StringIO()
    call_command("apply_retention", *options, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db: None) -> tuple[Case, Document]:
    call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    office = User.objects.get(username="office")
    first = Case.objects.order_by("pk").first()
    assert first is not None
    document, _ = document_request(
        actor=office,
        case=case_for_documents(office, first.pk),
        kind=DocumentKind.DESIGNATION_LETTER,
    )
    document_render(document_id=document.pk)  # what the worker does after the commit
    document.refresh_from_db()
    case_close(actor=office, case=first, reason="Proceedings ended.")
    return first, document


def close_long_ago(case: Case, delta: dt.timedelta = YEARS_AGO_11) -> None:
    Case.objects.filter(pk=case.pk).update(closed_on=timezone.localdate() - delta)


def test_a_dry_run_names_the_cases_due_and_changes_nothing(demo: tuple[Case, Document]) -> None:
    case, _ = demo
    close_long_ago(case)
    victim_before = Victim.objects.get(pk=case.victim_id)

    output = run("--dry-run")

    assert f"Would anonymise {case.reference}" in output and "nothing was changed" in output
    victim = Victim.objects.get(pk=case.victim_id)
    assert (victim.given_names, victim.date_of_birth) == (
        victim_before.given_names, victim_before.date_of_birth
    )  # fmt: skip
    assert Case.objects.get(pk=case.pk).anonymised_on is None


def test_past_retention_identity_and_narratives_go_and_the_figures_stay(
    demo: tuple[Case, Document],
) -> None:
    case, document = demo
    close_long_ago(case)
    born = case.victim.date_of_birth
    stored = document.file.name or ""
    assert document.file.storage.exists(stored)
    claimed = DamageHead.objects.filter(claim__case=case).aggregate(total=Sum("amount_claimed"))
    paid = Payment.objects.filter(judgment__claim__case=case).count()
    defendants = list(Party.objects.filter(case=case).values_list("defendant_id", flat=True))
    kept_elsewhere = set(
        Party.objects.filter(defendant_id__in=defendants)
        .exclude(case=case)
        .values_list("defendant_id", flat=True)
    )

    output = run()

    assert f"Anonymised {case.reference}" in output
    victim = Victim.objects.get(pk=case.victim_id)
    assert (victim.given_names, victim.family_name, victim.national_number) == ("", "", None)
    assert victim.date_of_birth == dt.date(born.year, 1, 1)  # ages by year still count
    assert {note.body for note in CaseNote.objects.filter(case=case)} == {"—"}
    for guardian in Guardian.objects.filter(accesses__case=case):
        assert (guardian.full_name, guardian.email, guardian.phone) == ("", "", "")
    for defendant in Defendant.objects.filter(pk__in=defendants):
        assert (defendant.full_name == "") is (defendant.pk not in kept_elsewhere)
    assert {head.description for head in DamageHead.objects.filter(claim__case=case)} == {"—"}
    document.refresh_from_db()
    assert (document.snapshot, document.file.name, document.status) == ({}, "", "expired")
    assert not document.file.storage.exists(stored)
    # The figures stay.
    assert DamageHead.objects.filter(claim__case=case).aggregate(
        total=Sum("amount_claimed")
    ) == claimed and claimed["total"] > Decimal(0)
    assert Payment.objects.filter(judgment__claim__case=case).count() == paid
    assert Case.objects.get(pk=case.pk).anonymised_on == timezone.localdate()
    audit = AuditEvent.objects.filter(action="case.anonymise", case_id=case.pk).get()
    assert audit.changes["victims"] == [None, 1]
    assert "0 cases" in run()  # nothing left to do


def test_a_case_closed_within_the_retention_period_is_kept(demo: tuple[Case, Document]) -> None:
    case, _ = demo
    close_long_ago(case, dt.timedelta(days=9 * 365))
    assert "0 cases" in run()
    assert Victim.objects.get(pk=case.victim_id).family_name != ""


def test_a_person_with_a_case_still_kept_is_left_whole(demo: tuple[Case, Document]) -> None:
    case, _ = demo
    close_long_ago(case)
    victim = case.victim
    case_intake(
        actor=User.objects.get(username="office"), office=case.office,
        given_names=victim.given_names, family_name=victim.family_name,
        date_of_birth=victim.date_of_birth, national_number=victim.national_number,
        victim_language=victim.language, district=case.district, auto_designate=False,
    )  # fmt: skip
    assert "0 cases" in run()
    assert Victim.objects.get(pk=victim.pk).family_name == victim.family_name
