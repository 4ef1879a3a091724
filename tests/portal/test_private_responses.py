"""Responses that leave nothing behind: whatever a signed-in user receives (pages and API, by
session or by token) says `no-store` and `private`; static files keep long caching; /healthz
answers the load balancer with no data."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.access import World
from tests.cast import Cast, give_second_factor
from tests.portal.conftest import HOST
from tests.portal.test_page_matrix import GET, ROLES, url_for

pytestmark = pytest.mark.django_db

OFFICE_A = ROLES.index("office_a")


def never_kept(response: Any) -> bool:
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    return {"no-store", "private"} <= directives


def test_every_page_a_signed_in_user_opens_says_no_store(cast: Cast) -> None:
    client = Client(HTTP_HOST=HOST)
    client.force_login(give_second_factor(cast.office_a))
    world = World(cast)
    for url, statuses in GET:
        response = client.get(url_for(world, url))
        assert response.status_code == statuses[OFFICE_A], url
        assert never_kept(response), url


@pytest.mark.parametrize(
    "path", ["/api/v1/cases/", "/api/v1/me/", "/api/v1/lawyers/", "/api/v1/escalations/"]
)
def test_api_answers_to_a_token_say_no_store(cast: Cast, path: str) -> None:
    token = Token.objects.create(user=cast.office_a)
    response = Client(HTTP_HOST=HOST).get(path, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert never_kept(response)


def test_static_files_keep_long_caching() -> None:
    response = Client(HTTP_HOST=HOST).get("/static/portal/site.css")
    assert "no-store" not in response["Cache-Control"]


def test_healthz_answers_with_no_data_no_query_and_no_cookie(
    django_assert_num_queries: Any,
) -> None:
    with django_assert_num_queries(0):
        response = Client(HTTP_HOST=HOST).get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert not response.cookies
