"""GIN index for full-text search (PostgreSQL only; SQLite searches search_document)."""

from django.db import migrations

from core.migrations_sql import on_postgresql

FORWARD = ["CREATE INDEX IF NOT EXISTS claim_search_vector_idx ON claims_claim USING gin (search_vector)"]
BACKWARD = ["DROP INDEX IF EXISTS claim_search_vector_idx"]


class Migration(migrations.Migration):
    dependencies = [("claims", "0005_stored_evidence_summary")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
