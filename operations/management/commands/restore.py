from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from operations.services import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup set (its path, or its name under BACKUP_ROOT) into an empty database "
        "and an empty MEDIA_ROOT. Checks every part against the manifest's sha256 first, and "
        "refuses, changing nothing, when the database or the storage is not empty, the set was "
        "made by a newer version, or FIELD_ENCRYPTION_KEYS lacks a key the data uses; after "
        "restoring it decrypts a sample of every encrypted column and undoes the restore if the "
        "keys cannot read it."
    )
    # Nothing here needs the system checks (which import every view): a restore runs before the
    # application ever started on the database.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("set", help="the set's directory, or its name under BACKUP_ROOT")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(name=options["set"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {report.name}: {report.tables} tables, {report.files:,} stored files; "
            f"{report.values_checked:,} encrypted values and files decrypted as a check (key ids "
            f"{', '.join(report.key_ids) or 'none'}). Next: `manage.py migrate` (deploy/web does "
            f"it) if this version has newer migrations, and `manage.py audit_verify`."
        )
