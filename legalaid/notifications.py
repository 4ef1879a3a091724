"""E-mails of the legal-aid domain, written in the recipient's language and queued in the outbox
(mailer) inside the transaction of the change they tell about.

An e-mail leaves the building: it names the case by its reference and the office, never the
victim, the parties or the facts — the lawyer reads those after signing in."""

from __future__ import annotations

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from mailer.services import email_queue

from .models import Designation, Lawyer

LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _language_for(lawyer: Lawyer, designation: Designation) -> str:
    """The lawyer's own choice (their user's language), else the case's language of
    proceedings, which every proposed lawyer speaks."""
    chosen = lawyer.user.language if lawyer.user is not None else ""
    return chosen if chosen in LANGUAGES else designation.case.language_id


def designation_proposed_notify(*, designation: Designation) -> None:
    """Tell the proposed lawyer, before their deadline runs out, to accept or decline."""
    lawyer = (
        Lawyer.objects.select_related("user")
        .only("email", "user__language")
        .get(pk=designation.lawyer_id)
    )
    case = designation.case
    with translation.override(_language_for(lawyer, designation)):
        deadline = formats.date_format(
            timezone.localtime(designation.respond_by), "DATETIME_FORMAT"
        )
        values = {"reference": case.reference, "office": case.office.name, "deadline": deadline}
        subject = _("Case %(reference)s is proposed to you") % values
        proposal = _("%(office)s proposes you as the lawyer of case %(reference)s.")
        answer = _(
            "Please accept or decline before %(deadline)s: sign in to Lanzarote to read the case "
            "and answer. Without an answer by then, the case goes to another lawyer."
        )
        body = f"{proposal % values}\n\n{answer % values}\n"
    email_queue(
        key=f"designation.proposed:{designation.pk}", to=lawyer.email, subject=subject, body=body
    )
