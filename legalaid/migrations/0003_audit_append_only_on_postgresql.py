"""On PostgreSQL the database itself refuses UPDATE and DELETE on the audit trail.

(TRUNCATE stays possible for the test runner's flush; the application never issues it.)"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION legalaid_audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER legalaid_auditevent_append_only
    BEFORE UPDATE OR DELETE ON legalaid_auditevent
    FOR EACH ROW EXECUTE FUNCTION legalaid_audit_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS legalaid_auditevent_append_only ON legalaid_auditevent;
DROP FUNCTION IF EXISTS legalaid_audit_refuse_change();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("legalaid", "0002_seed_reference_data")]
    operations = [migrations.RunPython(forward, backward)]
