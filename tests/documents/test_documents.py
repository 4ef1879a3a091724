"""Documents end to end on the embedded default (tasks inline): every kind in every language is
rendered through the pipeline and read back; versions, deduplication, idempotent renders, the
rescue of abandoned renders, the language rules, and what a snapshot may hold."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import json
import re
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from weasyprint.urls import FatalURLFetchingError

from claims.models import DamageKind, Payment
from claims.services.claims import damage_head_add
from documents import files, formatting, renderer
from documents.models import Document, DocumentKind, DocumentStatus
from documents.renderer import RefusedURL
from documents.services import document_render, document_request, file_name
from documents.snapshots import Subject
from documents.tasks import render_document, requeue_stuck_documents
from legalaid.models import AuditEvent, Language
from tests.cast import Cast
from tests.documents.pdf import read_pdf, stored_pdf
from tests.documents.world import LANGUAGE_WORDS, TITLE_WORDS, DocWorld, build_doc_world

KINDS = sorted(TITLE_WORDS)
LANGUAGES = ["nl", "fr", "de"]
Capture = Callable[..., Any]


def request_and_render(
    world: DocWorld, capture: Capture, kind: str, *, user: Any = None, **extra: Any
) -> Document:
    """Ask as the case's lawyer (by default); the task runs inline after commit."""
    with capture(execute=True):
        document, _ = document_request(
            actor=user or world.cast.lawyer_a,
            case=world.cast.case_a,
            kind=kind,
            subject=extra.pop("subject", world.subject(kind)),
            **extra,
        )
    document.refresh_from_db()
    return document


def marker(document: Document) -> str:
    """An amount (or, in a letter without amounts, the date) as the language writes it."""
    data, language = document.snapshot, document.language_id
    amount: Callable[[], str] | None = {
        DocumentKind.CIVIL_PARTY_CONSTITUTION: lambda: data["total_claimed"],
        DocumentKind.CLAIM_STATEMENT: lambda: data["total_claimed"],
        DocumentKind.STATE_AID_COVER_LETTER: lambda: data["application"]["amount_requested"],
        DocumentKind.STATEMENT_OF_ACCOUNT: lambda: data["totals"]["outstanding"],
    }.get(DocumentKind(document.kind))
    if amount is None:
        return formatting.day(data["issued_on"], language)
    return formatting.money(amount(), language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_renders_in_each_language_as_searchable_pdf_a_with_its_snapshot_attached(
    doc_world: DocWorld, django_capture_on_commit_callbacks: Capture, kind: str, language: str
) -> None:
    document = request_and_render(
        doc_world, django_capture_on_commit_callbacks, kind, language=language
    )

    assert (document.status, document.error) == (DocumentStatus.READY, "")
    stored = stored_pdf(document)
    assert hashlib.sha256(stored).hexdigest() == document.file_sha256
    pdf = read_pdf(stored)
    assert pdf.pages > 0
    assert pdf.pages == document.page_count
    assert doc_world.cast.case_a.reference in pdf.text
    assert marker(document) in pdf.text
    assert TITLE_WORDS[DocumentKind(kind)][language] in pdf.text
    words = set(pdf.text.lower().split())
    assert len(LANGUAGE_WORDS[language] & words) >= 2
    others = set().union(*(LANGUAGE_WORDS[other] for other in LANGUAGES if other != language))
    assert not others & LANGUAGE_WORDS[language]
    assert 'pdfaid:part="3"' in pdf.xmp
    assert 'pdfaid:conformance="B"' in pdf.xmp
    assert pdf.catalog["/Lang"] == language
    assert pdf.metadata.title.endswith(doc_world.cast.case_a.reference)
    assert pdf.metadata.author
    assert pdf.attachments == {"snapshot.json": [renderer.snapshot_bytes(document.snapshot)]}
    assert json.loads(pdf.attachments["snapshot.json"][0]) == document.snapshot


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("nl", "1.234.567,89\u00a0€"),
        ("de", "1.234.567,89\u00a0€"),
        ("fr", "1\u202f234\u202f567,89\u00a0€"),
    ],
)
def test_amounts_are_written_the_way_each_language_writes_them(language: str, written: str) -> None:
    assert formatting.money(Decimal("1234567.891"), language) == written
    assert formatting.money(Decimal("5"), language) == "5,00\u00a0€"


