"""Render every kind of document in every language from the demo data, so a reviewer can open
them: `python manage.py render_samples --out DIR`.

An empty database gets the demo data first (local and test settings only). The demo case with an
accepted lawyer and a guardian is used with its own claim and non-punishment record when the
demo data has them (a judged claim with a state-aid application, a record with a request), else
it gets fictional sample data (`documents.samples`). The samples are rendered straight from their
snapshots, as the workers do, and written as `<kind>.<language>.pdf`; no document is issued."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from claims.models import CivilClaim, StateAidApplication
from documents import kinds, renderer, services, snapshots
from documents.samples import sample_claim, sample_nonpunishment
from legalaid.models import Case, DesignationStatus, NonPunishmentRecord, Party


class Command(BaseCommand):
    help = "Render every kind of document in every language from the demo data into a folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="Folder to write the PDF files to.")

    def handle(self, *args: Any, out: str, **options: Any) -> None:
        folder = Path(out)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            raise CommandError(
                f"Cannot create the folder {folder}: choose another --out."
            ) from None
        if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
            raise CommandError(f"The folder {folder} is not writable: choose another --out.")
        if not Case.objects.exists():
            call_command("load_demo_data", stdout=self.stdout, stderr=self.stderr)
        case, lawyer = self._demo_case()
        with transaction.atomic():
            claim, record = self._sample_data(case, lawyer)
        debtor = Party.objects.filter(claim_awards__judgment__claim=claim).order_by("pk").first()
        given = snapshots.Subject(claim=claim, debtor=debtor, nonpunishment_record=record)
        written = 0
        for kind in sorted(kinds.AVAILABLE_KINDS):
            subject = services.resolve_subject(actor=lawyer, case=case, kind=kind, given=given)
            for language in kinds.LANGUAGES:
                data = snapshots.build(kind, case=case, language=language, subject=subject)
                rendered = renderer.render(kind, language, data)
                path = folder / f"{kind}.{language}.pdf"
                path.write_bytes(rendered.pdf)
                written += 1
                self.stdout.write(f"{path}  ({rendered.pages} page(s))")
        self.stdout.write(
            self.style.SUCCESS(f"{written} documents of case {case.reference} written to {folder}.")
        )

    def _sample_data(self, case: Case, lawyer: Any) -> tuple[CivilClaim, NonPunishmentRecord]:
        """The demo case's claim with a state-aid application, and a non-punishment record with
        a request: the demo data's own when it has them, else fictional sample data."""
        application = (
            StateAidApplication.objects.filter(claim__case=case, claim__judgments__isnull=False)
            .order_by("-filed_on", "-pk")
            .first()
        )
        if application is None:
            sample = sample_claim(case=case, lawyer=lawyer, damage_rows=15)
            return sample.claim, sample.record
        record = (
            case.nonpunishment_records.filter(requests__isnull=False)
            .order_by("-created_at", "-pk")
            .first()
        ) or sample_nonpunishment(case=case, lawyer=lawyer)
        return application.claim, record

    def _demo_case(self) -> tuple[Case, Any]:
        today = timezone.localdate()
        for case in Case.objects.order_by("pk"):
            designation = case.designations.filter(status=DesignationStatus.ACCEPTED).first()
            if (
                designation is not None
                and designation.lawyer.user is not None
                and case.parties.count() >= 2
                and case.guardian_accesses.valid_on(today).count() == 1
            ):
                return case, designation.lawyer.user
        raise CommandError(
            "No case has an accepted lawyer, two parties and one guardian: run the command on "
            "an empty database (it loads the demo data) or on the demo data."
        )
