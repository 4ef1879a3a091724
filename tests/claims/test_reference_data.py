"""The reference data of the claims ledger (DOMAIN.md §5-6): seeded by migration 0002, editable in
the admin with every change audited, periods that never overlap."""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client

from claims.models import (
    IndicativeTableEdition,
    IndicativeTableRate,
    LegalInterestRate,
    StateAidRule,
)
from claims.selectors import (
    indicative_edition_on,
    legal_interest_rate_gap_years,
    legal_interest_rates_between,
    state_aid_rule_on,
)
from legalaid.models import AuditEvent, Role, User
from tests.cast import give_second_factor

seed_migration = importlib.import_module("claims.migrations.0002_seed_reference_data")

LEGAL_RATES = {
    2015: "2.50",
    2016: "2.25",
    2017: "2.00",
    2018: "2.00",
    2019: "2.00",
    2020: "1.75",
    2021: "1.75",
    2022: "1.50",
    2023: "5.25",
    2024: "5.75",
    2025: "4.50",
    2026: "4.50",
}


# --- Legal interest rate ----------------------------------------------------------------------


def test_twelve_calendar_years_of_legal_interest_are_seeded(db: None) -> None:
    rows = list(LegalInterestRate.objects.order_by("valid_from"))

    assert [(r.valid_from, r.valid_until, r.percent) for r in rows] == [
        (dt.date(year, 1, 1), dt.date(year, 12, 31), Decimal(percent))
        for year, percent in LEGAL_RATES.items()
    ]


def test_the_seeded_years_follow_each_other_without_gap_or_overlap(db: None) -> None:
    rows = list(LegalInterestRate.objects.order_by("valid_from"))

    for earlier, later in itertools.pairwise(rows):
        assert earlier.valid_until is not None
        assert later.valid_from == earlier.valid_until + dt.timedelta(days=1)
    assert legal_interest_rate_gap_years(dt.date(2015, 1, 1), dt.date(2026, 12, 31)) == []


def test_the_rate_of_a_day_is_the_rate_of_its_year(db: None) -> None:
    def percent_on(day: dt.date) -> Decimal:
        return LegalInterestRate.objects.valid_on(day).get().percent

    assert percent_on(dt.date(2023, 12, 31)) == Decimal("5.25")
    assert percent_on(dt.date(2024, 1, 1)) == Decimal("5.75")
    assert percent_on(dt.date(2024, 2, 29)) == Decimal("5.75")
    assert not LegalInterestRate.objects.valid_on(dt.date(2027, 1, 1)).exists()
    assert [r.valid_from.year for r in legal_interest_rates_between(
        dt.date(2022, 7, 1), dt.date(2024, 1, 1)
    )] == [2022, 2023, 2024]  # fmt: skip


def test_years_the_table_does_not_cover_are_named(db: None) -> None:
    assert legal_interest_rate_gap_years(dt.date(2013, 6, 1), dt.date(2015, 2, 1)) == [2013, 2014]
    assert legal_interest_rate_gap_years(dt.date(2026, 6, 1), dt.date(2028, 1, 1)) == [2027, 2028]
    LegalInterestRate.objects.filter(valid_from__year=2020).delete()
    assert legal_interest_rate_gap_years(dt.date(2019, 6, 1), dt.date(2021, 6, 1)) == [2020]
    assert legal_interest_rate_gap_years(dt.date(2021, 1, 1), dt.date(2021, 6, 1)) == []


def test_an_open_ended_rate_covers_every_later_year(db: None) -> None:
    LegalInterestRate.objects.create(valid_from=dt.date(2027, 1, 1), percent=Decimal("4.00"))

    assert legal_interest_rate_gap_years(dt.date(2026, 6, 1), dt.date(2031, 1, 1)) == []


