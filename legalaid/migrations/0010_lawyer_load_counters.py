"""The engine's load figures on the lawyer's row, counted once from the designations so far."""

from django.db import migrations, models
from django.db.models import Count, Max, Q


def count_existing(apps, schema_editor):
    Lawyer = apps.get_model("legalaid", "Lawyer")
    for lawyer in Lawyer.objects.annotate(
        open_count=Count(
            "designations", filter=Q(designations__status__in=["proposed", "accepted"])
        ),
        latest=Max("designations__proposed_at"),
    ).iterator():
        Lawyer.objects.filter(pk=lawyer.pk).update(
            open_designations=lawyer.open_count, last_designated_at=lawyer.latest
        )


class Migration(migrations.Migration):
    dependencies = [
        ("legalaid", "0009_seed_nonpunishment_reference_data"),
    ]

    operations = [
        migrations.AddField(
            model_name="lawyer",
            name="last_designated_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When the latest proposal was made.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="lawyer",
            name="open_designations",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Designations proposed or accepted, open now.",
            ),
        ),
        migrations.RunPython(count_existing, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="lawyer",
            constraint=models.CheckConstraint(
                condition=models.Q(("open_designations__gte", 0)),
                name="lawyer_open_designations_not_negative",
            ),
        ),
    ]
