"""A document's snapshot (names, birth dates, the story of the exploitation) encrypted at rest."""

from django.db import migrations

import legalaid.models.encrypted
from legalaid.migration_support import encrypt_columns


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_document"),
        ("legalaid", "0015_identity_blind_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="document",
            name="snapshot",
            field=legalaid.models.encrypted.EncryptedJSONField(
                help_text="The data the document was made from, as issued."
            ),
        ),
        migrations.RunPython(
            *encrypt_columns("documents_document", {"snapshot": "json"}), elidable=False
        ),
    ]