def test_an_overlapping_period_is_refused_by_validation(db: None) -> None:
    rate = LegalInterestRate(
        valid_from=dt.date(2026, 7, 1), valid_until=dt.date(2027, 6, 30), percent=Decimal("4")
    )

    with pytest.raises(ValidationError) as error:
        rate.full_clean()

    assert error.value.message_dict == {
        "valid_from": ["This period overlaps the one starting 2026-01-01."]
    }
    LegalInterestRate(valid_from=dt.date(2027, 1, 1), percent=Decimal("4")).full_clean()


def test_an_open_ended_period_overlapping_a_later_one_is_refused(db: None) -> None:
    with pytest.raises(ValidationError) as error:
        LegalInterestRate(valid_from=dt.date(2013, 1, 1), percent=Decimal("3")).full_clean()

    assert error.value.message_dict == {
        "valid_from": ["This period overlaps the one starting 2015-01-01."]
    }


def test_a_period_that_ends_before_it_starts_is_refused_by_the_database(db: None) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        LegalInterestRate.objects.create(
            valid_from=dt.date(2028, 1, 1), valid_until=dt.date(2027, 1, 1), percent=Decimal("1")
        )


@pytest.mark.postgres
def test_postgresql_refuses_overlapping_periods_even_without_validation(postgres: None) -> None:
    with (
        pytest.raises(IntegrityError, match="claims_legalinterestrate_no_overlap"),
        transaction.atomic(),
    ):
        LegalInterestRate.objects.create(
            valid_from=dt.date(2026, 12, 31), valid_until=None, percent=Decimal("4")
        )
    with (
        pytest.raises(IntegrityError, match="claims_stateaidrule_no_overlap"),
        transaction.atomic(),
    ):
        StateAidRule.objects.create(
            valid_from=dt.date(2020, 1, 1),
            main_aid_ceiling=Decimal("1"),
            emergency_aid_ceiling=Decimal("1"),
            minimum_damage=Decimal("1"),
            application_deadline_years=3,
        )
    assert LegalInterestRate.objects.count() == 12
    assert StateAidRule.objects.count() == 1


# --- Indicative Table -------------------------------------------------------------------------


def test_both_editions_of_the_indicative_table_are_seeded_with_their_flat_rates(db: None) -> None:
    assert list(IndicativeTableEdition.objects.values_list("code", "valid_from")) == [
        ("2020", dt.date(2020, 1, 1)),
        ("2024", dt.date(2024, 1, 1)),
    ]
    rates = {
        (rate.edition_id, rate.item): (rate.unit, rate.amount)
        for rate in IndicativeTableRate.objects.all()
    }
    assert rates == {
        ("2020", "temporary_personal_incapacity"): ("day", Decimal("28.00")),
        ("2020", "temporary_personal_incapacity_hospitalised"): ("day", Decimal("34.00")),
        ("2020", "temporary_household_incapacity"): ("day", Decimal("20.00")),
        ("2020", "dependent_child"): ("day", Decimal("7.00")),
        ("2020", "third_party_help"): ("hour", Decimal("10.00")),
        ("2024", "temporary_personal_incapacity"): ("day", Decimal("32.00")),
        ("2024", "temporary_personal_incapacity_hospitalised"): ("day", Decimal("39.00")),
        ("2024", "temporary_household_incapacity"): ("day", Decimal("30.00")),
        ("2024", "dependent_child"): ("day", Decimal("10.00")),
        ("2024", "third_party_help"): ("hour", Decimal("11.50")),
    }


def test_the_default_edition_is_the_latest_one_that_applies(db: None) -> None:
    assert indicative_edition_on(dt.date(2019, 12, 31)) is None
    assert indicative_edition_on(dt.date(2023, 12, 31)) == IndicativeTableEdition.objects.get(
        code="2020"
    )
    assert indicative_edition_on(dt.date(2024, 1, 1)) == IndicativeTableEdition.objects.get(
        code="2024"
    )


def test_an_edition_has_one_rate_per_item(db: None) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicativeTableRate.objects.create(
            edition_id="2024", item="dependent_child", unit="day", amount=Decimal("12")
        )


