from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from legalaid.services.retention import case_anonymise, retention_cutoff, retention_due


class Command(BaseCommand):
    help = (
        "Apply the retention policy: anonymise the identity and the narratives of the cases "
        "closed more than RETENTION_YEARS_AFTER_CLOSURE years ago (every case of the person), "
        "keeping the figures. --dry-run says what it would do and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        today = timezone.localdate()
        due = retention_due(today=today)
        years = settings.RETENTION_YEARS_AFTER_CLOSURE
        self.stdout.write(
            f"{len(due):,} cases closed on or before {retention_cutoff(today)} ({years} years "
            f"ago) are past retention."
        )
        for case in due:
            if dry_run:
                self.stdout.write(f"Would anonymise {case.reference} (closed {case.closed_on}).")
                continue
            changed = case_anonymise(actor=None, case=case, today=today)
            done = ", ".join(f"{count} {kind}" for kind, count in sorted(changed.items()) if count)
            self.stdout.write(f"Anonymised {case.reference}: {done or 'nothing left to change'}.")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
