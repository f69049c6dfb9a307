"""Paging for long lists: keyset cursors instead of OFFSET, capped counts instead of COUNT(*).

An OFFSET page makes the database walk every row before it, so page 1,000 of a
list costs a thousand times page 1. A keyset page starts from the sort key of
the row it continues from ("older than this date and id"), which an index finds
directly: every page costs what the first one costs.

Cursors are signed, so a link can only continue a list from a position this
site handed out; anything else is a BadCursor, which views answer with a 400.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.utils.functional import cached_property

AFTER = "a"  # older rows: the next page
BEFORE = "b"  # newer rows: the previous page


class BadCursor(ValueError):
    """A cursor this site did not sign for this list (tampered, truncated, or from another sort)."""


@dataclass
class KeysetPage:
    object_list: list
    number: int
    has_next: bool
    has_previous: bool
    next_cursor: str = ""
    previous_cursor: str = ""

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


class KeysetPaginator:
    """Pages of ``queryset`` in descending order of ``keys``.

    The keys are model fields or annotations, none of them NULL in the rows
    listed, and the last one unique (the id), so every row has exactly one
    position. Rows may be model instances or dicts (a values() queryset that
    includes the keys). ``name`` goes into the signature: a cursor of one list (or one
    sort order) is refused by another.
    """

    def __init__(self, queryset: QuerySet, keys: list[str], per_page: int, *, name: str):
        self.queryset = queryset
        self.keys = keys
        self.per_page = per_page
        self.salt = f"keyset:{name}:{','.join(keys)}"

    def page(self, cursor: str | None) -> KeysetPage:
        if not cursor:
            return self._page(None, AFTER, 1)
        position, direction, number = self._decode(cursor)
        return self._page(position, direction, number)

    def cursor_after(self, row, *, number: int) -> str:
        """A cursor for page ``number``, the page that starts after ``row`` (a link to a deep page)."""
        return self._encode(row, AFTER, number)

    def _page(self, position: list | None, direction: str, number: int) -> KeysetPage:
        rows = self._fetch(position, direction)
        more = len(rows) > self.per_page
        rows = rows[: self.per_page]
        if direction == AFTER:
            has_next, has_previous = more, position is not None
        else:
            rows.reverse()
            if not more and len(rows) < self.per_page:
                # Back at the start of the list with a short page: show a full first page instead.
                return self._page(None, AFTER, 1)
            has_next, has_previous = True, more
        number = max(number, 2) if has_previous else 1
        page = KeysetPage(rows, number, has_next, has_previous)
        if rows and has_next:
            page.next_cursor = self._encode(rows[-1], AFTER, number + 1)
        if rows and has_previous:
            page.previous_cursor = self._encode(rows[0], BEFORE, number - 1)
        return page

    def _fetch(self, position: list | None, direction: str) -> list:
        queryset = self.queryset
        columns = Tuple(*(F(key) for key in self.keys))
        if direction == AFTER:
            if position is not None:
                queryset = queryset.filter(TupleLessThan(columns, position))
            ordering = [F(key).desc() for key in self.keys]
        else:
            queryset = queryset.filter(TupleGreaterThan(columns, position))
            ordering = [F(key).asc() for key in self.keys]
        return list(queryset.order_by(*ordering)[: self.per_page + 1])

    def _encode(self, row, direction: str, number: int) -> str:
        values = [row[key] if isinstance(row, dict) else getattr(row, key) for key in self.keys]
        # isoformat keeps microseconds (Django's JSON encoder would round them to milliseconds,
        # and the next page would then repeat or skip rows).
        values = [value.isoformat() if isinstance(value, datetime.datetime) else value for value in values]
        return signing.dumps({"k": values, "d": direction, "n": number}, salt=self.salt, compress=False)

    def _decode(self, cursor: str) -> tuple[list, str, int]:
        try:
            payload = signing.loads(cursor, salt=self.salt)
            values, direction, number = payload["k"], payload["d"], int(payload["n"])
            if direction not in (AFTER, BEFORE) or len(values) != len(self.keys) or None in values:
                raise BadCursor(cursor)
            position = [self._field(key).to_python(value) for key, value in zip(self.keys, values, strict=True)]
            if any(isinstance(value, datetime.datetime) and value.tzinfo is None for value in position):
                raise BadCursor(cursor)  # this site only writes aware times
        except (signing.BadSignature, KeyError, TypeError, ValueError, ValidationError) as exc:
            raise BadCursor(cursor) from exc
        return position, direction, max(number, 1)

    def _field(self, key: str):
        annotation = self.queryset.query.annotations.get(key)
        if annotation is not None:
            return annotation.output_field
        return self.queryset.model._meta.get_field(key)


class SortedRowsPaginator(KeysetPaginator):
    """Keyset pages of rows already in memory, sorted by descending ``keys``: a bounded list
    worked out in one query, such as search results ranked among the newest matches.

    Rows are tuples of the keys' values; pages hold them as dicts. ``fields`` gives each key's
    model field, to read a cursor.
    """

    def __init__(self, rows: list[tuple], keys: list[str], per_page: int, *, name: str, fields: dict):
        super().__init__(None, keys, per_page, name=name)
        self.rows = rows
        self.fields = fields

    def _fetch(self, position: list | None, direction: str) -> list:
        if position is None:
            found = self.rows[: self.per_page + 1]
        elif direction == AFTER:
            found = list(itertools.islice((row for row in self.rows if row < tuple(position)), self.per_page + 1))
        else:
            later = (row for row in reversed(self.rows) if row > tuple(position))
            found = list(itertools.islice(later, self.per_page + 1))
        return [dict(zip(self.keys, row, strict=True)) for row in found]

    def _field(self, key: str):
        return self.fields[key]


def capped_count(queryset: QuerySet, cap: int) -> tuple[int, bool]:
    """How many rows match, counting no further than ``cap``: (count, whether there are more).

    An exact COUNT(*) visits every matching row; past a few thousand a reader
    learns nothing more from the exact figure than from "more than 1,000".
    """
    count = queryset.order_by().values("pk")[: cap + 1].count()
    return min(count, cap), count > cap


class EstimatedCountPaginator(Paginator):
    """A Paginator for admin change lists of big tables: the unfiltered count of a table with more
    than EXACT_UP_TO rows comes from PostgreSQL's statistics instead of a COUNT(*) over every row.

    Still one query: the exact count up to the limit, or else the estimate. Filtered lists and
    SQLite count exactly.
    """

    EXACT_UP_TO = 10_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor != "postgresql" or queryset.query.where:
            return super().count
        table = connection.ops.quote_name(queryset.model._meta.db_table)
        with connection.cursor() as cursor:
            # The table name comes from the model, quoted; the limit is a parameter.
            cursor.execute(
                f"SELECT COALESCE((SELECT NULLIF(COUNT(*), %s + 1) FROM (SELECT 1 FROM {table} LIMIT %s + 1) AS few),"  # noqa: S608 # nosec B608
                " (SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass))",
                [self.EXACT_UP_TO, self.EXACT_UP_TO, table],
            )
            return max(int(cursor.fetchone()[0]), 0)
