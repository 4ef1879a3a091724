"""The access matrix of the pages: every page and form of the portal, every role, own and other
objects. A page outside one's scope answers 404, one outside one's role 403, a signed-out visitor
is sent to the sign-in page; never a 500. A refused post changes nothing (reads of a case page
shown again are audited, nothing else is written).

Cells share one world per class (built once, each cell rolled back after it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from django.test import Client

from tests.access import ANONYMOUS, SharedWorldCells, World, last_audit_id, new_audit_rows
from tests.access import legalaid_fingerprint as fingerprint
from tests.cast import build_cast, give_second_factor
from tests.portal.conftest import HOST

ROLES = ("admin", "office_a", "office_b", "lawyer_a", "guardian_a", "outsider", ANONYMOUS)
LOGIN = 302  # to the sign-in page

# Who may open an office page of office A's objects (a case, a lawyer of its bar, an access).
OFFICE_A = (200, 200, 404, 403, 403, 403, LOGIN)
OFFICE_ANY = (200, 200, 200, 403, 403, 403, LOGIN)
OFFICE_STAFF_ONLY = (403, 200, 200, 403, 403, 403, LOGIN)
# The same for a post with an empty form: allowed, it is refused with the form's messages (400).
POST_A = (400, 400, 404, 403, 403, 403, LOGIN)
POST_B = (400, 404, 400, 403, 403, 403, LOGIN)

GET = [
    ("/office/", OFFICE_ANY),
    ("/office/intake/", OFFICE_ANY),
    ("/office/intake/language/?district=antwerpen", OFFICE_ANY),
    ("/office/cases/{case_a}/", OFFICE_A),
    ("/office/cases/{case_b}/", (200, 404, 200, 403, 403, 403, LOGIN)),
    ("/office/cases/999999/", (404, 404, 404, 403, 403, 403, LOGIN)),
    ("/office/panel/", OFFICE_ANY),
    ("/office/panel/{panel_a}/", OFFICE_A),
    ("/office/panel/{panel_b}/", (200, 404, 200, 403, 403, 403, LOGIN)),
    ("/office/panel/import/", OFFICE_STAFF_ONLY),
    ("/office/panel/import/template.csv", OFFICE_STAFF_ONLY),
    ("/office/fairness/", OFFICE_ANY),
    ("/office/fairness.csv", OFFICE_ANY),
    ("/lawyer/", (403, 403, 403, 200, 403, 403, LOGIN)),
    ("/guardian/", (403, 403, 403, 403, 200, 200, LOGIN)),
]
POST = [
    ("/office/intake/", (400, 400, 400, 403, 403, 403, LOGIN)),
    ("/office/cases/{case_a}/notes/", POST_A),
    ("/office/cases/{case_b}/notes/", POST_B),
    ("/office/cases/{case_a}/designate/", POST_A),
    ("/office/cases/{case_a}/close/", POST_A),
    ("/office/cases/{case_a}/personal-data-exports/", POST_A),
    ("/office/cases/{case_b}/personal-data-exports/", POST_B),
    ("/office/cases/{case_a}/guardians/", POST_A),
    ("/office/cases/{case_a}/guardians/{access_a}/revoke/", POST_A),
    ("/office/cases/{case_b}/guardians/{access_b}/revoke/", POST_B),
    ("/office/panel/{panel_a}/edit/", POST_A),
    ("/office/panel/{panel_b}/edit/", POST_B),
    ("/office/panel/{panel_a}/leave/", POST_A),
    ("/office/panel/import/", (403, 400, 400, 403, 403, 403, LOGIN)),
    ("/office/panel/import/confirm/", (403, 302, 302, 403, 403, 403, LOGIN)),
]


def cells(rows: Sequence[tuple[str, tuple[int, ...]]]) -> list[Any]:
    return [
        pytest.param(url, role, status, id=f"{url}-{role}-{status}")
        for url, statuses in rows
        for role, status in zip(ROLES, statuses, strict=True)
    ]


def url_for(world: World, template: str) -> str:
    names = ("case_a", "case_b", "panel_a", "panel_b", "access_a", "access_b")
    return template.format(**{name: world.object(name).pk for name in names})


def client_for(world: World, role: str) -> Client:
    client = Client(HTTP_HOST=HOST)
    user = world.user(role)
    if user is not None:
        client.force_login(give_second_factor(user))
    return client


class TestEveryPage(SharedWorldCells):
    @staticmethod
    def build_world() -> World:
        return World(build_cast())

    @pytest.mark.parametrize(("url", "role", "expected"), cells(GET))
    def test_each_role_gets_the_documented_status_on_each_page(
        self, world: World, url: str, role: str, expected: int
    ) -> None:
        before = fingerprint(with_audit=False)
        response = client_for(world, role).get(url_for(world, url))
        assert response.status_code == expected
        if expected == LOGIN:
            assert response["Location"].startswith("/accounts/login/")
        assert fingerprint(with_audit=False) == before  # a page read writes nothing but audit

    @pytest.mark.parametrize(("url", "role", "expected"), cells(POST))
    def test_each_role_gets_the_documented_status_on_each_form_and_a_refusal_writes_nothing(
        self, world: World, url: str, role: str, expected: int
    ) -> None:
        client = client_for(world, role)
        before, since = fingerprint(with_audit=False), last_audit_id()
        response = client.post(url_for(world, url), {})
        assert response.status_code == expected
        assert fingerprint(with_audit=False) == before
        assert {row[0] for row in new_audit_rows(since)} <= {"case.read_full"}
