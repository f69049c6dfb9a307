"""Keyset paging of the public lists: every claim exactly once, in every sort and for
searches, links that keep the filters, and cursors that cannot be forged or misused."""

import html
import re
from datetime import timedelta

import pytest
from django.core import signing
from django.db import connection
from django.urls import reverse
from django.utils import timezone

import public.views
from claims.models import Claim
from claims.tests.factories import make_attribution, make_claim, make_topic
from public.tests.helpers import body, listed_ids
from sources.tests.factories import make_actor, make_article, make_outlet

pytestmark = pytest.mark.django_db

PER_PAGE = 3
NOW = timezone.now().replace(microsecond=123456)


@pytest.fixture(autouse=True)
def _small_pages(monkeypatch):
    monkeypatch.setattr(public.views, "CLAIMS_PER_PAGE", PER_PAGE)


@pytest.fixture
def archive():
    """Eight public claims and drafts between them. Publication and update times tie in pairs
    and origin counts in threes, so only the id can break the tie."""
    claims = []
    for n in range(8):
        claim = make_claim(
            statement=f"Blocking units claim {n}",
            state=Claim.State.PUBLISHED,
            published_at=NOW - timedelta(hours=n // 2),
        )
        make_claim(statement=f"Blocking units draft {n}", state=Claim.State.DRAFT)
        claims.append(claim)
    make_claim(statement="Blocking units in review", state=Claim.State.IN_REVIEW, published_at=NOW)
    for n, claim in enumerate(claims):
        # Stored columns, set directly: the signals would recompute them from attributions.
        Claim.objects.filter(pk=claim.pk).update(
            updated_at=NOW - timedelta(minutes=n % 4), independent_origin_count=n % 3
        )
    return claims


def next_link(response, rel="next"):
    match = re.search(rf'<a href="([^"]*)" rel="{rel}">', body(response))
    return html.unescape(match.group(1)) if match else None


def walk(client, path, params=None, rel="next", start=None):
    """Follow the pager from ``start`` (a response) or the first page: the ids of every page."""
    response = start or client.get(path, params)
    pages = []
    while True:
        assert response.status_code == 200, body(response)
        pages.append(listed_ids(response))
        link = next_link(response, rel)
        if link is None:
            return pages, response
        response = client.get(path + link if link.startswith("?") else link)


def expected(order) -> list[int]:
    return list(Claim.objects.public().order_by(*order).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("newest", ["-published_at", "-id"]),
        ("updated", ["-updated_at", "-id"]),
        ("origins", ["-independent_origin_count", "-published_at", "-id"]),
    ],
)
def test_it_lists_every_public_claim_once_in_each_sort_and_back(client, archive, sort, order):
    pages, last = walk(client, reverse("home"), {"sort": sort})

    assert [pk for page in pages for pk in page] == expected(order)
    assert [len(page) for page in pages] == [3, 3, 2]
    # And back from the last page to the first, through the same pages.
    back, first = walk(client, reverse("home"), rel="prev", start=last)
    assert back == pages[::-1]
    assert "Page 1" in body(first)


def test_the_first_page_has_no_way_back_and_the_last_no_way_on(client, archive):
    _pages, last = walk(client, reverse("home"))
    first = client.get(reverse("home"))

    assert next_link(first, "prev") is None
    assert ">First</a>" not in body(first)
    assert next_link(last) is None
    assert next_link(last, "prev")
    assert f'<a href="{reverse("home")}">First</a>' in body(last)
    assert "Page 3" in body(last)


def test_a_list_on_one_page_has_no_pager(client):
    make_claim(state=Claim.State.PUBLISHED)
    assert 'class="pagination"' not in body(client.get(reverse("home")))


def test_pager_links_keep_the_filters_and_the_search(client, archive):
    topic = make_topic(name="Barrier units")
    for claim in archive:
        claim.topics.add(topic)
    params = {"topic": topic.slug, "q": "blocking", "sort": "updated"}

    pages, last = walk(client, reverse("home"), params)

    assert [pk for page in pages for pk in page] == expected(["-updated_at", "-id"])
    for link in (next_link(client.get(reverse("home"), params)), next_link(last, "prev")):
        assert "topic=barrier-units" in link
        assert "q=blocking" in link
        assert "sort=updated" in link
        assert "page=" not in link


def test_search_results_page_through_every_match(client, archive):
    make_claim(statement="Artillery shelled a village", state=Claim.State.PUBLISHED)

    pages, _last = walk(client, reverse("home"), {"q": "blocking units"})

    found = [pk for page in pages for pk in page]
    assert sorted(found) == sorted(claim.pk for claim in archive)
    if connection.vendor != "postgresql":
        # Without ranking, newest first.
        artillery = Claim.objects.get(statement__startswith="Artillery").pk
        assert found == [pk for pk in expected(["-published_at", "-id"]) if pk != artillery]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking is PostgreSQL full-text search")
