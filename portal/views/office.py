"""The legal-aid office's pages: home (its queues), intake, and a case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents import personal_data
from documents import selectors as document_selectors
from documents.exports import personal_data_export_request
from legalaid import selectors
from legalaid.errors import ApplicationError
from legalaid.models import (
    ACTIVE_DESIGNATION_STATUSES,
    Case,
    CaseStatus,
    District,
    Lawyer,
    LegalAidOffice,
    NoteKind,
    Role,
)
from legalaid.services.cases import (
    case_close,
    case_file_read_record,
    case_intake,
    case_note_add,
)
from legalaid.services.designations import designation_propose
from legalaid.services.guardians import guardian_access_grant_new, guardian_access_revoke

from ..explain import explain, lawyer_names
from ..forms.office import (
    CloseForm,
    DesignateForm,
    GuardianGrantForm,
    IntakeForm,
    NoteForm,
    PartyForm,
    PartyFormSet,
    PersonalDataExportForm,
    RevokeForm,
)
from .base import apply_service_errors, office_view, submit, user_of


@office_view
def home(request: HttpRequest) -> HttpResponse:
    queues = selectors.office_queues(user_of(request), now=timezone.now())
    names = lawyer_names(e.explanation for e in queues["escalations"])
    escalations = [(e, explain(e.explanation, names)) for e in queues["escalations"]]
    return render(
        request,
        "portal/office/home.html",
        {**queues, "escalations": escalations, "now": timezone.now()},
    )


def _intake_office(request: HttpRequest) -> LegalAidOffice | None:
    user = user_of(request)
    if user.role == Role.OFFICE:
        return user.office
    chosen = request.POST.get("office", "")
    return LegalAidOffice.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None


@office_view
def intake(request: HttpRequest) -> HttpResponse:
    """One page: the victim, the district and language, the defendants, the minor's lawyer.
    "Add a defendant" sends the form back with one more row and writes nothing."""
    user = user_of(request)
    posted = request.method == "POST"
    form = IntakeForm(request.POST) if posted else IntakeForm()
    parties = PartyFormSet(request.POST if posted else None, prefix="parties")
    if request.method == "POST" and "add_party" in request.POST:
        return _intake_page(request, *_with_another_party(request.POST.dict()))
    if request.method == "POST" and form.is_valid() and parties.is_valid():
        office = _intake_office(request)
        try:
            if office is None:
                raise ApplicationError(_("Choose the legal-aid office that takes the case in."))
            data = form.cleaned_data
            case = case_intake(
                actor=user,
                office=office,
                given_names=data["given_names"],
                family_name=data["family_name"],
                date_of_birth=data["date_of_birth"],
                national_number=data["national_number"] or None,
                nationality=data["nationality"],
                victim_language=data["victim_language"],
                district=data["district"],
                language=data["language"],
                chosen_lawyer=data["chosen_lawyer"],
                facts_started_on=data["facts_started_on"],
                prosecutor_notice_number=data["prosecutor_notice_number"],
                adult_at_intake_reason=data["adult_at_intake_reason"],
                parties=[party.as_party() for party in parties if party.has_changed()],
            )
        except (ValidationError, ApplicationError) as error:
            apply_service_errors(form, error)
        else:
            return redirect("portal:office:case", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    return _intake_page(request, form, parties, status=status)


def _with_another_party(data: dict[str, str]) -> tuple[IntakeForm, Any]:
    """The form as typed so far, unchecked, with one more empty defendant row."""
    try:
        rows = min(int(data.get("parties-TOTAL_FORMS", "0")), 29)
    except ValueError:
        rows = 0
    initial = [
        {name: data.get(f"parties-{index}-{name}", "") for name in PartyForm.base_fields}
        for index in range(rows)
    ]
    return IntakeForm(initial=data), PartyFormSet(initial=initial, prefix="parties")


@office_view
def intake_language(request: HttpRequest) -> HttpResponse:
    """The language field for the district chosen (htmx): filled in with the district's
    language, or asking for a choice where the district has several (Brussels)."""
    form = IntakeForm(initial={"district": request.GET.get("district")})
    district = District.objects.filter(pk=request.GET.get("district", "")).first()
    languages = (
        [item.language for item in selectors.district_languages_on(district, timezone.localdate())]
        if district
        else []
    )
    if len(languages) == 1:
        form.initial["language"] = languages[0].pk
    return render(
        request,
        "portal/office/_language_field.html",
        {"form": form, "district": district, "languages": languages},
    )


def _intake_page(
    request: HttpRequest, form: IntakeForm, parties: Any, *, status: int = 200
) -> HttpResponse:
    user = user_of(request)
    panel = Lawyer.objects.filter(active=True)
    if user.role == Role.OFFICE:
        panel = panel.filter(bar__office=user.office)
    has_errors = form.is_bound and (
        bool(form.errors) or any(p.errors for p in parties) or bool(parties.non_form_errors())
    )
    context = {
        "form": form,
        "parties": parties,
        "intake_forms": [form, *parties],
        "has_errors": has_errors,
        "panel": panel.order_by("family_name", "given_name").values_list(
            "family_name", "given_name"
        ),
        "offices": LegalAidOffice.objects.all() if user.role == Role.ADMIN else None,
    }
    return render(request, "portal/office/intake.html", context, status=status)


def timeline(case: Case) -> list[tuple[str, str]]:
    """The stages of a case in order, each done, current or to come."""
    stages = list(CaseStatus)
    reached = stages.index(CaseStatus(case.status))
    return [
        (str(stage.label), "done" if i < reached else "current" if i == reached else "todo")
        for i, stage in enumerate(stages)
    ]


@office_view
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, pk)


def _case_page(request: HttpRequest, pk: int, *, status: int = 200, **bound: Any) -> HttpResponse:
    """The case as the office sees it; `bound` carries a refused form back onto the page."""
    user = user_of(request)
    file = selectors.case_file_for_office(user, pk)
    case_file_read_record(actor=user, case=file["case"], view="full")
    explained = [d.explanation for d in file["designations"]]
    if file["escalation"] is not None:
        explained.append(file["escalation"].explanation)
    names = lawyer_names(explained)
    escalation = file["escalation"]
    forms = {
        "note_form": NoteForm(),
        "guardian_form": GuardianGrantForm(),
        "revoke_form": RevokeForm(),
        "designate_form": DesignateForm(auto_id="designate-%s"),
        "close_form": CloseForm(auto_id="close-%s"),
        "export_form": PersonalDataExportForm(auto_id="export-%s"),
        "revoking": None,
        **bound,
    }
    return render(
        request,
        "portal/office/case.html",
        {
            **file,
            **forms,
            "timeline": timeline(file["case"]),
            "documents": list(
                document_selectors.document_list_for_case(user, file["case"]).order_by(
                    "kind", "-version"
                )
            ),
            "exports": list(
                personal_data.personal_data_export_list_for_case(user, file["case"])
                .select_related("language")
                .order_by("-created_at", "-pk")[:10]
            ),
            "can_designate": file["case"].status != CaseStatus.CLOSED
            and not any(d.status in ACTIVE_DESIGNATION_STATUSES for d in file["designations"]),
            "all_lawyers": selectors.lawyer_suggestions(),
            "designations": [(d, explain(d.explanation, names)) for d in file["designations"]],
            "escalation": (escalation, explain(escalation.explanation, names))
            if escalation
            else None,
            "refused_forms": [f for f in bound.values() if getattr(f, "errors", None)],
            "has_errors": any(getattr(f, "errors", None) for f in bound.values()),
        },
        status=status,
    )


def _case_action(
    request: HttpRequest,
    pk: int,
    form: Any,
    name: str,
    act: Callable[[Case, dict[str, Any]], object],
    done: str,
    **extra: Any,
) -> HttpResponse:
    """A form posted from the case page: the service, then back to the page (post/redirect/get);
    refused, the page again with the form's messages and nothing written."""
    user = user_of(request)
    case = selectors.case_get_for_user(user, pk)
    if user.role not in (Role.OFFICE, Role.ADMIN):
        raise PermissionDenied
    return submit(
        request,
        form,
        lambda data: act(case, data),
        done=done,
        then=lambda: redirect("portal:office:case", pk=case.pk),
        refused=lambda: _case_page(request, pk, status=400, **{name: form}, **extra),
    )


