"""Matching forms of names and handles (defendants are matched on them for conflicts of
interest), and the Belgian national register number."""

from __future__ import annotations

import datetime as dt

import pytest

from legalaid.national_number import (
    clean_national_number,
    national_number_birth_date_matches,
    national_number_for,
    national_number_is_valid,
)
from legalaid.normalise import normalise_handle, normalise_name

# --- Names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    ["Éric Dupont", "eric dupont", "ERIC DUPONT", "Dupont Eric", "DUPONT, Éric", " éric  dupönt. "],
)
def test_normalise_name_ignores_case_accents_punctuation_and_word_order(spelling: str) -> None:
    assert normalise_name(spelling) == "dupont eric"


def test_normalise_name_keeps_different_names_apart() -> None:
    assert normalise_name("Eric Dupont") != normalise_name("Erik Dupont")
    assert normalise_name("Jan Peeters") != normalise_name("Jan Peeters Junior")


def test_normalise_name_treats_hyphens_as_spaces_and_drops_apostrophes() -> None:
    assert normalise_name("Jean-Pierre N'Diaye") == "jean ndiaye pierre"
    assert normalise_name("Jean Pierre Ndiaye") == "jean ndiaye pierre"
    assert (
        normalise_name("Jean-Pierre N\u2019Diaye") == "jean ndiaye pierre"
    )  # typographic apostrophe


def test_normalise_name_spells_undecomposable_latin_letters_plainly() -> None:
    assert normalise_name("Łukasz Żółć") == normalise_name("Lukasz Zolc") == "lukasz zolc"
    assert normalise_name("Søren Ærø") == "aero soren"
    assert normalise_name("Straße") == "strasse"


def test_normalise_name_keeps_names_written_in_other_scripts() -> None:
    assert normalise_name("Иван ПЕТРОВ") == "иван петров"
    assert normalise_name("Петров, Иван") == "иван петров"
    assert normalise_name("Иван Петров") != normalise_name("Олег Сидоров")
    assert normalise_name("محمد علي") == normalise_name("علي محمد")


def test_normalise_name_of_punctuation_only_is_empty() -> None:
    assert normalise_name(" .,- ") == ""


# --- Handles ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling", ["@PietPooier", "pietpooier", "  @PIETPOOIER ", "@Piet_Pooier"]
)
def test_normalise_handle_ignores_the_at_sign_case_and_separators(spelling: str) -> None:
    assert normalise_handle(spelling) == "pietpooier"


def test_normalise_handle_keeps_different_handles_apart() -> None:
    assert normalise_handle("@pietpooier") != normalise_handle("@pietpooier2")


def test_normalise_handle_keeps_handles_in_other_scripts() -> None:
    assert normalise_handle("@Иван_П") == "иванп"


# --- National numbers ------------------------------------------------------------------------

# Worked by hand: 85.07.30-033: 850730033 mod 97 = 69, check 97 - 69 = 28.
BORN_1985 = dt.date(1985, 7, 30)
NUMBER_1985 = "85073003328"
# From 2000 the nine digits are prefixed with 2: 2100523182 mod 97 = 16, check 97 - 16 = 81.
BORN_2010 = dt.date(2010, 5, 23)
NUMBER_2010 = "10052318281"


def test_a_number_of_someone_born_before_2000_is_valid() -> None:
    assert national_number_is_valid(NUMBER_1985)
    assert national_number_for(BORN_1985, 33) == NUMBER_1985


def test_a_number_of_someone_born_from_2000_is_valid_with_the_2_prefix() -> None:
    assert national_number_is_valid(NUMBER_2010)
    assert national_number_for(BORN_2010, 182) == NUMBER_2010
    # Without the prefix the check is 97 - (100523182 mod 97) = 97 - 45 = 52: born in 1910.
    assert national_number_for(dt.date(1910, 5, 23), 182) == "10052318252"


@pytest.mark.parametrize("number", ["85073003327", "85073003329", "10052318280", "10052318282"])
def test_a_number_with_a_wrong_check_is_invalid(number: str) -> None:
    assert not national_number_is_valid(number)


@pytest.mark.parametrize(
    "number",
    ["8507300332", "850730033280", "", "85O73003328", "85.07.30-033.28"],
    ids=["10 digits", "12 digits", "empty", "letter O", "not cleaned"],
)
def test_a_number_that_is_not_eleven_digits_is_invalid(number: str) -> None:
    assert not national_number_is_valid(number)


def test_clean_national_number_removes_the_usual_separators() -> None:
    assert clean_national_number(" 85.07.30-033.28 ") == NUMBER_1985


def test_the_birth_date_part_must_match_the_date_of_birth() -> None:
    assert national_number_birth_date_matches(NUMBER_2010, BORN_2010)
    assert not national_number_birth_date_matches(NUMBER_2010, dt.date(2010, 5, 24))
    assert not national_number_birth_date_matches(NUMBER_2010, dt.date(2011, 5, 23))


def test_the_check_tells_the_century_of_birth() -> None:
    born_1910 = national_number_for(dt.date(1910, 5, 23), 182)

    assert national_number_is_valid(born_1910)
    assert not national_number_birth_date_matches(born_1910, BORN_2010)
    assert not national_number_birth_date_matches(NUMBER_2010, dt.date(1910, 5, 23))


def test_an_unknown_birth_month_or_day_matches_any_date_of_birth() -> None:
    unknown_day = national_number_for(dt.date(2010, 5, 1), 182)[:4] + "00" + "18200"

    assert national_number_birth_date_matches(unknown_day, BORN_2010)


@pytest.mark.parametrize("offset", [20, 40], ids=["sex unknown", "sex known"])
def test_a_bis_number_of_a_foreign_minor_is_valid_and_matches_the_birth_date(offset: int) -> None:
    number = national_number_for(BORN_2010, 182, bis_offset=offset)

    assert number[2:4] == f"{5 + offset:02d}"
    assert national_number_is_valid(number)
    assert national_number_birth_date_matches(number, BORN_2010)
    assert not national_number_birth_date_matches(number, dt.date(2010, 6, 23))
