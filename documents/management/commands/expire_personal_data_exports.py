"""Delete the persons' copies of their files past their day (`documents.exports`); celery beat
runs the same every hour (`documents.tasks.expire_personal_data_exports`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from documents.exports import personal_data_exports_expire


class Command(BaseCommand):
    help = "Delete the files of the persons' copies (GDPR exports) past PERSONAL_DATA_EXPORT_DAYS."

    def handle(self, *args: Any, **options: Any) -> None:
        expired = personal_data_exports_expire()
        self.stdout.write(f"{expired} expired cop{'y' if expired == 1 else 'ies'} deleted.")
