"""Signing in: a password, then the TOTP second factor for office staff, lawyers and
administrators (set up at the first sign-in, before anything else is reachable); failed
sign-ins rate-limited; sessions that end after inactivity; no way around the second factor
through the admin's or the browsable API's own sign-in."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from portal.middleware import RENEWED_KEY
from tests.cast import PASSWORD, SECOND_FACTOR_SECRET, Cast, current_code, give_second_factor
from tests.portal.conftest import HOST

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_rate_limits() -> None:
    cache.clear()  # allauth counts failed sign-ins in the cache


def browser() -> Client:
    return Client(HTTP_HOST=HOST)


def sign_in(client: Client, username: str, password: str = PASSWORD) -> str:
    response = client.post("/accounts/login/", {"login": username, "password": password})
    return str(response.headers.get("Location", response.status_code))


def test_a_signed_out_visitor_lands_on_the_sign_in_page() -> None:
    client = browser()
    assert client.get("/")["Location"] == "/accounts/login/"
    page = client.get("/accounts/login/").content.decode()
    assert '<label for="id_login">' in page
    assert '<label for="id_password">' in page
    assert 'href="#main"' in page  # the skip link


def test_office_staff_need_the_code_of_their_app_after_the_password(cast: Cast) -> None:
    give_second_factor(cast.office_a)
    client = browser()
    assert sign_in(client, "office_a") == "/accounts/2fa/authenticate/"
    assert client.get("/office/")["Location"].startswith("/accounts/login/")  # not signed in yet

    response = client.post("/accounts/2fa/authenticate/", {"code": current_code()})

    assert response["Location"] == "/"
    assert client.get("/")["Location"] == "/office/"
    assert client.get("/office/").status_code == 200


def test_a_wrong_code_is_refused_and_signs_nobody_in(cast: Cast) -> None:
    give_second_factor(cast.office_a)
    client = browser()
    sign_in(client, "office_a")
    wrong = "000000" if current_code() != "000000" else "111111"

    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert client.get("/office/")["Location"].startswith("/accounts/login/")


def test_the_first_sign_in_leads_to_the_set_up_and_nothing_else_is_reachable(cast: Cast) -> None:
    client = browser()
    assert sign_in(client, "office_a") == "/"
    for path in ("/", "/office/", "/office/intake/", "/admin/", "/accounts/password/change/"):
        assert client.get(path)["Location"] == "/accounts/2fa/totp/activate/", path
    api = client.get("/api/v1/cases/")
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "second_factor_required"

    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(
        "/accounts/2fa/totp/activate/", {"code": current_code(secret), "signup": ""}
    )

    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    codes = client.get("/accounts/2fa/recovery-codes/")
    assert codes.status_code == 200
    assert len(codes.context["unused_codes"]) >= 10
    assert client.get("/office/").status_code == 200
    assert client.get("/api/v1/cases/").status_code == 200


@pytest.mark.parametrize("role", ["lawyer_a", "admin"])
def test_lawyers_and_administrators_must_set_up_the_second_factor_too(
    cast: Cast, role: str
) -> None:
    client = browser()
    sign_in(client, getattr(cast, role).username)
    assert client.get("/")["Location"] == "/accounts/2fa/totp/activate/"


def test_guardians_sign_in_with_the_password_alone(cast: Cast) -> None:
    client = browser()
    assert sign_in(client, "guardian_a") == "/"
    assert client.get("/")["Location"] == "/guardian/"
    assert client.get("/guardian/").status_code == 200


def test_the_second_factor_of_office_staff_cannot_be_removed(cast: Cast) -> None:
    client = browser()
    client.force_login(give_second_factor(cast.office_a))

    client.post("/accounts/2fa/totp/deactivate/", {})

    assert Authenticator.objects.filter(user=cast.office_a, type="totp").exists()


def test_repeated_failed_sign_ins_are_refused_even_with_the_right_password(cast: Cast) -> None:
    client = browser()
    for _ in range(5):
        assert (
            client.post("/accounts/login/", {"login": "office_a", "password": "wrong"}).status_code
            == 200
        )

    response = client.post("/accounts/login/", {"login": "office_a", "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/office/")["Location"].startswith("/accounts/login/")


def test_a_session_ends_after_the_idle_time(cast: Cast) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = browser()
    client.force_login(give_second_factor(cast.office_a))
    assert client.get("/office/").status_code == 200
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )

    assert client.get("/office/")["Location"].startswith("/accounts/login/")


def age_last_renewal(client: Client, seconds: int) -> None:
    session = client.session
    session[RENEWED_KEY] = int(time.time()) - seconds
    session.save()


def test_a_request_renews_the_session_once_a_minute_at_most(cast: Cast) -> None:
    client = browser()
    client.force_login(give_second_factor(cast.office_a))
    key = client.session.session_key
    soon = timezone.now() + dt.timedelta(minutes=5)
    age_last_renewal(client, settings.SESSION_RENEW_SECONDS)
    Session.objects.filter(session_key=key).update(expire_date=soon)

    client.get("/office/")

    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > soon + dt.timedelta(minutes=20)  # pushed back to 30 minutes from now
    Session.objects.filter(session_key=key).update(expire_date=soon)
    client.get("/office/")  # within the minute: no write
    assert Session.objects.get(session_key=key).expire_date == soon


def test_the_browsable_apis_own_sign_in_sends_to_the_real_one() -> None:
    response = browser().get("/api-auth/login/?next=/api/v1/cases/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/api/v1/cases/"


def test_the_admins_own_sign_in_sends_to_the_real_one() -> None:
    response = browser().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_token_reaches_the_api_without_a_second_factor(cast: Cast) -> None:
    token = Token.objects.create(user=cast.office_a)
    response = browser().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


def test_the_cast_secret_is_a_valid_totp_secret() -> None:
    assert len(current_code(SECOND_FACTOR_SECRET)) == 6
