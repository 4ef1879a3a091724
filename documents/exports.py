"""Writing a person's copy of their file (GDPR articles 15 and 20; what it holds:
`documents.personal_data`): the request (office staff of an office holding one of the person's
cases; a queued row and a task after commit), the build (a ZIP of export.json, the issued PDFs and
a summary PDF in the person's language, stored encrypted like the documents), the audited
download, and the expiry (the file deleted PERSONAL_DATA_EXPORT_DAYS after the request)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import secrets
import zipfile
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from legalaid.audit import audit_record
from legalaid.errors import ApplicationError, Conflict, Forbidden, NotFound
from legalaid.models import Case, Role, User, Victim
from legalaid.services._common import require

from . import files, personal_data, renderer
from .formatting import LANGUAGES
from .models import ExportOnBehalfOf, ExportStatus, PersonalDataExport

logger = logging.getLogger(__name__)

SUMMARY_KIND = "personal_data_summary"  # its templates: documents/personal_data_summary/<lang>
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the entries' time: the copy's content, not when it was zipped


class ExportGone(ApplicationError):
    """The copy expired: its file was deleted (ask for a new one)."""

    status_code = 410
    code = "gone"


class ExportUnreadable(ApplicationError):
    """The stored copy cannot be read back as it was built; nothing is sent."""

    status_code = 500
    code = "export_unreadable"


# --- Request ----------------------------------------------------------------------------------


def _office_case(actor: User, victim: Victim, case: Case | None) -> Case:
    """The case the copy is asked from: `case` if given, else the person's latest case held by
    the actor's office (the copy is made there). NotFound when the office holds none, as for any
    case outside one's scope."""
    if actor.role != Role.OFFICE:
        raise Forbidden(_("Only the staff of the legal-aid office produce a person's copy."))
    records = personal_data.person_records(victim)
    cases = Case.objects.filter(victim__in=records, office_id=actor.office_id)
    if case is not None:
        cases = cases.filter(pk=case.pk)
    found = cases.select_related("office").order_by("-intake_on", "-pk").first()
    if found is None:
        raise NotFound(_("No such case."))
    return found


def _language(victim: Victim, case: Case, language: str | None) -> str:
    if language:
        require(
            language in LANGUAGES,
            "language",
            _("The copy is written in %(languages)s; not in %(language)s.")
            % {"languages": ", ".join(LANGUAGES), "language": language},
        )
        return language
    if victim.language_id in LANGUAGES:
        return victim.language_id
    return case.language_id if case.language_id in LANGUAGES else "nl"


@transaction.atomic
def personal_data_export_request(
    *,
    actor: User,
    victim: Victim,
    on_behalf_of: str,
    language: str | None = None,
    case: Case | None = None,
) -> PersonalDataExport:
    """Ask for a copy of everything held about the person of `victim` (all their records), asked
    by their guardian while a minor or by the person once of age. Office staff of an office
    holding one of the person's cases only. The build runs in a worker after commit; its task
    gets the export's id only. `case`: the case the office works from (one of the person's)."""
    case = _office_case(actor, victim, case)
    require(
        on_behalf_of in ExportOnBehalfOf.values,
        "on_behalf_of",
        _("Choose one of: %(codes)s.") % {"codes": ", ".join(ExportOnBehalfOf.values)},
    )
    minor = victim.is_minor_on(timezone.localdate())
    require(
        not (minor and on_behalf_of == ExportOnBehalfOf.VICTIM),
        "on_behalf_of",
        _("While the person is a minor, their guardian asks for the copy."),
    )
    require(
        not (not minor and on_behalf_of == ExportOnBehalfOf.GUARDIAN),
        "on_behalf_of",
        _("The person is of age: they ask for their copy in their own name."),
    )
    chosen = _language(victim, case, language)
    now = timezone.now()
    export = PersonalDataExport(
        victim=victim,
        case=case,
        requested_by=actor,
        on_behalf_of=on_behalf_of,
        language_id=chosen,
        created_at=now,
        expires_on=timezone.localdate() + dt.timedelta(days=settings.PERSONAL_DATA_EXPORT_DAYS),
    )
    export.full_clean()
    export.save()
    _audit(
        actor,
        "personal_data_export.request",
        export,
        {
            "on_behalf_of": [None, on_behalf_of],
            "language": [None, chosen],
            "expires_on": [None, str(export.expires_on)],
        },
    )
    export_id = export.pk
    transaction.on_commit(lambda: _enqueue(export_id), robust=True)
    return export


