"""The database itself refuses to change or delete an audit record.

PostgreSQL: a trigger refuses UPDATE and DELETE of a row (TRUNCATE, which a test
run's flush uses and only the table's owner may run, still works). SQLite: only
UPDATE is refused, because Django's flush between tests deletes row by row there.
"""

from django.db import migrations

POSTGRESQL = [
    """
    CREATE FUNCTION audit_record_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION USING MESSAGE = 'audit records are append-only: ' || TG_OP || ' refused';
    END
    $$
    """,
    """
    CREATE TRIGGER audit_record_append_only BEFORE UPDATE OR DELETE ON audit_auditrecord
    FOR EACH ROW EXECUTE FUNCTION audit_record_is_append_only()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_record_append_only ON audit_auditrecord",
    "DROP FUNCTION IF EXISTS audit_record_is_append_only()",
]
SQLITE = [
    """
    CREATE TRIGGER audit_record_no_update BEFORE UPDATE ON audit_auditrecord
    BEGIN SELECT RAISE(ABORT, 'audit records are append-only: UPDATE refused'); END
    """
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_record_no_update"]


def run(by_vendor: dict[str, list[str]]):
    def apply(apps, schema_editor):
        for sql in by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
