"""A head of damage's description and evidence (a minor's health) encrypted at rest."""

from django.db import migrations

import legalaid.models.encrypted
from legalaid.migration_support import encrypt_columns

Text = legalaid.models.encrypted.EncryptedTextField


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0005_case_status_from_claims"),
        ("legalaid", "0015_identity_blind_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="damagehead", name="description", field=Text(max_length=300)
        ),
        migrations.AlterField(
            model_name="damagehead",
            name="evidence",
            field=Text(
                blank=True,
                help_text="References to the evidence (reports, invoices, exhibit numbers).",
            ),
        ),
        migrations.RunPython(
            *encrypt_columns("claims_damagehead", {"description": "text", "evidence": "text"}),
            elidable=False,
        ),
    ]