def test_dates_and_quantities_are_written_per_language() -> None:
    assert formatting.day("2026-03-01", "nl") == "1\u00a0maart 2026"
    assert formatting.day("2026-03-01", "fr") == "1er\u00a0mars 2026"
    assert formatting.day("2026-03-02", "de") == "2.\u00a0März 2026"
    assert formatting.quantity(Decimal("121.00"), "fr") == "121"
    assert formatting.quantity(Decimal("35.50"), "nl") == "35,5"


def test_the_same_data_and_templates_give_back_the_stored_document_without_rendering(
    doc_world: DocWorld, django_capture_on_commit_callbacks: Capture
) -> None:
    first = request_and_render(
        doc_world, django_capture_on_commit_callbacks, DocumentKind.CLAIM_STATEMENT
    )
    files = sorted(Path(first.file.path).parent.iterdir())

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again, created = document_request(
            actor=doc_world.cast.lawyer_a,
            case=doc_world.cast.case_a,
            kind=DocumentKind.CLAIM_STATEMENT,
        )

    assert (again.pk, created) == (first.pk, False)
    assert callbacks == []  # nothing enqueued
    assert Document.objects.count() == 1
    assert Document.objects.get(pk=first.pk).attempts == 1
    assert sorted(Path(first.file.path).parent.iterdir()) == files


def test_a_failed_document_is_never_the_answer_asking_again_makes_a_new_version(
    doc_world: DocWorld,
) -> None:
    failed, _ = document_request(
        actor=doc_world.cast.lawyer_a,
        case=doc_world.cast.case_a,
        kind=DocumentKind.DESIGNATION_LETTER,
    )
    Document.objects.filter(pk=failed.pk).update(language="en")  # no template: it fails
    assert document_render(document_id=failed.pk) == DocumentStatus.FAILED

    again, created = document_request(
        actor=doc_world.cast.lawyer_a,
        case=doc_world.cast.case_a,
        kind=DocumentKind.DESIGNATION_LETTER,
    )

    assert created
    assert (again.version, again.snapshot_sha256) == (2, failed.snapshot_sha256)


def test_a_claim_statement_request_reads_each_of_the_claims_tables_once(
    doc_world: DocWorld,
) -> None:
    with CaptureQueriesContext(connection) as queries:
        document_request(
            actor=doc_world.cast.lawyer_a,
            case=doc_world.cast.case_a,
            kind=DocumentKind.CLAIM_STATEMENT,
        )

    reads = Counter(
        match.group(1)
        for query in queries.captured_queries
        if (match := re.match(r'SELECT .*? FROM "(\w+)"', query["sql"]))
    )
    assert reads["claims_award"] == 1
    assert reads["documents_document"] == 1
    assert {t: n for t, n in reads.items() if t.startswith("claims_") and n > 1} == {}


def test_changed_data_makes_a_new_version_and_leaves_the_issued_one_untouched(
    doc_world: DocWorld, django_capture_on_commit_callbacks: Capture
) -> None:
    kind = DocumentKind.CIVIL_PARTY_CONSTITUTION
    first = request_and_render(doc_world, django_capture_on_commit_callbacks, kind)
    issued = (first.snapshot_sha256, first.file_sha256, stored_pdf(first))
    damage_head_add(
        actor=doc_world.cast.lawyer_a,
        claim=doc_world.sample.claim,
        kind=DamageKind.MATERIAL_COSTS,
        description="Travel to the hearings",
        amount_claimed=Decimal("86.40"),
    )

    second = request_and_render(doc_world, django_capture_on_commit_callbacks, kind)

    assert (first.version, second.version) == (1, 2)
    assert second.status == DocumentStatus.READY
    first.refresh_from_db()
    assert (first.snapshot_sha256, first.file_sha256, stored_pdf(first)) == issued
    assert second.snapshot_sha256 != first.snapshot_sha256
    assert second.file.name != first.file.name