def _enqueue(export_id: int) -> None:
    from .tasks import build_personal_data_export

    build_personal_data_export.delay(export_id)


def _audit(
    actor: User | None, action: str, export: PersonalDataExport, changes: dict[str, Any]
) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=export,
        case_id=export.case_id,
        office_id=export.case.office_id,
        changes=changes,
    )


# --- Build ------------------------------------------------------------------------------------


def summary_pdf(data: dict[str, Any], language: str) -> bytes:
    """The readable summary, in the copy's language, with the documents' renderer and styles."""
    with translation.override(language):
        reads = [
            {**read, "role_label": _role_label(read["reader"]["role"])} for read in data["reads"]
        ]
    context = {
        "data": {
            **data,
            "reads": reads,
            "case": {"reference": f"#{data['export']['id']}"},
            "issued_on": timezone.localdate(),
        }
    }
    html = renderer.render_html(SUMMARY_KIND, language, context)
    return renderer.html_to_pdf(html).pdf


def _role_label(role: str) -> str:
    return str(Role(role).label) if role in Role.values else "Lanzarote"


def build_zip(export: PersonalDataExport) -> bytes:
    """export.json, each issued PDF (as issued: decrypted and checked against its sha256) under
    documents/, and summary.pdf."""
    collected = personal_data.collect(export)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, content: bytes) -> None:
            archive.writestr(zipfile.ZipInfo(name, ZIP_DATE), content, zipfile.ZIP_DEFLATED)

        add("export.json", personal_data.json_bytes(collected.data))
        for path, document in sorted(collected.pdfs.items()):
            add(path, files.document_pdf(document))
        add("summary.pdf", summary_pdf(collected.data, export.language_id))
    return buffer.getvalue()


def _file_name(export: PersonalDataExport) -> str:
    """One name per build (a second build of the same export, run at the same time, writes its
    own file and removes it when the first one won)."""
    return f"personal-data-exports/{export.pk}-{secrets.token_hex(8)}.zip.lzf"


def personal_data_export_build(*, export_id: int) -> str:
    """Build a queued copy (the Celery task calls this). Safe to run twice: a copy that is no
    longer queued is left alone, and `ready` is set by one conditional update. Returns the
    copy's status afterwards."""
    export = (
        PersonalDataExport.objects.select_related("victim", "case__office")
        .filter(pk=export_id, status=ExportStatus.QUEUED)
        .first()
    )
    if export is None:
        return _current_status(export_id)
    try:
        plain = build_zip(export)
    except files.StoredFileError as error:
        logger.error("Personal data export %s failed: %s", export_id, error)
        return _fail(export_id, "An issued document's file cannot be read back as it was issued.")
    except Exception as error:  # any other build error fails this copy, with a readable error
        # The type only: a message could quote the person's data; logs hold no personal data.
        logger.error("Personal data export %s failed: %s", export_id, type(error).__name__)
        return _fail(export_id, f"The copy could not be built ({type(error).__name__}).")
    name = _file_name(export)
    try:
        files.write_new(name, files.seal(plain))
    except OSError:
        logger.error("Personal data export %s: the storage is unavailable", export_id)
        return _fail(export_id, "The copy could not be stored; ask for it again.")
    digest = hashlib.sha256(plain).hexdigest()
    with transaction.atomic():
        finished = PersonalDataExport.objects.filter(
            pk=export_id, status=ExportStatus.QUEUED
        ).update(
            status=ExportStatus.READY,
            file_name=name,
            file_sha256=digest,
            size=len(plain),
            ready_at=timezone.now(),
            error="",
        )
        if finished:
            _audit(
                export.requested_by,
                "personal_data_export.produce",
                export,
                {"status": [ExportStatus.QUEUED, ExportStatus.READY], "sha256": [None, digest]},
            )
    if not finished:
        default_storage.delete(name)
    return _current_status(export_id)


