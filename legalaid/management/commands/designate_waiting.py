"""Designate every case awaiting a lawyer (after a bulk import, or to retry escalated cases)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from legalaid.models import (
    ACTIVE_DESIGNATION_STATUSES,
    Case,
    CaseStatus,
    Designation,
    LegalAidOffice,
)
from legalaid.services.designations import designation_auto


class Command(BaseCommand):
    help = "Run the designation engine for every case awaiting designation; print a summary."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--office", type=int, help="Only the cases of this office (id).")

    def handle(self, *args: Any, office: int | None, **options: Any) -> None:
        cases = Case.objects.filter(status=CaseStatus.AWAITING_DESIGNATION).exclude(
            designations__status__in=ACTIVE_DESIGNATION_STATUSES
        )
        if office is not None:
            if not LegalAidOffice.objects.filter(pk=office).exists():
                raise CommandError(f"No legal-aid office with id {office}.")
            cases = cases.filter(office_id=office)
        ids = list(cases.order_by("intake_on", "pk").values_list("pk", flat=True))
        designated, escalated = 0, 0
        reasons: Counter[str] = Counter()
        for done, pk in enumerate(ids, start=1):
            outcome = designation_auto(actor=None, case=Case.objects.get(pk=pk))
            if isinstance(outcome, Designation):
                designated += 1
            else:
                escalated += 1
                reasons.update(outcome.explanation.get("exclusion_counts", {}).keys())
            self._progress(done, len(ids))
        if ids:
            self.stdout.write("")  # end the progress bar's line
        self.stdout.write(f"Cases awaiting designation: {len(ids)}")
        self.stdout.write(f"Designated: {designated}")
        self.stdout.write(f"Escalated to the office: {escalated}")
        for reason, count in reasons.most_common():
            self.stdout.write(f"  {count} escalated case(s) had candidates excluded as {reason}")

    def _progress(self, done: int, total: int) -> None:
        """A bar redrawn after each case on a terminal; elsewhere (a log, a pipe) the final one."""
        if done != total and not self.stdout.isatty():
            return
        width = 40
        filled = width * done // total
        bar = "#" * filled + "-" * (width - filled)
        self.stdout.write(f"\r[{bar}] {done}/{total}", ending="")
