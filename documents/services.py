"""Writing documents: the request (a queued row and a task after commit), the render (claimed by
a conditional update, written so that a crash leaves no partial file), the audited download, and
the periodic rescue of renders whose worker died."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from claims.models import StateAidApplication
from legalaid.audit import audit_record
from legalaid.errors import ApplicationError, Conflict, Forbidden
from legalaid.models import Case, Guardian, Role, User
from legalaid.services._common import require

from . import files, kinds, renderer, selectors, snapshots
from .models import Document, DocumentKind, DocumentStatus

logger = logging.getLogger(__name__)

# A document's status in "The document is not ready (…)." (in English the status's code, as the
# API names it).
STATUS_IN_SENTENCE = {
    DocumentStatus.QUEUED: pgettext_lazy("a document that is", "queued"),
    DocumentStatus.RENDERING: pgettext_lazy("a document that is", "rendering"),
    DocumentStatus.READY: pgettext_lazy("a document that is", "ready"),
    DocumentStatus.FAILED: pgettext_lazy("a document that is", "failed"),
}


class TransientRenderError(Exception):
    """A render that may succeed if tried again (the document store unavailable)."""


# --- Request ----------------------------------------------------------------------------------


def _language_for(*, kind: str, case: Case, guardian: Guardian | None, override: str | None) -> str:
    if override:
        require(
            override in kinds.LANGUAGES,
            "language",
            _("Documents are written in %(languages)s; not in %(language)s.")
            % {"languages": ", ".join(kinds.LANGUAGES), "language": override},
        )
        return override
    if (
        kind == DocumentKind.GUARDIAN_STATUS_LETTER
        and guardian is not None
        and guardian.preferred_language_id in kinds.LANGUAGES
    ):
        return guardian.preferred_language_id
    return case.language_id


def _guardian_for(*, actor: User, case: Case, guardian: Guardian | None) -> Guardian:
    """The addressee of a status letter: the guardian asking, or one with access to the case."""
    valid = case.guardian_accesses.valid_on(timezone.localdate())
    if actor.role == Role.GUARDIAN:
        own = valid.filter(guardian__user=actor).select_related("guardian").first()
        assert own is not None  # the selector let a guardian reach only their ward's case
        require(
            guardian is None or guardian.pk == own.guardian_id,
            "guardian",
            _("A guardian asks for their own letters only."),
        )
        return own.guardian
    if guardian is not None:
        require(
            valid.filter(guardian=guardian).exists(),
            "guardian",
            _("This guardian has no access to the case."),
        )
        return guardian
    accesses = list(valid.select_related("guardian"))
    if len(accesses) != 1:
        message = (
            _("No guardian has access to this case.")
            if not accesses
            else _("Several guardians follow this case: name the guardian.")
        )
        raise ApplicationError(message, fields={"guardian": [message]})
    return accesses[0].guardian


def _check_subject(case: Case, subject: snapshots.Subject) -> None:
    if subject.claim is not None:
        require(subject.claim.case_id == case.pk, "claim", _("This claim belongs to another case."))
    if subject.state_aid_application is not None:
        require(
            subject.state_aid_application.claim.case_id == case.pk,
            "state_aid_application",
            _("This application belongs to another case."),
        )
    if subject.debtor is not None:
        require(subject.debtor.case_id == case.pk, "debtor", _("This party is in another case."))
    if subject.nonpunishment_record is not None:
        require(
            subject.nonpunishment_record.case_id == case.pk,
            "nonpunishment_record",
            _("This record belongs to another case."),
        )


CLAIM_KINDS = frozenset(
    {
        DocumentKind.CIVIL_PARTY_CONSTITUTION,
        DocumentKind.CLAIM_STATEMENT,
        DocumentKind.STATEMENT_OF_ACCOUNT,
    }
)


def resolve_subject(
    *, actor: User, case: Case, kind: str, given: snapshots.Subject | None
) -> snapshots.Subject:
    """Only what the kind is about, defaulted: the case's latest claim or application, the
    guardian asking or the only one with access. Conflict when the case has none yet."""
    given = given or snapshots.Subject()
    _check_subject(case, given)
    if kind == DocumentKind.GUARDIAN_STATUS_LETTER:
        return snapshots.Subject(
            guardian=_guardian_for(actor=actor, case=case, guardian=given.guardian)
        )
    if kind == DocumentKind.STATE_AID_COVER_LETTER:
        application = given.state_aid_application or (
            StateAidApplication.objects.filter(claim__case=case)
            .order_by("-filed_on", "-pk")
            .first()
        )
        if application is None:
            raise Conflict(_("This case has no application for state aid yet."))
        return snapshots.Subject(claim=application.claim, state_aid_application=application)
    if kind == DocumentKind.NON_PUNISHMENT_MEMORANDUM:
        record = given.nonpunishment_record or (
            case.nonpunishment_records.order_by("-created_at", "-pk").first()
        )
        if record is None:
            raise Conflict(_("This case has no non-punishment record yet."))
        return snapshots.Subject(nonpunishment_record=record)
    if kind in CLAIM_KINDS:
        claim = given.claim or case.civil_claims.order_by("-created_at", "-pk").first()
        if claim is None:
            raise Conflict(_("This case has no civil claim yet."))
        if kind == DocumentKind.STATEMENT_OF_ACCOUNT:
            if given.debtor is None:
                message = _("Name the debtor (a party of the case) the statement is for.")
                raise ApplicationError(message, fields={"debtor": [message]})
            return snapshots.Subject(claim=claim, debtor=given.debtor)
        return snapshots.Subject(claim=claim)
    return snapshots.Subject()


def snapshot_hash(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(renderer.snapshot_bytes(snapshot)).hexdigest()


@transaction.atomic
def document_request(
    *,
    actor: User,
    case: Case,
    kind: str,
    language: str | None = None,
    subject: snapshots.Subject | None = None,
) -> tuple[Document, bool]:
    """Copy the data of the document into a snapshot and queue its render after commit; the
    render task gets the document's id only. When a document of the same kind with the same
    snapshot and template version was already issued (or is being rendered), that document is
    the answer and nothing is rendered: `(document, False)`. Otherwise a new version:
    `(document, True)`. `case` must come from `selectors.case_for_documents` (scoped)."""
    require(
        kind in DocumentKind.values,
        "kind",
        _("Choose one of: %(codes)s.") % {"codes": ", ".join(DocumentKind.values)},
    )
    if kind not in selectors.kinds_for(actor):
        raise Forbidden(_("Your role does not give access to this kind of document."))
    if kind not in kinds.AVAILABLE_KINDS:
        raise Conflict(_("This kind of document cannot be generated yet in this version."))
    subject = resolve_subject(actor=actor, case=case, kind=kind, given=subject)
    chosen = _language_for(kind=kind, case=case, guardian=subject.guardian, override=language)
    # One request per case at a time: versions are numbered and snapshots compared under lock.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    data = snapshots.build(kind, case=case, language=chosen, subject=subject)
    digest = snapshot_hash(data)
    template_version = kinds.TEMPLATE_VERSIONS[kind]
    # One read: the latest version, and the first document issued from the same data.
    earlier = Document.objects.filter(case=case, kind=kind).aggregate(
        last=Max("version"),
        same=Min(
            "pk",
            filter=Q(snapshot_sha256=digest, template_version=template_version)
            & ~Q(status=DocumentStatus.FAILED),
        ),
    )
    if earlier["same"] is not None:
        issued = Document.objects.select_related("case").get(pk=earlier["same"])
        _audit(actor, "document.request", issued, {"reused": [None, issued.pk]})
        return issued, False
    # Every value was checked above or comes from the scoped case and the resolved subject;
    # the database's constraints guard the rest (no `full_clean`: it would read each related
    # row again, a third of the request's time).
    document = Document(
        case=case,
        kind=kind,
        language_id=chosen,
        version=(earlier["last"] or 0) + 1,
        claim=subject.claim,
        state_aid_application=subject.state_aid_application,
        debtor=subject.debtor,
        guardian=subject.guardian,
        nonpunishment_record=subject.nonpunishment_record,
        snapshot=data,
        snapshot_sha256=digest,
        template_version=template_version,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    document.save()
    _audit(
        actor,
        "document.request",
        document,
        {"kind": [None, kind], "language": [None, chosen], "version": [None, document.version]},
    )
    document_id = document.pk
    transaction.on_commit(lambda: _enqueue(document_id), robust=True)
    return document, True


def _enqueue(document_id: int) -> None:
    from .tasks import render_document

    render_document.delay(document_id)


def _audit(actor: User | None, action: str, document: Document, changes: dict[str, Any]) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=document,
        case_id=document.case_id,
        office_id=document.case.office_id,
        changes=changes,
    )


# --- Render -----------------------------------------------------------------------------------


def file_name(document: Document) -> str:
    """Deterministic: every attempt at one document writes the same name (never a second file)."""
    return (
        f"documents/{document.case_id}/"
        f"{document.pk}-{document.kind}-v{document.version}-{document.language_id}.pdf"
    )


MAX_ATTEMPTS = 3  # renders started for one document before it fails for good


def _takeable(now: dt.datetime) -> Q:
    """Queued, or rendering for longer than the stale limit (its worker died)."""
    stale = now - dt.timedelta(seconds=settings.DOCUMENT_RENDER_STALE_SECONDS)
    return Q(status=DocumentStatus.QUEUED) | Q(
        status=DocumentStatus.RENDERING, rendering_started_at__lt=stale
    )


def _claim(document_id: int) -> bool:
    """Take the render: a queued document, or one whose render was abandoned (its worker died
    more than DOCUMENT_RENDER_STALE_SECONDS ago). One conditional update; False if another
    worker holds it, it is finished, or it used up its attempts — a document that kills its
    worker every time (a time limit, memory) fails then, instead of coming back forever."""
    now = timezone.now()
    claimed = Document.objects.filter(
        _takeable(now), pk=document_id, attempts__lt=MAX_ATTEMPTS
    ).update(status=DocumentStatus.RENDERING, rendering_started_at=now, attempts=F("attempts") + 1)
    if not claimed:
        Document.objects.filter(_takeable(now), pk=document_id, attempts__gte=MAX_ATTEMPTS).update(
            status=DocumentStatus.FAILED,
            error=f"The document could not be rendered in {MAX_ATTEMPTS} attempts.",
            finished_at=now,
        )
    return claimed == 1


def _write_once(name: str, data: bytes) -> bytes:
    """Store the PDF `data` under `name`, encrypted (`files.seal`), so that a crash leaves either
    no file or the whole file (`files.write_new`). A file already under `name` was written whole
    by an earlier attempt that died before marking the document ready: it is kept (one file per
    document), and the PDF it holds is returned, as that is what the document's hash describes.
    Returns the plain PDF stored."""
    if default_storage.exists(name):
        return files.unseal(files.read(name))
    if not files.write_new(name, files.seal(data)):  # pragma: no cover - a storage renamed it
        raise TransientRenderError("The storage did not keep the document's name.")
    return data


def document_render(*, document_id: int) -> str:
    """Render one document from its snapshot (the Celery task calls this; so do tests and the
    benchmark). Safe to run twice or after a crash: the claim is a conditional update, the file
    has one deterministic name and is written whole, and `ready` is set by one conditional
    update. Returns the document's status afterwards."""
    if not _claim(document_id):
        # Finished, failed, or held by a live render (a duplicate message): nothing to do. A
        # render whose worker died is taken again once stale (`documents_stuck`).
        return _current_status(document_id) or "missing"
    document = Document.objects.get(pk=document_id)
    name = file_name(document)
    try:
        rendered = renderer.render(document.kind, document.language_id, document.snapshot)
        stored = _write_once(name, rendered.pdf)
    except OSError as error:
        _release(document_id)
        raise TransientRenderError("The document store is unavailable.") from error
    except SoftTimeLimitExceeded:
        _fail(document_id, "Rendering took too long; ask for the document again.")
        return DocumentStatus.FAILED
    except Exception as error:  # any render error fails this document, with a readable error
        # The type only: a message could quote the case's data, and logs hold no personal data.
        logger.error("Rendering document %s failed: %s", document_id, type(error).__name__)
        _fail(document_id, f"The document could not be rendered ({type(error).__name__}).")
        return DocumentStatus.FAILED
    finished = Document.objects.filter(pk=document_id, status=DocumentStatus.RENDERING).update(
        status=DocumentStatus.READY,
        file=name,
        file_sha256=hashlib.sha256(stored).hexdigest(),
        page_count=rendered.pages,
        finished_at=timezone.now(),
        error="",
    )
    return DocumentStatus.READY if finished else _current_status(document_id)


