"""What a row of a claims list shows, fetched in a fixed number of queries.

The public list, the topic, actor and outlet pages and the API list all show
the same row: the claim's own columns (its evidence summary is stored on it)
and the slugs and names of its topics and regions, read for a whole page in
one query.
"""

from collections import defaultdict

from django.db import connection
from django.db.models import QuerySet

from claims.models import Claim

ROW_FIELDS = (
    "id",
    "statement",
    "status",
    "state",
    "published_at",
    "updated_at",
    "report_count",
    "independent_origin_count",
    "has_denial",
)


def list_rows(claims: QuerySet, *extra: str) -> QuerySet:
    """Dicts of the columns a list row shows (and ``extra`` ones), and no others: search
    documents are long, and model instances cost more to build than the page to render."""
    return claims.values(*ROW_FIELDS, *extra)


# The topic and region links of some claims, in name order; {ids} stands for the id placeholders.
LINKS_SQL = """
    SELECT l.claim_id, 'topics', t.slug, t.name FROM claims_claim_topics l
    JOIN claims_topic t ON t.id = l.topic_id WHERE l.claim_id IN ({ids})
    UNION ALL
    SELECT l.claim_id, 'regions', r.slug, r.name FROM claims_claim_regions l
    JOIN claims_region r ON r.id = l.region_id WHERE l.claim_id IN ({ids})
    ORDER BY 4
"""


# ROW_FIELDS' columns; {ids} and {states} stand for placeholders.
ROWS_SQL = """
    SELECT id, statement, status, state, published_at, updated_at, report_count, independent_origin_count, has_denial
    FROM claims_claim WHERE id IN ({ids}) AND state IN ({states})
"""


def links_by_claim(claim_ids: list[int]) -> dict[int, dict[str, list[tuple[str, str]]]]:
    """{claim id: {"topics": [(slug, name), ...], "regions": [...]}} in name order, in one query.

    Plain SQL: the ORM's work to build a union of two joined querysets costs several
    times what the database takes to answer it, on every list page.
    """
    links = defaultdict(lambda: {"topics": [], "regions": []})
    if not claim_ids:
        return links
    placeholders = ", ".join(["%s"] * len(claim_ids))
    with connection.cursor() as cursor:
        # Only "%s" placeholders are formatted in; the ids go as parameters.
        cursor.execute(LINKS_SQL.format(ids=placeholders), [*claim_ids, *claim_ids])
        for claim_id, kind, slug, name in cursor.fetchall():
            links[claim_id][kind].append((slug, name))
    return links


def public_rows_by_id(claim_ids: list[int]) -> list[dict]:
    """List rows (ROW_FIELDS) of the public claims among ``claim_ids``, in that order.

    Plain SQL on PostgreSQL (whose driver returns aware datetimes), for the same reason as
    links_by_claim: it runs on every page of ranked search results.
    """
    if not claim_ids:
        return []
    if connection.vendor != "postgresql":
        rows = {row["id"]: row for row in list_rows(Claim.objects.public().filter(pk__in=claim_ids))}
        return [rows[pk] for pk in claim_ids if pk in rows]
    ids = ", ".join(["%s"] * len(claim_ids))
    states = ", ".join(["%s"] * len(Claim.PUBLIC_STATES))
    with connection.cursor() as cursor:
        # Only "%s" placeholders are formatted in; ids and states go as parameters.
        cursor.execute(ROWS_SQL.format(ids=ids, states=states), [*claim_ids, *Claim.PUBLIC_STATES])
        rows = {row[0]: dict(zip(ROW_FIELDS, row, strict=True)) for row in cursor.fetchall()}
    return [rows[pk] for pk in claim_ids if pk in rows]


def attach_links(claims: list[dict]) -> list[dict]:
    """Add "topic_links" and "region_links" ([(slug, name), ...]) to each claim row."""
    links = links_by_claim([claim["id"] for claim in claims])
    for claim in claims:
        claim["topic_links"] = links[claim["id"]]["topics"]
        claim["region_links"] = links[claim["id"]]["regions"]
    return claims
