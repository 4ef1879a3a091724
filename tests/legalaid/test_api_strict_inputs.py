"""Inputs the API used to take silently, found by the API fuzz (tests/api_fuzz): a yes/no filter
with a value that is neither (`?open=-5442` listed everything instead of refusing), and a PATCH
of a lawyer with an empty body (answered 200, changing nothing). Both are refused with a 400
and a sentence; nothing is written."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from legalaid.models import AuditEvent, Lawyer
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def _api(cast: Cast, member: str) -> Client:
    token, _ = Token.objects.get_or_create(user=getattr(cast, member))
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/v1/escalations/?open=-5442", "open"),
        ("/api/v1/lawyers/?active=maybe", "active"),
        ("/api/v1/cases/?is_repeat_victimisation=2", "is_repeat_victimisation"),
    ],
)
def test_a_yes_no_filter_refuses_a_value_that_is_neither(cast: Cast, url: str, name: str) -> None:
    response = _api(cast, "office_a").get(url)
    assert response.status_code == 400
    assert response.json()["error"]["fields"][name] == ["Use true or false."]


@pytest.mark.parametrize("value", ["true", "false", "1", "0", ""])
def test_a_yes_no_filter_takes_true_false_1_0_or_nothing(cast: Cast, value: str) -> None:
    assert _api(cast, "office_a").get(f"/api/v1/escalations/?open={value}").status_code == 200


@pytest.mark.parametrize(
    ("body", "content_type"),
    [("", "application/x-www-form-urlencoded"), ("{}", "application/json")],
)
def test_a_lawyer_patch_with_nothing_to_change_is_refused(
    cast: Cast, body: str, content_type: str
) -> None:
    before = (AuditEvent.objects.count(), list(Lawyer.objects.values().order_by("pk")))
    response = _api(cast, "admin").patch(
        f"/api/v1/lawyers/{cast.panel_a.pk}/", body, content_type=content_type
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Send at least one field to change."
    assert (AuditEvent.objects.count(), list(Lawyer.objects.values().order_by("pk"))) == before
