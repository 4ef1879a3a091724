"""Identity data encrypted at rest (legalaid/crypto.py, legalaid/models/encrypted.py): what the
columns hold, failures that raise, keys that rotate, look-ups by blind index only."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from legalaid import crypto
from legalaid.models import CaseNote, Defendant, Guardian, Victim
from tests.cast import Cast

NEW_KEY = f"k2:{crypto.new_key()}"


def raw(table: str, column: str, pk: int) -> str:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote(column)} FROM {quote(table)} WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


def set_raw(table: str, column: str, pk: int, value: str) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE id = %s",
            [value, pk],
        )


def key_ids(table: str, column: str) -> set[str]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote(column)} FROM {quote(table)}")
        return {crypto.key_id_of(value) for (value,) in cursor.fetchall() if value}


def test_identity_columns_hold_ciphertext_with_its_key_id_and_the_model_reads_plain(
    cast: Cast,
) -> None:
    victim = cast.case_a.victim
    for column, plain in (
        ("given_names", victim.given_names),
        ("family_name", victim.family_name),
        ("date_of_birth", victim.date_of_birth.isoformat()),
    ):
        stored = raw("legalaid_victim", column, victim.pk)
        assert stored.startswith("lz1:dev1:")
        assert plain not in stored
    assert Victim.objects.get(pk=victim.pk).date_of_birth == victim.date_of_birth


def test_two_encryptions_of_the_same_name_differ(cast: Cast) -> None:
    """A random nonce each time: equal names are not visible as equal ciphertexts."""
    assert crypto.encrypt("Piet Pooier") != crypto.encrypt("Piet Pooier")


def test_an_altered_ciphertext_raises_instead_of_returning_anything(cast: Cast) -> None:
    victim = cast.case_a.victim
    stored = raw("legalaid_victim", "family_name", victim.pk)
    flipped = stored[:-4] + ("AAAA" if stored[-4:] != "AAAA" else "BBBB")
    set_raw("legalaid_victim", "family_name", victim.pk, flipped)
    with pytest.raises(crypto.DecryptionError, match="does not decrypt"):
        Victim.objects.get(pk=victim.pk)


def test_a_value_under_an_unlisted_key_raises_and_names_the_key(cast: Cast) -> None:
    note = CaseNote.objects.filter(case=cast.case_a).first()
    assert note is not None
    stored = raw("legalaid_casenote", "body", note.pk)
    set_raw("legalaid_casenote", "body", note.pk, stored.replace("lz1:dev1:", "lz1:gone:", 1))
    with pytest.raises(crypto.DecryptionError, match="key gone"):
        CaseNote.objects.get(pk=note.pk)


def test_plain_text_where_ciphertext_belongs_raises(cast: Cast) -> None:
    set_raw("legalaid_guardian", "full_name", cast.guardian_a.guardian.pk, "Plain Name")
    with pytest.raises(crypto.DecryptionError, match="not in Lanzarote's encrypted form"):
        Guardian.objects.get(pk=cast.guardian_a.guardian.pk)


@pytest.mark.parametrize(
    ("lookup", "value"),
    [("family_name", "Victim"), ("family_name__icontains", "vic"), ("national_number__in", ["1"])],
)
def test_searching_an_encrypted_column_is_refused_with_a_sentence(
    db: None, lookup: str, value: object
) -> None:
    with pytest.raises(FieldError, match="encrypted at rest"):
        Victim.objects.filter(**{lookup: value}).exists()


def test_emptiness_of_an_encrypted_column_can_still_be_tested(cast: Cast) -> None:
    """Empty text is stored as empty: check constraints and `field=""` keep working."""
    assert Victim.objects.filter(nationality="").exists()
    assert not Victim.objects.filter(family_name="").exists()


def test_a_new_key_encrypts_new_values_and_the_old_one_still_decrypts(cast: Cast) -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=f"{NEW_KEY},{settings.FIELD_ENCRYPTION_KEYS}"):
        Defendant.objects.filter(pk=cast.party_a.defendant_id).update(full_name="Piet Pooier")
        assert raw("legalaid_defendant", "full_name", cast.party_a.defendant_id).startswith(
            "lz1:k2:"
        )
        assert (
            cast.case_a.victim.given_names
            == Victim.objects.get(pk=cast.case_a.victim_id).given_names
        )


def test_rotation_rewrites_every_value_under_the_newest_key_and_resumes_with_nothing_left(
    cast: Cast,
) -> None:
    before = {
        v.pk: (v.given_names, v.date_of_birth, v.national_number) for v in Victim.objects.all()
    }
    with override_settings(FIELD_ENCRYPTION_KEYS=f"{NEW_KEY},{settings.FIELD_ENCRYPTION_KEYS}"):
        err, out = io.StringIO(), io.StringIO()
        call_command("rotate_encryption_keys", stdout=out, stderr=err)
        assert "legalaid.Victim [" in err.getvalue() and "100%" in err.getvalue()
        assert key_ids("legalaid_victim", "given_names") == {"k2"}
        assert key_ids("legalaid_casenote", "body") == {"k2"}
        assert key_ids("documents_document", "snapshot") <= {"k2"}

        again = io.StringIO()
        call_command("rotate_encryption_keys", "--dry-run", stdout=again)
        dry_run = "Dry run: 0 rows and 0 files would be rewritten under the key k2."
        assert dry_run in again.getvalue()

    # The old key can now go: everything reads with the new one alone.
    with override_settings(FIELD_ENCRYPTION_KEYS=NEW_KEY):
        after = {
            v.pk: (v.given_names, v.date_of_birth, v.national_number) for v in Victim.objects.all()
        }
    assert after == before


def test_rotation_stops_with_a_sentence_on_a_value_no_key_reads_and_keeps_what_it_did(
    cast: Cast,
) -> None:
    victim = cast.case_a.victim
    set_raw("legalaid_victim", "family_name", victim.pk, "lz1:lost:AAAA")
    with override_settings(FIELD_ENCRYPTION_KEYS=f"{NEW_KEY},{settings.FIELD_ENCRYPTION_KEYS}"):
        with pytest.raises(CommandError, match=r"Stopped: .*key lost"):
            call_command("rotate_encryption_keys", stdout=io.StringIO(), stderr=io.StringIO())
        assert raw("legalaid_victim", "family_name", victim.pk) == "lz1:lost:AAAA"


def test_a_new_blind_index_key_is_applied_by_reindexing_and_repeat_victims_are_still_found(
    cast: Cast,
) -> None:
    victim = Victim.objects.get(pk=cast.case_a.victim_id)
    with override_settings(BLIND_INDEX_KEY=crypto.new_key()):
        call_command(
            "rotate_encryption_keys", "--reindex", stdout=io.StringIO(), stderr=io.StringIO()
        )
        reread = Victim.objects.get(pk=victim.pk)
        assert reread.person_index != victim.person_index
        assert reread.person_index == crypto.person_index(
            victim.given_names.upper(), f"  {victim.family_name.lower()} ", victim.date_of_birth
        )
        assert Defendant.objects.get(pk=cast.party_a.defendant_id).name_index == crypto.name_index(
            "pooier PIET"
        )


def test_blind_indexes_depend_on_their_purpose_and_their_key() -> None:
    assert crypto.blind_index("name", "kd") != crypto.blind_index("handle", "kd")
    with override_settings(BLIND_INDEX_KEY=crypto.new_key()):
        other = crypto.blind_index("name", "kd")
    assert other != crypto.blind_index("name", "kd")


@pytest.mark.parametrize(
    ("value", "sentence"),
    [
        ("", "lists no key"),
        ("k1", "each entry is `id:key`"),
        ("k 1:AAAA", "each entry is `id:key`"),
        ("k1:c2hvcnQ", "32 bytes"),
        (f"k1:{'A' * 43},k1:{'B' * 43}", "listed twice"),
    ],
)
def test_malformed_keys_are_refused_with_a_sentence(value: str, sentence: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=sentence):
        crypto.parse_keys(value)
