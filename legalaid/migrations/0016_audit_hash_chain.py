"""The audit trail's hash chain: each row's position and HMAC, set once when the row is sealed.
On PostgreSQL the append-only trigger now lets exactly that through: an UPDATE of a row not yet
sealed that sets its two chain fields and changes nothing else. Existing rows are sealed by the
first seal after this migration, in the order of their ids."""

from django.db import migrations, models

FORWARD = """
CREATE OR REPLACE FUNCTION legalaid_audit_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.chain_position IS NULL AND NEW.chain_position IS NOT NULL
       AND (NEW.id, NEW.at, NEW.actor_id, NEW.action, NEW.target_type, NEW.target_id,
            NEW.case_id, NEW.office_id, NEW.changes::text)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.actor_id, OLD.action, OLD.target_type, OLD.target_id,
            OLD.case_id, OLD.office_id, OLD.changes::text) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION legalaid_audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("legalaid", "0015_identity_blind_indexes")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="chain_hash",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain_position",
            field=models.PositiveBigIntegerField(blank=True, null=True, unique=True),
        ),
        migrations.RunPython(forward, backward),
    ]
