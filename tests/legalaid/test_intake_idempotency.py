"""An intake sent again with the same Idempotency-Key (the client did not get the first answer)
opens nothing more and answers the case the first one opened; the same key with another body is
refused; a key is the caller's own; an intake refused leaves its key free. On PostgreSQL, the same
intake sent several times at the same moment opens one case."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from idempotency.models import IdempotencyKey
from legalaid.models import Case, Designation, Role
from tests.cast import Cast, make_user
from tests.legalaid.test_concurrency import run_together
from tests.legalaid.test_intake import URL, counts, payload

KEY = "3f0c9a7e-intake-retry"


def client_for(user: Any, key: str | None = KEY) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    if key is not None:
        client.credentials(HTTP_IDEMPOTENCY_KEY=key)
    return client


def written() -> dict[str, int]:
    return {**counts(), "keys": IdempotencyKey.objects.count()}


@pytest.mark.django_db
def test_the_same_intake_sent_again_opens_nothing_more_and_answers_the_same_case(
    cast: Cast,
) -> None:
    before = written()

    first = client_for(cast.office_a).post(URL, payload(), format="json")
    after_first = written()
    again = client_for(cast.office_a).post(URL, payload(), format="json")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert after_first["cases"] == before["cases"] + 1
    assert after_first["designations"] == before["designations"] + 1
    assert written() == after_first
    assert IdempotencyKey.objects.get().object_id == first.json()["id"]


@pytest.mark.django_db
def test_the_same_key_with_another_intake_is_refused_and_writes_nothing(cast: Cast) -> None:
    client_for(cast.office_a).post(URL, payload(), format="json")
    before = written()

    other = client_for(cast.office_a).post(
        URL, payload(victim={"given_names": "Nora"}), format="json"
    )

    assert other.status_code == 409
    assert other.json() == {
        "error": {
            "status": 409,
            "code": "conflict",
            "message": "This idempotency key was already used for a different intake.",
            "fields": {},
        }
    }
    assert written() == before


@pytest.mark.django_db
def test_a_malformed_key_is_refused_and_writes_nothing(cast: Cast) -> None:
    before = written()

    response = client_for(cast.office_a, key="two words").post(URL, payload(), format="json")

    message = "The Idempotency-Key header must be 1 to 100 printable characters without spaces."
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"Idempotency-Key": [message]}
    assert written() == before


@pytest.mark.django_db
def test_a_key_belongs_to_its_caller(cast: Cast) -> None:
    colleague = make_user("colleague", Role.OFFICE, cast.office_a_obj)

    mine = client_for(cast.office_a).post(URL, payload(), format="json")
    theirs = client_for(colleague).post(URL, payload(), format="json")

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert theirs.json()["id"] != mine.json()["id"]  # the same person again: a repeat record
    assert IdempotencyKey.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_intake_leaves_its_key_free(cast: Cast) -> None:
    refused = client_for(cast.office_a).post(URL, payload(intake_on="2999-01-01"), format="json")
    before = written()

    corrected = client_for(cast.office_a).post(URL, payload(), format="json")

    assert refused.status_code == 400
    assert corrected.status_code == 201
    assert written()["cases"] == before["cases"] + 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_intake_sent_several_times_at_once_opens_one_case(
    postgres: None, cast: Cast
) -> None:
    cases, designations = Case.objects.count(), Designation.objects.count()

    def send(_number: int) -> tuple[int, int]:
        response = client_for(cast.office_a).post(URL, payload(), format="json")
        return response.status_code, response.json()["id"]

    answers, errors = run_together(4, send)

    assert errors == []
    assert len(answers) == 4
    assert {status for status, _ in answers} == {201}
    assert len({case_id for _, case_id in answers}) == 1
    assert (Case.objects.count(), Designation.objects.count()) == (cases + 1, designations + 1)
