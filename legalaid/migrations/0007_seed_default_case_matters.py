"""A minor victim's case needs, unless told otherwise, lawyers listed for youth and victims."""

from django.db import migrations

DEFAULT = ["youth", "victims"]


def forward(apps, schema_editor):
    apps.get_model("legalaid", "Matter").objects.filter(code__in=DEFAULT).update(
        default_for_cases=True
    )


def backward(apps, schema_editor):
    apps.get_model("legalaid", "Matter").objects.update(default_for_cases=False)


class Migration(migrations.Migration):
    dependencies = [("legalaid", "0006_matter_default_for_cases")]
    operations = [migrations.RunPython(forward, backward)]
