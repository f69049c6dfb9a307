"""Trigram similarity for 'is this claim already logged?' suggestions.

PostgreSQL only: SQLite uses a plain word-overlap fallback (ClaimQuerySet.similar_to).
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS claim_statement_trgm_idx ON claims_claim USING gin (statement gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS claim_statement_trgm_idx"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_regions")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
