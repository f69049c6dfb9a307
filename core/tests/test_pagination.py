"""Keyset pages, capped counts and the admin's estimated count, on both databases."""

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from claims.tests.factories import make_claim
from core.pagination import BadCursor, EstimatedCountPaginator, KeysetPaginator, capped_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims():
    return [make_claim(statement=f"Claim {n}", state=Claim.State.PUBLISHED) for n in range(5)]


@pytest.mark.parametrize("as_dicts", [False, True])
def test_keyset_pages_cover_every_row_once_each_way(claims, as_dicts):
    rows = Claim.objects.values("id", "updated_at") if as_dicts else Claim.objects.all()
    paginator = KeysetPaginator(rows, ["updated_at", "id"], 2, name="test")

    pages, page = [], paginator.page(None)
    while True:
        pages.append([row["id"] if as_dicts else row.pk for row in page.object_list])
        if not page.has_next:
            break
        page = paginator.page(page.next_cursor)

    newest_first = list(Claim.objects.order_by("-updated_at", "-id").values_list("id", flat=True))
    assert pages == [newest_first[:2], newest_first[2:4], newest_first[4:]]
    assert (page.number, page.has_previous, page.has_next) == (3, True, False)
    back = paginator.page(page.previous_cursor)
    assert [row["id"] if as_dicts else row.pk for row in back.object_list] == pages[1]
    assert back.number == 2


def test_a_cursor_is_bound_to_its_list(claims):
    newest = KeysetPaginator(Claim.objects.all(), ["updated_at", "id"], 2, name="newest")
    other = KeysetPaginator(Claim.objects.all(), ["updated_at", "id"], 2, name="other")
    cursor = newest.page(None).next_cursor
    with pytest.raises(BadCursor):
        other.page(cursor)
    with pytest.raises(BadCursor):
        newest.page(cursor[:-1] + ("A" if cursor[-1] != "A" else "B"))


def test_capped_count(claims):
    assert capped_count(Claim.objects.all(), 10) == (5, False)
    assert capped_count(Claim.objects.all(), 5) == (5, False)
    assert capped_count(Claim.objects.all(), 3) == (3, True)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the estimate is PostgreSQL's table statistics")
def test_a_big_unfiltered_table_is_counted_from_statistics_in_one_query(claims, monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    make_claim(statement="After the statistics")  # so the estimate (5) and the truth (6) differ

    monkeypatch.setattr(EstimatedCountPaginator, "EXACT_UP_TO", 3)
    with CaptureQueriesContext(connection) as queries:
        assert EstimatedCountPaginator(Claim.objects.all(), 100).count == 5
    assert len(queries) == 1

    # Small enough, or filtered, it counts exactly.
    monkeypatch.setattr(EstimatedCountPaginator, "EXACT_UP_TO", 100)
    assert EstimatedCountPaginator(Claim.objects.all(), 100).count == 6
    monkeypatch.setattr(EstimatedCountPaginator, "EXACT_UP_TO", 3)
    assert EstimatedCountPaginator(Claim.objects.filter(state=Claim.State.PUBLISHED), 100).count == 5


def test_the_claim_admin_uses_the_estimating_paginator():
    assert site._registry[Claim].paginator is EstimatedCountPaginator


def test_sorted_rows_pages_cover_every_row_once_each_way():
    from django.db.models import FloatField, IntegerField

    from core.pagination import SortedRowsPaginator

    # Ranks tie in pairs; the id breaks the tie.
    rows = sorted(((float(n // 2) / 3, n) for n in range(7)), reverse=True)
    paginator = SortedRowsPaginator(
        rows, ["rank", "id"], 3, name="ranked", fields={"rank": FloatField(), "id": IntegerField()}
    )

    first = paginator.page(None)
    second = paginator.page(first.next_cursor)
    third = paginator.page(second.next_cursor)

    assert [row["id"] for page in (first, second, third) for row in page.object_list] == [6, 5, 4, 3, 2, 1, 0]
    assert (third.has_next, third.number) == (False, 3)
    assert paginator.page(third.previous_cursor).object_list == second.object_list
    assert paginator.page(second.previous_cursor).object_list == first.object_list
