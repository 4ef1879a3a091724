"""Each proposal e-mails the proposed lawyer, in their language, through the outbox: one e-mail per
proposal, written in the proposal's transaction (a refused proposal e-mails nobody), sent after
commit, naming the case by its reference only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from legalaid.errors import ApplicationError
from legalaid.models import Designation, DesignationStatus, Language, Role
from legalaid.services.designations import designation_decline, designation_propose
from mailer.models import EmailStatus, OutgoingEmail
from tests.cast import make_case, make_lawyer, make_office, make_user

pytestmark = pytest.mark.django_db
Capture = Callable[..., Any]
DUTCH_MONTHS = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]  # fmt: skip


def test_a_proposal_e_mails_the_lawyer_in_the_language_of_the_case_once_committed(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    office = make_office("Mail", "antwerpen")
    staff = make_user("staff", Role.OFFICE, office)
    lawyer = make_lawyer(staff, office, "Anna")
    case = make_case(staff, office, given_names="Eva")

    with django_capture_on_commit_callbacks(execute=True):
        designation = designation_propose(
            actor=staff, case=case, lawyer=lawyer, reason="Chosen by the office"
        )

    email = OutgoingEmail.objects.get()
    assert (email.key, email.to) == (f"designation.proposed:{designation.pk}", "anna@example.be")
    assert (email.status, email.attempts) == (EmailStatus.SENT, 1)
    assert email.sent_at is not None
    deadline = timezone.localtime(designation.respond_by)  # Brussels time
    day = f"{deadline.day} {DUTCH_MONTHS[deadline.month - 1]} {deadline.year}, {deadline:%H:%M}"
    assert email.subject == f"Zaak {case.reference} wordt u voorgesteld"
    assert email.body == (
        f"Legal-aid office Mail stelt u voor als advocaat in zaak {case.reference}.\n\n"
        f"Aanvaard of weiger vóór {day}: meld u aan bij Lanzarote om de zaak te lezen en te "
        "antwoorden. "
        "Zonder antwoord tegen dan gaat de zaak naar een andere advocaat.\n"
    )
    assert "Eva" not in email.subject + email.body  # the victim is not named
    (sent,) = mail.outbox
    assert (sent.subject, sent.body, sent.to) == (email.subject, email.body, ["anna@example.be"])
    assert sent.extra_headers["Message-ID"].startswith(f"<lanzarote.{email.pk}.")


def test_a_lawyer_who_chose_a_language_reads_it(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    office = make_office("Mail", "antwerpen")
    staff = make_user("staff", Role.OFFICE, office)
    user = make_user("camille", Role.LAWYER)
    user.language = "fr"
    user.save(update_fields=["language"])
    lawyer = make_lawyer(staff, office, "Camille", languages=("nl", "fr"), user=user)
    case = make_case(staff, office)

    with django_capture_on_commit_callbacks(execute=True):
        designation_propose(actor=staff, case=case, lawyer=lawyer, reason="Chosen by the office")

    (sent,) = mail.outbox
    assert sent.subject == f"L'affaire {case.reference} vous est proposée"
    assert sent.body.startswith(
        f"Legal-aid office Mail vous propose comme avocat dans l'affaire {case.reference}.\n\n"
        "Veuillez accepter ou refuser avant le "
    )


def test_a_refused_proposal_e_mails_nobody(django_capture_on_commit_callbacks: Capture) -> None:
    office = make_office("Mail", "antwerpen")
    staff = make_user("staff", Role.OFFICE, office)
    first, second = make_lawyer(staff, office, "Anna"), make_lawyer(staff, office, "Bert")
    case = make_case(staff, office)
    designation_propose(actor=staff, case=case, lawyer=first, reason="Chosen by the office")
    before = list(OutgoingEmail.objects.values_list("key", flat=True))

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplicationError):
        designation_propose(actor=staff, case=case, lawyer=second, reason="A second one")

    assert list(OutgoingEmail.objects.values_list("key", flat=True)) == before
    assert mail.outbox == []


def test_the_engines_next_proposal_after_a_decline_e_mails_the_next_lawyer(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    office = make_office("Mail", "antwerpen")
    staff = make_user("staff", Role.OFFICE, office)
    user = make_user("anna", Role.LAWYER)
    anna = make_lawyer(staff, office, "Anna", user=user)
    make_lawyer(staff, office, "Bert")
    case = make_case(staff, office, language=Language.objects.get(pk="nl"))
    first = designation_propose(actor=staff, case=case, lawyer=anna, reason="Chosen by the office")

    with django_capture_on_commit_callbacks(execute=True):
        designation_decline(actor=user, designation=first, reason="On holiday")

    following = Designation.objects.get(case=case, status=DesignationStatus.PROPOSED)
    assert [m.to for m in mail.outbox] == [["bert@example.be"]]
    assert OutgoingEmail.objects.filter(key=f"designation.proposed:{following.pk}").exists()
    assert OutgoingEmail.objects.count() == 2  # one per proposal
