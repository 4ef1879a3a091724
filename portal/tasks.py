"""Beat's heartbeat: a periodic task that stamps the time in the cache; /metrics reports its age
(`lanzarote_beat_last_run_age_seconds`). It grows when beat stops sending, and also when no worker
takes tasks: either way the periodic work (expiries, sweeps) is not being done."""

from __future__ import annotations

from celery import shared_task

from .metrics import beat_heartbeat_record


@shared_task(ignore_result=True, time_limit=30, soft_time_limit=20)
def beat_heartbeat() -> None:
    beat_heartbeat_record()
