from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from legalaid.crypto import DecryptionError, keyring
from legalaid.management.progress import Progress

from ...keys import plain_files


class Command(BaseCommand):
    help = (
        "Encrypt the documents' files still stored plain (issued before documents were "
        "encrypted at rest) with the newest key of FIELD_ENCRYPTION_KEYS. Each file is checked "
        "against the sha256 its document recorded and replaced atomically. Idempotent and "
        "resumable: encrypted files are skipped. --dry-run only counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        newest = keyring().current_id
        stretch = plain_files()
        if dry_run:
            self.stdout.write(
                f"Dry run: {stretch.count:,} files would be encrypted under the key {newest}."
            )
            return
        done = 0
        if stretch.count:
            progress = Progress(cast(TextIO, self.stderr._out), stretch.label, stretch.count)
            try:
                stretch.run(progress.advance)
            except DecryptionError as error:
                raise CommandError(
                    f"Stopped: {error} The {progress.done:,} files encrypted so far are kept; "
                    f"put it right and run again."
                ) from None
            finally:
                progress.finish()
            done = progress.done
        self.stdout.write(
            f"Done: {done:,} files encrypted under the key {newest}; no document's file is "
            f"stored plain."
        )
