"""Identity data and narratives encrypted at rest (1 of 3): the columns become text that will hold
`lz1:<key id>:<ciphertext>`, and the blind-index columns are added (the national number, a
person's names with the date of birth, defendants' names and handles). The rows that exist are
encrypted by the next migration with the newest key of FIELD_ENCRYPTION_KEYS: set it before
migrating a database with data."""

from django.core.validators import validate_email
from django.db import migrations, models

import legalaid.models.encrypted

Text = legalaid.models.encrypted.EncryptedTextField


class Migration(migrations.Migration):
    dependencies = [
        ("legalaid", "0012_case_status_stages"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="defendantalias", name="defendant_alias_unique"),
        migrations.RemoveConstraint(
            model_name="victim", name="national_number_unique_per_person"
        ),
        migrations.RemoveIndex(model_name="victim", name="victim_birth_date_idx"),
        # The columns become text; their values are still plain until the steps below.
        migrations.AlterField(
            model_name="victim", name="given_names", field=Text(max_length=120)
        ),
        migrations.AlterField(
            model_name="victim", name="family_name", field=Text(max_length=120)
        ),
        migrations.AlterField(
            model_name="victim",
            name="date_of_birth",
            field=legalaid.models.encrypted.EncryptedDateField(),
        ),
        migrations.AlterField(
            model_name="victim",
            name="national_number",
            field=Text(blank=True, max_length=11, null=True),
        ),
        migrations.AlterField(
            model_name="victim",
            name="nationality",
            field=Text(blank=True, help_text="ISO 3166-1 alpha-2 code.", max_length=2),
        ),
        migrations.AlterField(
            model_name="defendant", name="full_name", field=Text(max_length=160)
        ),
        migrations.AlterField(
            model_name="defendantalias", name="value", field=Text(max_length=160)
        ),
        migrations.AlterField(
            model_name="guardian", name="full_name", field=Text(max_length=160)
        ),
        migrations.AlterField(
            model_name="guardian",
            name="email",
            field=Text(blank=True, max_length=254, validators=[validate_email]),
        ),
        migrations.AlterField(
            model_name="guardian", name="phone", field=Text(blank=True, max_length=40)
        ),
        migrations.AlterField(
            model_name="guardianaccess",
            name="revoke_reason",
            field=Text(blank=True, max_length=300),
        ),
        migrations.AlterField(model_name="casenote", name="body", field=Text()),
        migrations.AlterField(
            model_name="evidenceitem", name="description", field=Text(max_length=300)
        ),
        migrations.AlterField(
            model_name="nonpunishmentrecord", name="description", field=Text()
        ),
        migrations.AlterField(
            model_name="nonpunishmentrecord",
            name="assessment_reasoning",
            field=Text(blank=True, default=""),
        ),
        migrations.AlterField(
            model_name="exploitationlink", name="note", field=Text(blank=True, max_length=500)
        ),
        migrations.AddField(
            model_name="victim",
            name="national_number_index",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="victim",
            name="person_index",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="defendant",
            name="name_index",
            field=models.CharField(db_index=True, default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="defendantalias",
            name="value_index",
            field=models.CharField(db_index=True, default="", editable=False, max_length=64),
            preserve_default=False,
        ),
    ]
