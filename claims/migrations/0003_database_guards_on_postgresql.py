"""On PostgreSQL the database itself keeps two rules the application keeps elsewhere:

- the periods of the legal interest rate and of the state-aid rules never overlap (an exclusion
  constraint on the date range; on SQLite the models' `clean()` checks it for the admin);
- payments are append-only: UPDATE and DELETE are refused, corrections are reversal rows.
  (TRUNCATE stays possible for the test runner's flush; the application never issues it.)"""

from django.db import migrations

NO_OVERLAP = """
ALTER TABLE {table} ADD CONSTRAINT {table}_no_overlap
    EXCLUDE USING gist (daterange(valid_from, valid_until, '[]') WITH &&);
"""
NO_OVERLAP_BACKWARD = "ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {table}_no_overlap;"
PERIOD_TABLES = ["claims_legalinterestrate", "claims_stateaidrule"]

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION claims_payment_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'payments are append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER claims_payment_append_only
    BEFORE UPDATE OR DELETE ON claims_payment
    FOR EACH ROW EXECUTE FUNCTION claims_payment_refuse_change();
"""
APPEND_ONLY_BACKWARD = """
DROP TRIGGER IF EXISTS claims_payment_append_only ON claims_payment;
DROP FUNCTION IF EXISTS claims_payment_refuse_change();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in PERIOD_TABLES:
        schema_editor.execute(NO_OVERLAP.format(table=table), params=None)
    schema_editor.execute(APPEND_ONLY, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(APPEND_ONLY_BACKWARD, params=None)
    for table in PERIOD_TABLES:
        schema_editor.execute(NO_OVERLAP_BACKWARD.format(table=table), params=None)


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_seed_reference_data")]
    operations = [migrations.RunPython(forward, backward)]
