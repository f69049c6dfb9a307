"""Full-text search over published claims, widened by the desk's glossary.

PostgreSQL matches the stored, GIN-indexed tsvector and ranks by ts_rank;
SQLite (the zero-setup default) falls back to a case-insensitive match of the
phrase's words, in order and from the start of a word, on the same stored
search_document. Both read what refresh_evidence stored: nothing is rebuilt
per request.
"""

import re
from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet

from glossary.models import expand

SEARCH_CONFIG = "english"


def search_claims(claims: QuerySet, query: str) -> QuerySet:
    """Claims matching ``query`` or any glossary synonym of it, best first on PostgreSQL."""
    terms = expand(query)
    if not terms:
        return claims
    if connection.vendor == "postgresql":
        tsquery = reduce(or_, (SearchQuery(term, config=SEARCH_CONFIG, search_type="phrase") for term in terms))
        return (
            claims.filter(search_vector=tsquery)
            .annotate(rank=SearchRank(F("search_vector"), tsquery))
            .order_by("-rank", "-published_at", "-id")
        )
    return claims.filter(reduce(or_, (Q(search_document__iregex=_phrase_pattern(term)) for term in terms)))


def _phrase_pattern(term: str) -> str:
    """The words of a normalised term, in order, with any punctuation or spacing between them.

    Terms come from glossary.normalise, which turned punctuation into spaces
    ("GUR's" is "gur s"), so a plain substring match would miss the very text
    it was typed from. The leading \\b keeps "500" from matching "1500".
    """
    return r"\b" + r"[\W_]+".join(re.escape(word) for word in term.split())