def test_ranked_search_results_page_by_rank_then_date(client, archive):
    # More mentions rank higher: three claims mention "intercept" twice, the rest once.
    for claim in archive:
        claim.statement = "An intercept, " + ("and another intercept" if claim.pk % 3 == 0 else "nothing else")
        claim.save()

    pages, last = walk(client, reverse("home"), {"q": "intercept"})

    found = [pk for page in pages for pk in page]
    twice = [claim.pk for claim in archive if claim.pk % 3 == 0]
    assert sorted(found) == sorted(claim.pk for claim in archive)
    assert sorted(found[: len(twice)]) == sorted(twice)
    back, _first = walk(client, reverse("home"), rel="prev", start=last)
    assert back == pages[::-1]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking is PostgreSQL full-text search")
def test_ranking_is_bounded_to_the_newest_matches_and_says_so(client, archive, monkeypatch):
    monkeypatch.setattr(public.views, "RANKED_AMONG", 4)

    response = client.get(reverse("home"), {"q": "blocking"})
    pages, _last = walk(client, reverse("home"), start=response)

    newest_four = expected(["-published_at", "-id"])[:4]
    assert sorted(pk for page in pages for pk in page) == sorted(newest_four)
    assert "among the 4 newest claims that contain your words" in html.unescape(body(response))
    # Sorting by date goes through every match.
    pages, _last = walk(client, reverse("home"), {"q": "blocking", "sort": "newest"})
    assert len([pk for page in pages for pk in page]) == len(archive)


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "",
        "%00",
        "eyJrIjpbXX0:1tAmper:ed",
        signing.dumps({"k": ["2024-01-01T00:00:00+00:00", 1], "d": "a", "n": 2}),  # unsigned for this list
        signing.dumps({"k": ["not a date", 1], "d": "a", "n": 2}, salt="keyset:newest:published_at,id"),
        signing.dumps({"k": [None, 1], "d": "a", "n": 2}, salt="keyset:newest:published_at,id"),
        signing.dumps({"k": ["2024-01-01T00:00:00+00:00"], "d": "a", "n": 2}, salt="keyset:newest:published_at,id"),
        signing.dumps(
            {"k": ["2024-01-01T00:00:00+00:00", "x"], "d": "a", "n": 2}, salt="keyset:newest:published_at,id"
        ),
        signing.dumps(
            {"k": ["2024-01-01T00:00:00+00:00", 1], "d": "sideways", "n": 2}, salt="keyset:newest:published_at,id"
        ),
        signing.dumps(["a", "list"], salt="keyset:newest:published_at,id"),
    ],
)
def test_a_damaged_cursor_is_a_400_that_shows_the_first_page(client, archive, cursor):
    response = client.get(reverse("home"), {"cursor": cursor})

    if cursor == "":
        assert response.status_code == 200
    else:
        assert response.status_code == 400
        assert "This page link is damaged or out of date" in body(response)
    assert listed_ids(response) == expected(["-published_at", "-id"])[:PER_PAGE]


def test_a_cursor_of_one_sort_is_refused_by_another(client, archive):
    link = next_link(client.get(reverse("home"), {"sort": "newest"}))
    cursor = re.search(r"cursor=([^&]+)", link).group(1)

    response = client.get(reverse("home") + f"?sort=updated&cursor={cursor}")

    assert response.status_code == 400
    assert listed_ids(response) == expected(["-updated_at", "-id"])[:PER_PAGE]


def test_a_signed_cursor_at_a_drafts_position_still_lists_public_claims_only(client, archive):
    # Even a cursor this site signed, placed anywhere, only positions the public list.
    draft = Claim.objects.filter(state=Claim.State.DRAFT).first()
    cursor = signing.dumps(
        {"k": [(NOW + timedelta(days=1)).isoformat(), draft.pk], "d": "a", "n": 2},
        salt="keyset:newest:published_at,id",
    )

    pages, _last = walk(client, reverse("home"), {"cursor": cursor})

    public_ids = set(Claim.objects.public().values_list("pk", flat=True))
    assert {pk for page in pages for pk in page} == public_ids


@pytest.mark.parametrize("page", ["topic", "actor", "outlet"])
def test_topic_actor_and_outlet_pages_page_the_same_way(client, archive, page):
    topic, actor, outlet = make_topic(name="Barrier units"), make_actor(name="GUR"), make_outlet(name="Ziare")
    for claim in archive:
        claim.topics.add(topic)
        make_attribution(claim=claim, actor=actor, article=make_article(outlet=outlet))
    path = {
        "topic": reverse("public:topic_detail", args=[topic.slug]),
        "actor": reverse("public:actor_detail", args=[actor.pk]),
        "outlet": reverse("public:outlet_detail", args=[outlet.pk]),
    }[page]

    pages, _last = walk(client, path)

    assert [pk for page in pages for pk in page] == expected(["-published_at", "-id"])
    assert client.get(path, {"cursor": "garbage"}).status_code == 400
