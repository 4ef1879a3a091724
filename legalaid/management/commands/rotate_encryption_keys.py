from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from legalaid.crypto import DecryptionError, keyring
from legalaid.management.progress import Progress
from legalaid.services.keys import Stretch, key_rotation_plan


class Command(BaseCommand):
    help = (
        "Re-encrypt every value encrypted at rest with the newest key of FIELD_ENCRYPTION_KEYS, "
        "and the files of KEY_ROTATION_EXTENSIONS (documents) "
        "(put the new key first, keep the old ones listed until this has run). Resumable: rows "
        "and files already under the newest key are skipped. --reindex recomputes the blind "
        "indexes too (after BLIND_INDEX_KEY changed); --dry-run only counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reindex", action="store_true")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, reindex: bool, dry_run: bool, **options: Any) -> None:
        newest = keyring().current_id
        plan = key_rotation_plan(reindex=reindex)
        total = _totals(plan)
        if dry_run:
            for stretch in plan:
                self.stdout.write(f"{stretch.label}: {stretch.count:,} {stretch.unit} to rewrite")
            self.stdout.write(f"Dry run: {total} would be rewritten under the key {newest}.")
            return
        try:
            for stretch in plan:
                if not stretch.count:
                    continue
                progress = Progress(cast(TextIO, self.stderr._out), stretch.label, stretch.count)
                stretch.run(progress.advance)
                progress.finish()
        except DecryptionError as error:
            raise CommandError(
                f"Stopped: {error} What was rewritten so far is kept; put it right (a missing "
                f"key: list it in FIELD_ENCRYPTION_KEYS) and run again."
            ) from None
        self.stdout.write(f"Done: {total} rewritten; everything is under the key {newest}.")


def _totals(plan: list[Stretch]) -> str:
    """`1,234 rows and 5 files`: the counts by unit, in the plan's order."""
    counts: dict[str, int] = {}
    for stretch in plan:
        counts[stretch.unit] = counts.get(stretch.unit, 0) + stretch.count
    return " and ".join(f"{count:,} {unit}" for unit, count in counts.items())
