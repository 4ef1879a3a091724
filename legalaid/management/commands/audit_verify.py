from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from legalaid.services.audit_chain import audit_chain_seal, audit_chain_verify


class Command(BaseCommand):
    help = (
        "Check the audit trail's hash chain from its first row: exits 0 and prints the chain's "
        "head when every link holds, or exits 1 naming the first broken link. --seal first seals "
        "the rows written since the last seal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seal", action="store_true")

    def handle(self, *args: Any, seal: bool, **options: Any) -> None:
        if seal:
            self.stdout.write(f"Sealed {audit_chain_seal():,} rows.")
        report = audit_chain_verify()
        if not report.intact:
            raise CommandError(
                f"The audit chain is broken at position {report.broken_at}: {report.problem}. "
                f"The {report.checked:,} rows before it are intact."
            )
        self.stdout.write(
            f"The audit chain is intact: {report.checked:,} rows, head {report.head_hash} at "
            f"position {report.head_position}; {report.unsealed:,} rows not sealed yet."
        )
