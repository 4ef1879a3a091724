"""Every URL the product routes, asked by a signed-in user, answers `Cache-Control: no-store,
private` (the back button on a shared computer shows nothing after signing out), whatever the
status; and no response names the server's software.

The URLs are not listed by hand: the test walks the URL resolver (the portal, the office's
pages, the API, allauth's pages, the admin, the API docs), fills each pattern's parameters with
an id of the cast's (or the value its converter takes), and asks each one as office staff, a
guardian and an administrator, by session. Static files and the health checks carry no user's
data and are left to their own caching (tests/portal/test_private_responses.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.cast import Cast, give_second_factor
from tests.portal.conftest import HOST
from tests.portal.test_private_responses import never_kept

pytestmark = pytest.mark.django_db

# Not a user's data: answered before the session is read (WhiteNoise) or with none at all.
LEFT_TO_THEIR_OWN_CACHING = ("/static/", "/healthz", "/readyz")
# What a parameter of a regex route (DRF's routers, the admin) is given, by its name.
PARAMETER_VALUES = {"format": "json", "app_label": "legalaid", "url": "legalaid/case/"}
GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _from_regex(pattern: str, case_id: int) -> str:
    path = GROUP.sub(lambda m: PARAMETER_VALUES.get(m.group(1), str(case_id)), pattern)
    path = path.lstrip("^").rstrip("$").replace("\\.", ".").replace("/?", "/")
    return re.sub(r"[\\^$?*+]", "", path)


def _from_route(route: str, case_id: int) -> str:
    def value(match: re.Match[str]) -> str:
        converter, name = match.group(1) or "str", match.group(2)
        if converter == "int" or name == "object_id":
            return str(case_id)
        return PARAMETER_VALUES.get(name, "a")

    return re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def every_path(case_id: int) -> Iterator[str]:
    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[str]:
        for entry in patterns:
            raw = str(entry.pattern)
            part = (
                _from_route(raw, case_id)
                if entry.pattern.__class__.__name__ == "RoutePattern"
                else _from_regex(raw, case_id)
            )
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + part)
            else:
                yield prefix + part

    yield from dict.fromkeys(walk(get_resolver().url_patterns, "/"))


def test_the_walk_reaches_the_api_the_portal_the_admin_and_allauth(cast: Cast) -> None:
    paths = list(every_path(cast.case_a.pk))
    for prefix in ("/api/v1/cases/", "/office/", "/admin/", "/accounts/", "/api/schema/"):
        assert any(path.startswith(prefix) for path in paths), prefix
    assert len(paths) > 100


@pytest.mark.parametrize("role", ["office_a", "guardian_a", "admin"])
def test_every_url_a_signed_in_user_asks_says_no_store_and_names_no_server(
    cast: Cast, role: str
) -> None:
    client = Client(HTTP_HOST=HOST)
    user = getattr(cast, role)
    client.force_login(give_second_factor(user))
    asked = 0
    for path in every_path(cast.case_a.pk):
        if path.startswith(LEFT_TO_THEIR_OWN_CACHING):
            continue
        response = client.get(path)
        asked += 1
        assert never_kept(response), (path, response.status_code, response.get("Cache-Control"))
        assert "Server" not in response, path
        if path.startswith("/accounts/logout/"):  # the page asks to confirm; still signed in
            assert response.wsgi_request.user.is_authenticated
    assert asked > 100
