"""Trigram similarity for 'is this claim already logged?' suggestions.

PostgreSQL only: SQLite uses a plain word-overlap fallback (ClaimQuerySet.similar_to).
"""

from django.db import migrations

from core.migrations_sql import on_postgresql

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS claim_statement_trgm_idx ON claims_claim USING gin (statement gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS claim_statement_trgm_idx"]


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_regions")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