def test_a_template_change_makes_a_new_version_even_with_the_same_data(
    doc_world: DocWorld,
    django_capture_on_commit_callbacks: Capture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kind = DocumentKind.DESIGNATION_LETTER
    first = request_and_render(doc_world, django_capture_on_commit_callbacks, kind)
    monkeypatch.setitem(renderer_versions(), kind, "2")

    second = request_and_render(doc_world, django_capture_on_commit_callbacks, kind)

    assert (first.version, second.version) == (1, 2)
    assert first.snapshot_sha256 == second.snapshot_sha256
    assert second.template_version == "2"


def renderer_versions() -> dict[str, str]:
    from documents import kinds

    return kinds.TEMPLATE_VERSIONS


def test_running_the_render_again_changes_nothing_and_keeps_one_file(
    doc_world: DocWorld, django_capture_on_commit_callbacks: Capture
) -> None:
    document = request_and_render(
        doc_world, django_capture_on_commit_callbacks, DocumentKind.DESIGNATION_LETTER
    )
    before = (document.file.name, document.file_sha256, document.attempts, document.finished_at)

    assert render_document.apply(args=(document.pk,)).get() == DocumentStatus.READY

    document.refresh_from_db()
    assert (document.file.name, document.file_sha256, document.attempts) == before[:3]
    assert document.finished_at == before[3]
    name = document.file.name
    assert name
    assert [p.name for p in Path(document.file.path).parent.iterdir()] == [Path(name).name]


def _abandon(document: Document, *, minutes: int = 30) -> None:
    """What a worker killed mid-render leaves: the row claimed long ago, never finished."""
    import datetime as dt

    from django.utils import timezone

    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus.RENDERING,
        rendering_started_at=timezone.now() - dt.timedelta(minutes=minutes),
        attempts=1,
    )


def test_an_abandoned_render_is_taken_again_and_a_partial_file_never_survives(
    doc_world: DocWorld, media_root: Path
) -> None:
    document, _ = document_request(
        actor=doc_world.cast.lawyer_a,
        case=doc_world.cast.case_a,
        kind=DocumentKind.GUARDIAN_STATUS_LETTER,
    )
    _abandon(document)
    target = media_root / file_name(document)
    target.parent.mkdir(parents=True)
    Path(f"{target}.partial").write_bytes(b"%PDF-1.7 half a docu")  # killed while writing

    assert requeue_stuck_documents.apply().get() == 1

    document.refresh_from_db()
    assert (document.status, document.attempts) == (DocumentStatus.READY, 2)
    assert [p.name for p in target.parent.iterdir()] == [target.name]
    pdf = files.unseal(target.read_bytes())
    assert hashlib.sha256(pdf).hexdigest() == document.file_sha256
    assert read_pdf(pdf).pages == document.page_count


def test_a_file_written_whole_before_the_worker_died_is_kept_as_the_document(
    doc_world: DocWorld, media_root: Path
) -> None:
    document, _ = document_request(
        actor=doc_world.cast.lawyer_a,
        case=doc_world.cast.case_a,
        kind=DocumentKind.DESIGNATION_LETTER,
    )
    earlier = renderer.render(document.kind, document.language_id, document.snapshot).pdf
    target = media_root / file_name(document)
    target.parent.mkdir(parents=True)
    target.write_bytes(files.seal(earlier))  # as a worker writes it: encrypted
    _abandon(document)

    assert document_render(document_id=document.pk) == DocumentStatus.READY

    document.refresh_from_db()
    assert document.file_sha256 == hashlib.sha256(earlier).hexdigest()
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_a_live_render_is_not_taken_by_a_second_worker(doc_world: DocWorld) -> None:
    document, _ = document_request(
        actor=doc_world.cast.lawyer_a,
        case=doc_world.cast.case_a,
        kind=DocumentKind.DESIGNATION_LETTER,
    )
    _abandon(document, minutes=0)  # claimed just now: alive

    assert requeue_stuck_documents.apply().get() == 0
    assert document_render(document_id=document.pk) == DocumentStatus.RENDERING
    assert Document.objects.get(pk=document.pk).attempts == 1


