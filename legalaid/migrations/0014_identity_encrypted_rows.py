"""Identity data encrypted at rest (2 of 3): the rows that exist are encrypted with the newest key
of FIELD_ENCRYPTION_KEYS and their blind indexes computed (each step its own transaction on
PostgreSQL: data changes and index creation do not mix in one)."""


import datetime as dt

from django.db import migrations

from legalaid import crypto
from legalaid.migration_support import encrypt_columns

def _victim_person(row):
    return crypto.person_index(
        row["given_names"], row["family_name"], dt.date.fromisoformat(str(row["date_of_birth"]))
    )


def _victim_number(row):
    return crypto.national_number_index(row["national_number"]) if row["national_number"] else None


def _alias_value(row):
    index = crypto.handle_index if row["kind"] == "handle" else crypto.name_index
    return index(row["value"])


VICTIMS = encrypt_columns(
    "legalaid_victim",
    {name: "text" for name in
     ("given_names", "family_name", "date_of_birth", "national_number", "nationality")},
    indexes={"person_index": _victim_person, "national_number_index": _victim_number},
)  # fmt: skip
DEFENDANTS = encrypt_columns(
    "legalaid_defendant",
    {"full_name": "text"},
    indexes={"name_index": lambda row: crypto.name_index(row["full_name"])},
)
ALIASES = encrypt_columns(
    "legalaid_defendantalias",
    {"value": "text"},
    indexes={"value_index": _alias_value},
    reads=["kind"],
)
OTHERS = [
    encrypt_columns("legalaid_guardian", {"full_name": "text", "email": "text", "phone": "text"}),
    encrypt_columns("legalaid_guardianaccess", {"revoke_reason": "text"}),
    encrypt_columns("legalaid_casenote", {"body": "text"}),
    encrypt_columns("legalaid_evidenceitem", {"description": "text"}),
    encrypt_columns(
        "legalaid_nonpunishmentrecord", {"description": "text", "assessment_reasoning": "text"}
    ),
    encrypt_columns("legalaid_exploitationlink", {"note": "text"}),
]


class Migration(migrations.Migration):
    dependencies = [
        ("legalaid", "0013_identity_encrypted_at_rest"),
    ]

    operations = [
        migrations.RunPython(*VICTIMS, elidable=False),
        migrations.RunPython(*DEFENDANTS, elidable=False),
        migrations.RunPython(*ALIASES, elidable=False),
        *(migrations.RunPython(*pair, elidable=False) for pair in OTHERS),
    ]
