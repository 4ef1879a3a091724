"""A document asked for while Redis is down: the request answers 202 as usual, quickly, with the
document queued in the database; the render's task could not be sent (logged, not raised) and
beat's sweep sends it once Redis answers again. Nothing is lost, nothing is asked twice."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from documents.models import Document, DocumentStatus
from documents.tasks import requeue_stuck_documents
from tests.access import API, client_for
from tests.documents.world import DocWorld
from tests.faults.redis_down import redis_down

Capture = Callable[..., Any]


def test_a_document_asked_for_while_redis_is_down_is_kept_and_rendered_when_it_is_back(
    doc_world: DocWorld,
    django_capture_on_commit_callbacks: Capture,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    cast = doc_world.cast
    payload = {"case": cast.case_a.pk, "kind": "designation_letter"}

    with redis_down(), caplog.at_level(logging.ERROR):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True) as sent:
            response = client_for(cast.office_a).post(f"{API}/documents/", payload, format="json")
        took = time.monotonic() - started

    assert response.status_code == 202, response.content
    assert response.json()["status"] == "queued"
    assert len(sent) == 1  # the render's task, tried after commit
    assert any("on_commit" in record.getMessage() for record in caplog.records)
    assert took < 3.0, f"the request took {took:.2f} s"
    document = Document.objects.get()
    assert (document.status, document.attempts) == (DocumentStatus.QUEUED, 0)

    # Redis is back (tasks run inline again); beat's sweep finds the document once it counts as
    # stuck (DOCUMENT_RENDER_STALE_SECONDS, 0 here) and sends its render.
    settings.DOCUMENT_RENDER_STALE_SECONDS = 0
    assert requeue_stuck_documents.apply().get() == 1

    document.refresh_from_db()
    assert (document.status, document.attempts) == (DocumentStatus.READY, 1)
    assert Document.objects.count() == 1
