"""The case status follows the proceedings to the end: intake → awaiting designation → lawyer
designated → civil party constituted → judgment → recovery of compensation → closed, and the
office closes a case with a reason (`close_reason`).

Data: `in_proceedings` is stored as `civil_party_constituted` (the victim's part in the
proceedings begins with the constitution; nothing set `in_proceedings` but hand edits and tests);
`judgment` keeps its value. Backwards, `civil_party_constituted` becomes `in_proceedings` again and
`recovery`, which the old list does not have, its nearest earlier stage, `judgment`. A relabelling,
not an event: no audit row. Cases that a civil claim already carries further are moved forward by
claims' migration 0005, which knows the claims."""

from django.db import migrations, models

FORWARD = {"in_proceedings": "civil_party_constituted"}
BACKWARD = {"civil_party_constituted": "in_proceedings", "recovery": "judgment"}


def _rename(apps, mapping):
    Case = apps.get_model("legalaid", "Case")
    for old, new in mapping.items():
        Case.objects.filter(status=old).update(status=new)


def forward(apps, schema_editor):
    _rename(apps, FORWARD)


def backward(apps, schema_editor):
    _rename(apps, BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("legalaid", "0011_user_language")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="close_reason",
            field=models.CharField(
                blank=True, help_text="Why the office closed the case.", max_length=300
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="status",
            field=models.CharField(
                choices=[
                    ("intake", "Intake"),
                    ("awaiting_designation", "Awaiting designation"),
                    ("lawyer_designated", "Lawyer designated"),
                    ("civil_party_constituted", "Civil party constituted"),
                    ("judgment", "Judgment given"),
                    ("recovery", "Recovery of compensation"),
                    ("closed", "Closed"),
                ],
                default="intake",
                max_length=24,
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
