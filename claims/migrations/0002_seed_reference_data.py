"""Seed the reference data of DOMAIN.md §5-6: the legal interest rate per calendar year 2015-2026,
the five flat rates of the 2020 and 2024 Indicative Tables, and the state-aid rules (ceilings,
damage threshold, deadline). Editable afterwards in the admin; reversible."""

from django.db import migrations

LEGAL_INTEREST = {
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

# code, name, valid from. The day an edition can first be chosen is nominal (1 January of the
# edition's year) *(verify: its publication date)*; judges choose the edition, the date only
# picks the default for a new damage head.
EDITIONS = [
    ("2020", "Indicative Table 2020", "2020-01-01"),
    ("2024", "Indicative Table 2024", "2024-01-01"),
]

# item, unit, 2020 amount, 2024 amount
FLAT_RATES = [
    ("temporary_personal_incapacity", "day", "28.00", "32.00"),
    ("temporary_personal_incapacity_hospitalised", "day", "34.00", "39.00"),
    ("temporary_household_incapacity", "day", "20.00", "30.00"),
    ("dependent_child", "day", "7.00", "10.00"),
    ("third_party_help", "hour", "10.00", "11.50"),
]

# In force at least since the first year the ledger covers; earlier or later rules are added in
# the admin with their own periods.
STATE_AID_RULES = {
    "valid_from": "2015-01-01",
    "valid_until": None,
    "main_aid_ceiling": "125000.00",
    "emergency_aid_ceiling": "30000.00",
    "minimum_damage": "500.00",
    "application_deadline_years": 3,
}


def seed(apps, schema_editor):
    LegalInterestRate = apps.get_model("claims", "LegalInterestRate")
    IndicativeTableEdition = apps.get_model("claims", "IndicativeTableEdition")
    IndicativeTableRate = apps.get_model("claims", "IndicativeTableRate")
    StateAidRule = apps.get_model("claims", "StateAidRule")
    for year, percent in LEGAL_INTEREST.items():
        LegalInterestRate.objects.create(
            valid_from=f"{year}-01-01", valid_until=f"{year}-12-31", percent=percent
        )
    for code, name, valid_from in EDITIONS:
        IndicativeTableEdition.objects.create(code=code, name=name, valid_from=valid_from)
    for item, unit, amount_2020, amount_2024 in FLAT_RATES:
        for edition, amount in (("2020", amount_2020), ("2024", amount_2024)):
            IndicativeTableRate.objects.create(
                edition_id=edition, item=item, unit=unit, amount=amount
            )
    StateAidRule.objects.create(**STATE_AID_RULES)


def unseed(apps, schema_editor):
    for model in (
        "IndicativeTableRate",
        "IndicativeTableEdition",
        "LegalInterestRate",
        "StateAidRule",
    ):
        apps.get_model("claims", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_civil_claims_ledger")]
    operations = [migrations.RunPython(seed, unseed)]
