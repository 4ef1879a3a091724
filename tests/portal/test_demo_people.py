"""The demo's people: everyone can sign in at once (the second factor's secrets are published),
every district has lawyers, and the demo lawyer has a proposal to answer."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q
from django.test import Client, override_settings

from legalaid.models import Designation, DesignationStatus, District
from portal.demo import DEMO_TOTP_SECRETS
from tests.cast import current_code
from tests.portal.conftest import HOST

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_every_district_has_at_least_two_active_lawyers(demo: None) -> None:
    counts = District.objects.annotate(
        n=Count("lawyers", filter=Q(lawyers__active=True), distinct=True)
    ).values_list("code", "n")
    assert len(counts) == 12
    assert {code: n for code, n in counts if n < 2} == {}


def test_the_demo_lawyer_has_a_proposal_to_answer(demo: None) -> None:
    mine = Designation.objects.filter(lawyer__user__username="lawyer")
    assert mine.filter(status=DesignationStatus.PROPOSED).count() == 1
    assert mine.filter(status=DesignationStatus.ACCEPTED).count() == 1


@pytest.mark.parametrize(
    ("username", "home"),
    [("office", "/office/"), ("office-bxl", "/office/"), ("lawyer", "/lawyer/"),
     ("admin", "/office/")],
)  # fmt: skip
def test_each_demo_user_signs_in_with_the_published_secret(
    demo: None, username: str, home: str
) -> None:
    client = Client(HTTP_HOST=HOST)
    client.post("/accounts/login/", {"login": username, "password": "lanzarote-demo"})
    response = client.post(
        "/accounts/2fa/authenticate/", {"code": current_code(DEMO_TOTP_SECRETS[username])}
    )
    assert response["Location"] == "/"
    assert client.get("/")["Location"] == home
    assert client.get(home).status_code == 200


def test_the_demo_code_command_prints_the_current_code(demo: None, capsys) -> None:
    call_command("demo_totp_code", "office")
    assert capsys.readouterr().out.strip() == current_code(DEMO_TOTP_SECRETS["office"])


@override_settings(DEMO_DATA_ALLOWED=False)
def test_the_demo_code_command_is_refused_in_production() -> None:
    with pytest.raises(CommandError, match="never given with these settings"):
        call_command("demo_totp_code", "office")
