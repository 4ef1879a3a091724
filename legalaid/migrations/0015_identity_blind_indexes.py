"""Identity data encrypted at rest (3 of 3): the plain normalised names go, the blind indexes get
their index and uniqueness."""

from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [
        ("legalaid", "0014_identity_encrypted_rows"),
    ]

    operations = [
        migrations.RemoveField(model_name="defendant", name="normalised_name"),
        migrations.RemoveField(model_name="defendantalias", name="normalised_value"),
        migrations.AddIndex(
            model_name="victim",
            index=models.Index(fields=["person_index"], name="victim_person_idx"),
        ),
        migrations.AddConstraint(
            model_name="defendantalias",
            constraint=models.UniqueConstraint(
                fields=("defendant", "kind", "value_index"), name="defendant_alias_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="victim",
            constraint=models.UniqueConstraint(
                condition=Q(earlier_record__isnull=True),
                fields=("national_number_index",),
                name="national_number_unique_per_person",
            ),
        ),
    ]