def _current_status(document_id: int) -> str:
    return Document.objects.filter(pk=document_id).values_list("status", flat=True).first() or ""


def _release(document_id: int) -> None:
    """Give a claimed render back to the queue (a transient error: the task retries)."""
    Document.objects.filter(pk=document_id, status=DocumentStatus.RENDERING).update(
        status=DocumentStatus.QUEUED
    )


def _fail(document_id: int, error: str) -> None:
    Document.objects.filter(pk=document_id, status=DocumentStatus.RENDERING).update(
        status=DocumentStatus.FAILED, error=error[:300], finished_at=timezone.now()
    )


def document_fail_after_retries(*, document_id: int) -> None:
    """The task gave up on a transient error: the document fails with a readable error."""
    Document.objects.filter(
        pk=document_id, status__in=[DocumentStatus.QUEUED, DocumentStatus.RENDERING]
    ).update(
        status=DocumentStatus.FAILED,
        error="The document could not be rendered after several attempts; ask for it again.",
        finished_at=timezone.now(),
    )


def documents_stuck() -> list[int]:
    """Documents whose render was abandoned (rendering for longer than the stale limit) or whose
    message was lost (queued for longer than that)."""
    stale = timezone.now() - dt.timedelta(seconds=settings.DOCUMENT_RENDER_STALE_SECONDS)
    return list(
        Document.objects.filter(
            Q(status=DocumentStatus.RENDERING, rendering_started_at__lt=stale)
            | Q(status=DocumentStatus.QUEUED, requested_at__lt=stale, rendering_started_at=None)
            | Q(status=DocumentStatus.QUEUED, rendering_started_at__lt=stale)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# --- Download ---------------------------------------------------------------------------------


class DocumentUnreadable(ApplicationError):
    """The stored file of a ready document cannot be read back as it was issued (missing, no
    listed key decrypts it, or not the PDF whose hash was recorded). Nothing is sent."""

    status_code = 500
    code = "document_unreadable"


def document_download(*, actor: User, document: Document) -> bytes:
    """The PDF of a document as it was issued, for a user the selectors let reach it: decrypted
    here and only here, checked against the sha256 recorded at rendering, and recorded in the
    audit trail. A file that does not decrypt or is not the issued PDF is refused
    (DocumentUnreadable, logged with the document's id only), never served in its place."""
    if document.status != DocumentStatus.READY:
        raise Conflict(
            _("The document is not ready (%(status)s).")
            % {"status": STATUS_IN_SENTENCE[DocumentStatus(document.status)]}
        )
    try:
        pdf = files.document_pdf(document)
    except files.StoredFileError as error:
        logger.error("Download of document %s refused: %s", document.pk, error)
        raise DocumentUnreadable(
            _(
                "The stored file of this document cannot be read back as it was issued; nothing "
                "was sent. Tell the administrator."
            )
        ) from None
    with transaction.atomic():
        _audit(actor, "document.download", document, {})
    return pdf