@require_POST
@office_view
def case_note(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    return _case_action(
        request,
        pk,
        NoteForm(request.POST),
        "note_form",
        lambda case, data: case_note_add(
            actor=user, case=case, kind=NoteKind.OFFICE, body=data["body"]
        ),
        _("The note was added."),
    )


@require_POST
@office_view
def guardian_grant(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    return _case_action(
        request,
        pk,
        GuardianGrantForm(request.POST),
        "guardian_form",
        lambda case, data: guardian_access_grant_new(actor=user, case=case, **data),
        _("The guardian has access to the case's plain summary."),
    )


@require_POST
@office_view
def guardian_revoke(request: HttpRequest, pk: int, access_pk: int) -> HttpResponse:
    user = user_of(request)
    access = selectors.guardian_access_get_managed_by(user, access_pk)
    if access.case_id != int(pk):
        raise Http404
    return _case_action(
        request,
        pk,
        RevokeForm(request.POST, auto_id=f"revoke-{access.pk}-%s"),
        "revoke_form",
        lambda case, data: guardian_access_revoke(actor=user, access=access, reason=data["reason"]),
        _("The guardian's access was revoked."),
        revoking=access.pk,
    )


@require_POST
@office_view
def designate(request: HttpRequest, pk: int) -> HttpResponse:
    """The office proposes a lawyer itself (an escalation's way out), with a reason; a lawyer of
    another district or bar needs the cross-district override."""
    user = user_of(request)
    return _case_action(
        request,
        pk,
        DesignateForm(request.POST, auto_id="designate-%s"),
        "designate_form",
        lambda case, data: designation_propose(
            actor=user,
            case=case,
            lawyer=data["lawyer"],
            reason=data["reason"],
            cross_district=data["cross_district"],
        ),
        _("The lawyer was proposed; the case waits for their acceptance."),
    )


@require_POST
@office_view
def close(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    return _case_action(
        request,
        pk,
        CloseForm(request.POST, auto_id="close-%s"),
        "close_form",
        lambda case, data: case_close(actor=user, case=case, reason=data["reason"]),
        _("The case is closed."),
    )


@require_POST
@office_view
def personal_data_export(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's copy of their file: a worker builds it; the case page lists it, to download."""
    user = user_of(request)
    return _case_action(
        request,
        pk,
        PersonalDataExportForm(request.POST, auto_id="export-%s"),
        "export_form",
        lambda case, data: personal_data_export_request(
            actor=user,
            victim=case.victim,
            case=case,
            on_behalf_of=data["on_behalf_of"],
            language=data["language"] or None,
        ),
        _("The copy is being made; it appears below when it is ready."),
    )
