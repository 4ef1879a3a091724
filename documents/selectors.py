"""Reads of documents, scoped to the actor: a case or document outside the actor's scope answers
NotFound (404), exactly like a missing one; see `documents.kinds` for who may have which kind."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from legalaid import selectors as legalaid_selectors
from legalaid.errors import NotFound
from legalaid.models import Case, GuardianAccess, Role, User

from .kinds import KINDS_BY_ROLE
from .models import Document, DocumentKind, DocumentStatus


def kinds_for(user: User) -> frozenset[str]:
    return KINDS_BY_ROLE.get(user.role, frozenset())


def case_for_documents(user: User, pk: int | str) -> Case:
    """A case whose documents the user may have: office staff of its office and administrators,
    the lawyer who accepted it (a proposal is not enough), a guardian with valid access."""
    case = legalaid_selectors.case_get_for_user(user, pk)
    if user.role == Role.GUARDIAN:
        return case
    if not legalaid_selectors.user_manages_case(user, case):
        raise NotFound(_("No such case."))
    return case


def document_list_for_case(user: User, case: Case) -> QuerySet[Document]:
    """The documents of a case (from `case_for_documents`) of the kinds the user may have; a
    guardian only the status letters addressed to them."""
    documents = Document.objects.filter(case=case, kind__in=kinds_for(user)).select_related(
        "language"
    )
    if user.role == Role.GUARDIAN:
        documents = documents.filter(kind=DocumentKind.GUARDIAN_STATUS_LETTER, guardian__user=user)
    return documents


def document_get_for_user(user: User, pk: int | str) -> Document:
    try:
        document = Document.objects.select_related("case", "language").get(pk=pk)
    except (Document.DoesNotExist, ValueError):
        raise NotFound(_("No such document.")) from None
    try:
        case = case_for_documents(user, document.case_id)
    except NotFound:
        raise NotFound(_("No such document.")) from None
    if not document_list_for_case(user, case).filter(pk=document.pk).exists():
        raise NotFound(_("No such document."))
    if user.role == Role.GUARDIAN and not (
        GuardianAccess.objects.valid_on(timezone.localdate())
        .filter(case=case, guardian__user=user)
        .exists()
    ):
        raise NotFound(_("No such document."))
    return document


def document_render_figures(*, buckets: tuple[float, ...]) -> dict[str, Any]:
    """For /metrics (operators, not a user): documents rendered (their PDF's sha256 is kept,
    after retention too) and failed, and how many renders took at most each of `buckets` seconds
    (from the claim of the render to its end), with their total, in one query."""
    took = ExpressionWrapper(F("finished_at") - F("rendering_started_at"), DurationField())
    rendered = Document.objects.exclude(file_sha256="").filter(
        rendering_started_at__isnull=False, finished_at__isnull=False
    )
    counts = rendered.annotate(took=took).aggregate(
        total=Sum("took"),
        **{
            f"le_{index}": Count("id", filter=Q(took__lte=dt.timedelta(seconds=bound)))
            for index, bound in enumerate(buckets)
        },
    )
    return {
        "rendered": Document.objects.exclude(file_sha256="").count(),
        "failed": Document.objects.filter(status=DocumentStatus.FAILED).count(),
        "timed": rendered.count(),
        "seconds_total": counts["total"].total_seconds() if counts["total"] else 0.0,
        "at_most": [counts[f"le_{index}"] for index in range(len(buckets))],
    }
