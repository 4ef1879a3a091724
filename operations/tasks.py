"""Celery tasks of operations: the scheduled backup (celery beat, CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from .services import backup_create, backup_prune


# A dump of a large database takes long: limits of its own, under the broker's visibility
# timeout (CELERY_VISIBILITY_TIMEOUT_SECONDS, 3600) so a message is not handed out twice while
# its backup runs. Run twice, it writes two sets; retention keeps the newest BACKUP_KEEP.
@shared_task(acks_late=True, time_limit=3000, soft_time_limit=2900)
def backup() -> str:
    """Periodic: one backup set, then the older sets beyond BACKUP_KEEP deleted. No arguments;
    returns the set's name (a UTC time)."""
    made = backup_create()
    backup_prune()
    return made.path.name
