"""Full-text search over published claims, widened by the desk's glossary.

PostgreSQL matches the stored, GIN-indexed tsvector; SQLite (the zero-setup
default) falls back to a case-insensitive match of the phrase's words, in
order and from the start of a word, on the same stored search_document. Both
read what refresh_evidence stored: nothing is rebuilt per request.

Ranking is separate from matching and bounded: ts_rank reads every matching
row's vector, which for a word in a third of a million claims costs a tenth
of a second. So the reader's list ranks only the newest RANKED_AMONG matches
(found through the publication-date index or the GIN index, whichever the
planner picks) and says so; the API and the CSV export match without ranking.
"""

import hashlib
import re
from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection
from django.db.models import CharField, F, FloatField, Func, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.db.models.signals import post_delete, post_save

from glossary.models import Entry, expand

SEARCH_CONFIG = "english"
# 500, not more: ranking the newest 1,000 made a search page cost 1.8 times the plain list
# page under load, 500 about 1.5 times (the target), and a reader rarely pages past the first 500.
RANKED_AMONG = 500
# What the glossary makes of a query is kept this long per process: matching a query against
# every entry's spellings cost a millisecond, twice per search page. An entry edited here is
# seen at once; in another process within the minute (the glossary holds nothing secret).
GLOSSARY_SECONDS = 60
_glossary_generation = 0


def glossary_for(query: str) -> tuple[list[Entry], list[str]]:
    """The glossary entries ``query`` mentions, and the terms it searches for (itself and every synonym)."""
    digest = hashlib.sha256(f"{_glossary_generation}:{query}".encode()).hexdigest()
    key = f"claims:glossary:{digest}"
    found = cache.get(key)
    if found is None:
        found = (list(Entry.objects.matching(query)), expand(query))
        cache.set(key, found, GLOSSARY_SECONDS)
    return found


def _forget_glossary(**kwargs) -> None:
    global _glossary_generation
    _glossary_generation += 1


post_save.connect(_forget_glossary, sender=Entry, dispatch_uid="claims.search.glossary.save")
post_delete.connect(_forget_glossary, sender=Entry, dispatch_uid="claims.search.glossary.delete")


def search_claims(claims: QuerySet, query: str, *, terms: list[str] | None = None) -> QuerySet:
    """Claims matching ``query`` or any glossary synonym of it (pass ``terms`` if already expanded)."""
    terms = glossary_for(query)[1] if terms is None else terms
    if not terms:
        return claims
    if connection.vendor == "postgresql":
        return claims.filter(search_vector=_tsquery(terms))
    return claims.filter(reduce(or_, (Q(search_document__iregex=_phrase_pattern(term)) for term in terms)))


def can_rank() -> bool:
    return connection.vendor == "postgresql"


def rank_newest_matches(matches: QuerySet, terms: list[str], *, among: int = RANKED_AMONG) -> tuple[list[tuple], bool]:
    """The newest ``among`` of ``matches`` (a filtered, public queryset) as (rank, published, id),
    best first, and whether more match. PostgreSQL only (see can_rank).

    One index walk, newest first, that stops at the ``among``-th match and ranks only the rows it
    returns: three times cheaper than ranking them in a second pass over the table. The rank is
    a double, so a cursor carries it exactly; "published" is the publication time as fixed-width
    text (UTC, to the microsecond), which sorts as the time does and costs far less to read.
    """
    rank = Cast(SearchRank(F("search_vector"), _tsquery(terms)), FloatField())
    published = Func(F("published_at"), Value("YYYYMMDDHH24MISSUS"), function="to_char", output_field=CharField())
    newest = matches.order_by("-published_at", "-id").annotate(rank=rank, published=published)
    sql, params = newest.values_list("rank", "published", "id")[: among + 1].query.sql_with_params()
    # Plain SQL, read as psycopg2 returns it: Django's per-value converters cost more than the
    # query for a thousand rows.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    more = len(rows) > among
    rows = rows[:among]
    rows.sort(reverse=True)
    return rows, more


def _tsquery(terms: list[str]) -> SearchQuery:
    return reduce(or_, (SearchQuery(term, config=SEARCH_CONFIG, search_type="phrase") for term in terms))


def _phrase_pattern(term: str) -> str:
    """The words of a normalised term, in order, with any punctuation or spacing between them.

    Terms come from glossary.normalise, which turned punctuation into spaces
    ("GUR's" is "gur s"), so a plain substring match would miss the very text
    it was typed from. The leading \\b keeps "500" from matching "1500".
    """
    return r"\b" + r"[\W_]+".join(re.escape(word) for word in term.split())
