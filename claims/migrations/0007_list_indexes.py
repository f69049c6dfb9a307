"""Indexes for reading claim lists page by page at archive scale (PostgreSQL only).

The public lists read "public claims in sort order, after this position" (keyset
paging): partial indexes over public claims only, in each sort's column order
ending with the id, answer that with one index range scan, whatever the page.
The admin lists every claim newest first. The through tables and attributions
get (filter value, claim) indexes, so a topic, region, actor or outlet filter
can collect its claim ids from an index alone, and check them against the
public claims' ids without reading the table.

SQLite, the zero-setup default with small data, goes without them.
"""

from django.db import migrations

from core.migrations_sql import on_postgresql

PUBLIC = "WHERE state IN ('published', 'withdrawn')"
INDEXES = {
    "claim_public_newest_idx": f"claims_claim (published_at DESC, id DESC) {PUBLIC}",
    "claim_public_updated_idx": f"claims_claim (updated_at DESC, id DESC) {PUBLIC}",
    "claim_public_origins_idx": f"claims_claim (independent_origin_count DESC, published_at DESC, id DESC) {PUBLIC}",
    "claim_public_status_idx": f"claims_claim (status, published_at DESC, id DESC) {PUBLIC}",
    "claim_newest_idx": "claims_claim (published_at DESC, id DESC)",
    "claim_topics_topic_claim_idx": "claims_claim_topics (topic_id, claim_id)",
    "claim_regions_region_claim_idx": "claims_claim_regions (region_id, claim_id)",
    "attribution_actor_claim_idx": "claims_attribution (actor_id, claim_id)",
    "attribution_article_claim_idx": "claims_attribution (article_id, claim_id)",
    # "Is this claim public?" from an index alone, when a filter has found claim ids elsewhere.
    "claim_public_id_idx": f"claims_claim (id) {PUBLIC}",
    # The filter menus' cache stamp (claims.filters): the latest actor update, the protected ids.
    "actor_updated_idx": "sources_actor (updated_at)",
    "actor_protected_idx": "sources_actor (id) WHERE is_protected",
}
FORWARD = [f"CREATE INDEX IF NOT EXISTS {name} ON {spec}" for name, spec in INDEXES.items()]
BACKWARD = [f"DROP INDEX IF EXISTS {name}" for name in INDEXES]


class Migration(migrations.Migration):
    dependencies = [("claims", "0006_search_vector_index"), ("sources", "0001_initial")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
