"""The Django admin: a page for every model, no identity data in lists, reference data edits
audited (inline rows included)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client

from legalaid.models import AuditEvent, DistrictLanguage
from tests.cast import Cast, give_second_factor


@pytest.fixture
def admin_client_for_cast(cast: Cast) -> Client:
    cast.admin.is_staff = True
    cast.admin.is_superuser = True
    cast.admin.save()
    client = Client()
    client.force_login(give_second_factor(cast.admin))
    return client


def test_every_model_has_an_admin_list_that_shows_no_victim_identity(
    cast: Cast, admin_client_for_cast: Client
) -> None:
    victim = cast.case_a.victim
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        response = admin_client_for_cast.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert victim.given_names + " " + victim.family_name not in page, url
        assert cast.party_a.defendant.full_name not in page, url


def test_an_inline_change_to_a_districts_languages_is_audited(
    admin_client_for_cast: Client,
) -> None:
    rows = list(DistrictLanguage.objects.filter(district_id="eupen"))
    data = {
        "code": "eupen",
        "name_nl": "Eupen",
        "name_fr": "Eupen",
        "name_de": "Eupen",
        "court_of_appeal": "luik",
        "languages-TOTAL_FORMS": str(len(rows)),
        "languages-INITIAL_FORMS": str(len(rows)),
        "languages-MIN_NUM_FORMS": "0",
        "languages-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data |= {
            f"languages-{index}-id": str(row.pk),
            f"languages-{index}-district": "eupen",
            f"languages-{index}-language": row.language_id,
            f"languages-{index}-is_default": "on" if row.is_default else "",
            f"languages-{index}-valid_from": "2014-04-01",
            f"languages-{index}-valid_until": "2030-12-31",
        }

    response = admin_client_for_cast.post("/admin/legalaid/district/eupen/change/", data)

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="districtlanguage.update")
    assert event.changes == {"valid_until": [None, "2030-12-31"]}
    assert str(DistrictLanguage.objects.get(district_id="eupen").valid_until) == "2030-12-31"