def test_a_document_that_cannot_be_rendered_fails_with_a_readable_error(
    doc_world: DocWorld,
) -> None:
    document, _ = document_request(
        actor=doc_world.cast.lawyer_a,
        case=doc_world.cast.case_a,
        kind=DocumentKind.DESIGNATION_LETTER,
    )
    # A language no template is written in (possible only by editing the row by hand).
    Document.objects.filter(pk=document.pk).update(language="en")

    assert document_render(document_id=document.pk) == DocumentStatus.FAILED

    document.refresh_from_db()
    assert document.error == "The document could not be rendered (TemplateDoesNotExist)."
    assert document.file.name == ""


def test_the_url_fetcher_serves_our_static_files_only() -> None:
    fetcher = renderer.fetcher()
    font = renderer.STATIC_DIR / "fonts" / "DejaVuSerif.ttf"
    assert fetcher.fetch(font.as_uri()).read() == font.read_bytes()
    for url in (
        "https://example.com/tracker.png",
        "http://127.0.0.1:6379/",
        "file:///etc/passwd",
        (renderer.STATIC_DIR / ".." / ".." / "models.py").as_uri(),
        "data:text/plain,hello",
    ):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


def test_a_template_asking_for_a_remote_resource_stops_the_render() -> None:
    html = '<html lang="nl"><body><img src="https://example.com/pixel.png"></body></html>'

    with pytest.raises(FatalURLFetchingError):
        renderer.html_to_pdf(html)


def test_court_documents_use_the_language_of_proceedings_and_the_letter_the_guardians(
    doc_world: DocWorld,
) -> None:
    cast = doc_world.cast
    court, _ = document_request(
        actor=cast.lawyer_b, case=cast.case_b, kind=DocumentKind.DESIGNATION_LETTER
    )
    guardian = cast.access_b.guardian
    guardian.preferred_language = Language.objects.get(pk="de")
    guardian.save()
    letter, _ = document_request(
        actor=cast.lawyer_b, case=cast.case_b, kind=DocumentKind.GUARDIAN_STATUS_LETTER
    )
    guardian.preferred_language = Language.objects.get(pk="ro")
    guardian.save()
    fallback, _ = document_request(
        actor=cast.lawyer_b, case=cast.case_b, kind=DocumentKind.GUARDIAN_STATUS_LETTER
    )
    override, _ = document_request(
        actor=cast.lawyer_b,
        case=cast.case_b,
        kind=DocumentKind.DESIGNATION_LETTER,
        language="nl",
    )

    assert cast.case_b.language_id == "fr"
    assert (court.language_id, letter.language_id) == ("fr", "de")
    assert (fallback.language_id, override.language_id) == ("fr", "nl")


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [str(value)]


def test_the_guardians_letter_holds_no_defendant_and_no_identity_beyond_the_wards_first_name(
    doc_world: DocWorld,
) -> None:
    victim = doc_world.cast.case_a.victim
    document, _ = document_request(
        actor=doc_world.cast.guardian_a,
        case=doc_world.cast.case_a,
        kind=DocumentKind.GUARDIAN_STATUS_LETTER,
    )

    text = " ".join(_strings(document.snapshot))
    for secret in ("Piet Pooier", "Kees Klant", victim.family_name, str(victim.date_of_birth)):
        assert secret not in text
    assert victim.given_names in text
    assert document.guardian_id == doc_world.cast.access_a.guardian_id


def test_the_statement_of_account_names_the_victim_by_initials_only(doc_world: DocWorld) -> None:
    victim = doc_world.cast.case_a.victim
    document, _ = document_request(
        actor=doc_world.cast.lawyer_a,
        case=doc_world.cast.case_a,
        kind=DocumentKind.STATEMENT_OF_ACCOUNT,
        subject=Subject(debtor=doc_world.sample.debtor),
    )

    text = " ".join(_strings(document.snapshot))
    assert victim.family_name not in text
    assert victim.given_names not in text
    names = f"{victim.given_names} {victim.family_name}".split()
    assert document.snapshot["creditor_initials"] == "".join(f"{name[0]}." for name in names)
    assert document.snapshot["debtor"]["name"] == "Piet Pooier"


