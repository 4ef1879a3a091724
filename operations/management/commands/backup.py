from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations.services import BackupError, backup_create, backup_prune


class Command(BaseCommand):
    help = (
        "Write one backup set under BACKUP_ROOT (the database with PostgreSQL's pg_dump or "
        "SQLite's backup API, MEDIA_ROOT as it is, and a manifest of hashes, migrations and key "
        "ids; never a key), then delete all but the newest BACKUP_KEEP sets."
    )
    # The system checks (which import every view) say nothing about a backup: not run.
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            made = backup_create()
            deleted = backup_prune()
        except BackupError as error:
            raise CommandError(str(error)) from None
        parts, keys = made.manifest["parts"], made.manifest["keys"]["in_data"]
        used = ", ".join(f"{key_id} ({count:,} values)" for key_id, count in keys.items())
        self.stdout.write(
            f"Backup set {made.path}: database {parts['database']['size']:,} bytes, "
            f"{parts['media']['files']:,} stored files in {parts['media']['size']:,} bytes; "
            f"key ids in the data: {used or 'none'}. Kept the newest {settings.BACKUP_KEEP} "
            f"sets; deleted {len(deleted)}{': ' + ', '.join(deleted) if deleted else ''}."
        )