# --- State aid --------------------------------------------------------------------------------


def test_the_state_aid_rules_are_seeded_as_data(db: None) -> None:
    rule = state_aid_rule_on(dt.date(2026, 11, 28))

    assert rule is not None
    assert (
        rule.valid_from,
        rule.valid_until,
        rule.main_aid_ceiling,
        rule.emergency_aid_ceiling,
        rule.minimum_damage,
        rule.application_deadline_years,
    ) == (
        dt.date(2015, 1, 1),
        None,
        Decimal("125000.00"),
        Decimal("30000.00"),
        Decimal("500.00"),
        3,
    )
    assert state_aid_rule_on(dt.date(2014, 12, 31)) is None


# --- The seed migration is reversible ---------------------------------------------------------


def test_the_seed_migration_can_be_undone_and_redone(db: None) -> None:
    models = (LegalInterestRate, IndicativeTableEdition, IndicativeTableRate, StateAidRule)

    seed_migration.unseed(apps, connection.schema_editor())
    assert [model.objects.count() for model in models] == [0, 0, 0, 0]

    seed_migration.seed(apps, connection.schema_editor())
    assert [model.objects.count() for model in models] == [12, 2, 10, 1]


# --- Admin ------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(db: None) -> Client:
    user = User.objects.create_superuser("root", password="root-password-1", role=Role.ADMIN)
    client = Client()
    client.force_login(give_second_factor(user))
    return client


def test_an_administrator_edits_a_rate_in_the_admin_and_the_change_is_audited(
    admin_client: Client,
) -> None:
    rate = LegalInterestRate.objects.get(valid_from=dt.date(2026, 1, 1))

    response = admin_client.post(
        f"/admin/claims/legalinterestrate/{rate.pk}/change/",
        {"valid_from": "2026-01-01", "valid_until": "2026-12-31", "percent": "4.75"},
    )

    assert response.status_code == 302
    rate.refresh_from_db()
    assert rate.percent == Decimal("4.75")
    event = AuditEvent.objects.get(action="legalinterestrate.update")
    assert (event.target_id, event.changes) == (str(rate.pk), {"percent": ["4.50", "4.75"]})


def test_the_admin_refuses_an_overlapping_rate_and_writes_nothing(admin_client: Client) -> None:
    before = (LegalInterestRate.objects.count(), AuditEvent.objects.count())

    response = admin_client.post(
        "/admin/claims/legalinterestrate/add/",
        {"valid_from": "2026-07-01", "valid_until": "", "percent": "4.00"},
    )

    assert response.status_code == 200
    assert "This period overlaps the one starting 2026-01-01." in response.content.decode()
    assert (LegalInterestRate.objects.count(), AuditEvent.objects.count()) == before


def test_an_administrator_adds_next_years_rate_in_the_admin(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/claims/legalinterestrate/add/",
        {"valid_from": "2027-01-01", "valid_until": "2027-12-31", "percent": "4.25"},
    )

    assert response.status_code == 302
    assert LegalInterestRate.objects.valid_on(dt.date(2027, 5, 1)).get().percent == Decimal("4.25")
    assert AuditEvent.objects.filter(action="legalinterestrate.create").count() == 1


@pytest.mark.parametrize(
    "model",
    [
        "legalinterestrate",
        "indicativetableedition",
        "indicativetablerate",
        "stateaidrule",
        "civilclaim",
        "damagehead",
        "judgment",
        "award",
        "payment",
        "stateaidapplication",
        "enforcementstep",
    ],
)
def test_every_claims_model_has_an_admin_list(admin_client: Client, model: str) -> None:
    assert admin_client.get(f"/admin/claims/{model}/").status_code == 200


def test_case_data_cannot_be_added_or_changed_in_the_admin(admin_client: Client) -> None:
    for model in ("civilclaim", "judgment", "award", "payment", "stateaidapplication"):
        assert admin_client.get(f"/admin/claims/{model}/add/").status_code == 403