def test_interest_lines_show_each_day_once_up_to_the_day_before_the_issue_date(
    doc_world: DocWorld, django_capture_on_commit_callbacks: Capture
) -> None:
    """The claim statement and the statement of account show the ledger's interest lines: the
    first and the last day bearing interest, both shown, and their number (last - first + 1).
    An award's next line starts the day after (on the payment day, where the sample's payment
    lowered the moral damage); its last line ends the day before the issue date (interest up to
    that date, excluded)."""
    paid_on = Payment.objects.get(judgment__claim=doc_world.sample.claim).paid_on
    for kind in (DocumentKind.CLAIM_STATEMENT, DocumentKind.STATEMENT_OF_ACCOUNT):
        document = request_and_render(doc_world, django_capture_on_commit_callbacks, kind)
        data = document.snapshot
        lines = data["interest"]["lines"] if kind == DocumentKind.CLAIM_STATEMENT else data["lines"]
        day_before_issue = dt.date.fromisoformat(data["issued_on"]) - dt.timedelta(days=1)
        by_award: dict[int, list[dict[str, Any]]] = {}
        for line in lines:
            by_award.setdefault(line["award"], []).append(line)

        assert len(by_award) == 2  # the moral and the material damage (the costs bear none)
        for award_lines in by_award.values():
            periods = [
                (dt.date.fromisoformat(line["from"]), dt.date.fromisoformat(line["to"]))
                for line in award_lines
            ]
            for line, (first, last) in zip(award_lines, periods, strict=True):
                assert line["days"] == (last - first).days + 1
            for (_, last), (first, _) in itertools.pairwise(periods):
                assert first == last + dt.timedelta(days=1)
            assert periods[-1][1] == day_before_issue
        assert paid_on.isoformat() in [line["from"] for line in lines]
        text = read_pdf(stored_pdf(document)).text
        for line in lines:
            assert f"{line['days']}/{line['year_days']}" in text


def test_no_snapshot_holds_a_national_number(
    doc_world: DocWorld,
) -> None:
    victim = doc_world.cast.case_a.victim
    victim.national_number = "11031500182"
    for kind in KINDS:
        document, _ = document_request(
            actor=doc_world.cast.lawyer_a,
            case=doc_world.cast.case_a,
            kind=kind,
            subject=doc_world.subject(kind),
        )
        assert "national_number" not in " ".join(str(key) for key in json.dumps(document.snapshot))


def test_a_request_writes_one_audit_row_without_personal_data(doc_world: DocWorld) -> None:
    since = AuditEvent.objects.count()
    document, _ = document_request(
        actor=doc_world.cast.lawyer_a,
        case=doc_world.cast.case_a,
        kind=DocumentKind.DESIGNATION_LETTER,
    )

    rows = list(AuditEvent.objects.order_by("pk")[since:])
    assert [(row.action, row.target_id, row.case_id) for row in rows] == [
        ("document.request", str(document.pk), doc_world.cast.case_a.pk)
    ]
    assert rows[0].changes == {
        "kind": [None, "designation_letter"],
        "language": [None, "nl"],
        "version": [None, 1],
    }


def test_a_damage_table_split_over_pages_repeats_its_header_and_total_on_each(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    world = build_doc_world(cast, damage_rows=70)
    document = request_and_render(
        world, django_capture_on_commit_callbacks, DocumentKind.CLAIM_STATEMENT, language="fr"
    )
    reader = pypdf.PdfReader(io.BytesIO(stored_pdf(document)))
    heads = [f"#{head['id']} " for head in document.snapshot["damage_heads"]]
    pages_with_rows = [
        text
        for text in (page.extract_text() for page in reader.pages)
        if any(head in text for head in heads) and "Poste Calcul Montant" in text
    ]

    assert len(pages_with_rows) >= 3
    assert all("Total réclamé" in text for text in pages_with_rows)


def test_a_document_that_kept_killing_its_worker_fails_instead_of_coming_back_forever(
    doc_world: DocWorld,
) -> None:
    document, _ = document_request(
        actor=doc_world.cast.lawyer_a,
        case=doc_world.cast.case_a,
        kind=DocumentKind.DESIGNATION_LETTER,
    )
    _abandon(document)
    Document.objects.filter(pk=document.pk).update(attempts=3)

    assert requeue_stuck_documents.apply().get() == 1
    document.refresh_from_db()

    assert (document.status, document.attempts) == (DocumentStatus.FAILED, 3)
    assert document.error == "The document could not be rendered in 3 attempts."
    assert requeue_stuck_documents.apply().get() == 0
