"""A database that cannot be reached (restarting, a connection lost) or a transaction that had to
give way (a deadlock) answers 503 in the error body, with Retry-After: the client sends the
request again as it is (with its Idempotency-Key where it creates something). What the database
said is neither answered nor logged: it may quote values. The restart itself, under load, is
tests/faults/test_postgres_restart.py."""

from __future__ import annotations

import logging

import pytest
from django.db import InterfaceError, OperationalError

from legalaid.api.errors import DATABASE_UNAVAILABLE
from legalaid.api.views import IntakeView


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("connection failed: server closed the connection unexpectedly"),
        OperationalError("deadlock detected DETAIL: Process 12 waits … Amira Benali"),
        InterfaceError("connection already closed"),
    ],
)
def test_a_database_error_answers_503_and_says_nothing_of_the_database(
    error: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    view = IntakeView()
    handler = view.get_exception_handler()  # the one in settings.REST_FRAMEWORK

    with caplog.at_level(logging.WARNING):
        response = handler(error, {"view": view, "args": (), "kwargs": {}, "request": None})

    assert response is not None
    assert (response.status_code, response["Retry-After"]) == (503, "5")
    assert response.data == {
        "error": {
            "status": 503,
            "code": "database_unavailable",
            "message": str(DATABASE_UNAVAILABLE),
            "fields": {},
        }
    }
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert type(error).__name__ in logged
    assert str(error) not in logged