def personal_data_exports_stuck() -> list[int]:
    """Copies still queued long after they were asked for (their message was lost, or their
    worker died): the hourly beat task sends them again. A second build of a copy being built
    is harmless (see `personal_data_export_build`)."""
    stale = timezone.now() - dt.timedelta(seconds=settings.DOCUMENT_RENDER_STALE_SECONDS)
    return list(
        PersonalDataExport.objects.filter(status=ExportStatus.QUEUED, created_at__lt=stale)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _current_status(export_id: int) -> str:
    return (
        PersonalDataExport.objects.filter(pk=export_id).values_list("status", flat=True).first()
        or "missing"
    )


def _fail(export_id: int, error: str) -> str:
    PersonalDataExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.FAILED, error=error[:300]
    )
    return _current_status(export_id)


# --- Download ---------------------------------------------------------------------------------


def personal_data_export_download(*, actor: User, export: PersonalDataExport) -> bytes:
    """The ZIP as it was built: decrypted here and only here, checked against its sha256, and
    recorded in the audit trail. An expired copy answers 410 with a sentence."""
    if export.status == ExportStatus.EXPIRED:
        raise ExportGone(
            _("This copy expired on %(day)s and its file was deleted. Ask for a new copy.")
            % {"day": export.expires_on.isoformat()}
        )
    if export.status != ExportStatus.READY:
        raise Conflict(_("The copy is not ready yet, or it failed. Look at its status."))
    try:
        plain = files.unseal(files.read(export.file_name))
    except (files.StoredFileError, FileNotFoundError) as error:
        logger.error("Download of personal data export %s refused: %s", export.pk, error)
        plain = b""
    if hashlib.sha256(plain).hexdigest() != export.file_sha256:
        raise ExportUnreadable(
            _(
                "The stored copy cannot be read back as it was built; nothing was sent. Tell "
                "the administrator."
            )
        )
    with transaction.atomic():
        _audit(actor, "personal_data_export.download", export, {})
    return plain


# --- Expiry -----------------------------------------------------------------------------------


def personal_data_exports_expire(*, today: dt.date | None = None) -> int:
    """Delete the file of every copy past its `expires_on` and mark it expired (the row stays as
    the register of what was given: who asked, when, the sha256). Called by the beat task
    `documents.tasks.expire_personal_data_exports` and `manage.py expire_personal_data_exports`.
    Returns the number of copies expired."""
    day = today or timezone.localdate()
    due = PersonalDataExport.objects.filter(expires_on__lt=day).exclude(status=ExportStatus.EXPIRED)
    expired = 0
    for export in due.select_related("case").order_by("pk"):
        expired += personal_data_export_expire(export=export)
    return expired


def personal_data_export_expire(*, export: PersonalDataExport) -> int:
    """Expire one copy now (its day passed, or the retention policy anonymises its person): the
    file deleted, the status `expired`, audited. 1 if it was expired here, 0 if already."""
    with transaction.atomic():
        changed = (
            PersonalDataExport.objects.filter(pk=export.pk)
            .exclude(status=ExportStatus.EXPIRED)
            .update(status=ExportStatus.EXPIRED, file_name="", error="")
        )
        if changed:
            _audit(
                None, "personal_data_export.expire", export, {"status": [export.status, "expired"]}
            )
    if changed and export.file_name:
        default_storage.delete(export.file_name)
    return changed
