"""Migrate the database once, however many web processes start at the same moment.

`deploy/web` runs this before gunicorn. On PostgreSQL the first process takes an advisory lock
(held by its session) and migrates; the others wait for the lock, then find nothing left to do:
two `migrate` at once would both try to create the same tables. SQLite (not for production)
migrates without a lock. A malformed setting stops it with one sentence, as manage.py does.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# pg_advisory_lock's two-key form: a space of its own, apart from the one-key locks the
# application takes (intake's lock on a person's identity).
LOCK = (0x4C414E5A, 1)  # "LANZ", migrations


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as error:
        sys.stderr.write(f"Configuration error: {error}\n")
        return 2

    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        call_command("migrate", interactive=False)
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", LOCK)
        (locked,) = cursor.fetchone() or (False,)
        if not locked:
            print("Another process is migrating the database: waiting for it.", flush=True)
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", LOCK)
    try:
        call_command("migrate", interactive=False)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", LOCK)
        connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
