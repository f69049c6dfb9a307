"""GIN index for full-text search (PostgreSQL only; SQLite searches search_document)."""

from django.db import migrations

FORWARD = ["CREATE INDEX IF NOT EXISTS claim_search_vector_idx ON claims_claim USING gin (search_vector)"]
BACKWARD = ["DROP INDEX IF EXISTS claim_search_vector_idx"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("claims", "0005_stored_evidence_summary")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
