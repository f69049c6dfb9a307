"""Readers' pages and the API list cost the same number of queries however many claims a
page shows and however many reports each claim has."""

import re

import pytest
from django.urls import reverse

from claims.models import Attribution, Claim, Region
from claims.tests.factories import make_claim, make_topic
from core.pagination import KeysetPaginator
from public.tests.helpers import body, listed_ids
from public.views import CLAIMS_PER_PAGE
from sources.tests.factories import make_actor, make_article, make_outlet

pytestmark = pytest.mark.django_db

# (claims, reports per claim): a short page, and a full one with more to come.
SIZES = [(3, 1), (60, 12)]


@pytest.fixture
def fill():
    def fill(claims: int, reports: int):
        """Public claims with two topics, two regions and ``reports`` reports each, and a draft for each."""
        topics = [make_topic(name="Barrier units"), make_topic(name="Refusals")]
        regions = list(Region.objects.filter(slug__in=["kharkiv", "donetsk"]))
        outlet = make_outlet(name="Ziare")
        actors = [make_actor(name=f"Actor {i}") for i in range(reports)]
        articles = [make_article(outlet=outlet) for _ in range(reports)]
        made = []
        for n in range(claims):
            claim = make_claim(statement=f"Blocking units claim {n}", state=Claim.State.PUBLISHED)
            claim.topics.add(*topics)
            claim.regions.add(*regions)
            made.append(claim)
            make_claim(statement=f"Blocking units draft {n}")
        # In bulk (no signals), then the stored summaries once.
        Attribution.objects.bulk_create(
            Attribution(claim=claim, actor=actors[i], article=articles[i], stance="asserts", quote="Blocking units")
            for claim in made
            for i in range(reports)
        )
        Claim.objects.all().refresh_evidence()
        return made

    return fill


def warm_up(client, url, params=None):
    # The first request also builds the filter menus' cache (one more query, once a minute)
    # and, for a search, looks the words up in the glossary (two more).
    client.get(url, params)


@pytest.mark.parametrize(("claims", "reports"), SIZES)
def test_the_list(client, django_assert_num_queries, fill, claims, reports):
    fill(claims, reports)
    warm_up(client, reverse("home"))

    # 1. the stamp of the actors table (the filter menus' cache key); 2. the page of claims;
    # 3. their topics and regions; 4. how many claims there are (counting up to a cap)
    with django_assert_num_queries(4):
        response = client.get(reverse("home"))

    assert len(listed_ids(response)) == min(claims, CLAIMS_PER_PAGE)
    assert body(response).count('class="topic"') == 2 * min(claims, CLAIMS_PER_PAGE)


def test_the_first_list_of_a_minute_builds_the_filter_menus_in_one_query(client, django_assert_num_queries, fill):
    fill(3, 1)

    # As above, and 5. the topics, regions, cited actors and cited outlets offered as filters
    with django_assert_num_queries(5):
        response = client.get(reverse("home"))

    assert '<option value="barrier-units">Barrier units</option>' in body(response)


@pytest.mark.parametrize(("claims", "reports"), SIZES)
def test_a_filtered_list(client, django_assert_num_queries, fill, claims, reports):
    fill(claims, reports)
    actor = make_actor(name="Filtered")
    Attribution.objects.bulk_create(
        Attribution(claim=claim, actor=actor, article=make_article(), stance="asserts")
        for claim in Claim.objects.public()
    )
    params = {"topic": "barrier-units", "region": "kharkiv", "actor": actor.pk, "status": "unverified"}
    warm_up(client, reverse("home"), params)

    # 1. the actors' stamp; 2.-4. the topic, region and actor asked for, checked;
    # 5. the page; 6. topics and regions; 7. the count
    with django_assert_num_queries(7):
        response = client.get(reverse("home"), params)

    assert len(listed_ids(response)) == min(claims, CLAIMS_PER_PAGE)


@pytest.mark.parametrize(("claims", "reports"), SIZES)
def test_a_search(client, django_assert_num_queries, fill, claims, reports):
    fill(claims, reports)
    warm_up(client, reverse("home"), {"q": "blocking"})

    # 1. the actors' stamp; 2. the page (ranked among the newest matches on PostgreSQL);
    # 3. topics and regions; 4. the count. What the glossary makes of "blocking" was kept
    # from the first request, like the filter menus.
    with django_assert_num_queries(4):
        response = client.get(reverse("home"), {"q": "blocking"})

    assert len(listed_ids(response)) == min(claims, CLAIMS_PER_PAGE)


@pytest.mark.parametrize(("claims", "reports"), SIZES)
def test_a_deep_page(client, django_assert_num_queries, fill, claims, reports):
    fill(claims, reports)
    oldest, second_oldest = Claim.objects.public().order_by("published_at", "id")[:2]
    # A link to "page 1,000", starting after the oldest claim but one: as cheap as any page.
    paginator = KeysetPaginator(Claim.objects.public(), ["published_at", "id"], CLAIMS_PER_PAGE, name="newest")
    cursor = paginator.cursor_after(second_oldest, number=1000)
    warm_up(client, reverse("home"), {"cursor": cursor})

    # 1. the actors' stamp; 2. the page; 3. topics and regions. No count after the first page.
    with django_assert_num_queries(3):
        response = client.get(reverse("home"), {"cursor": cursor})

    assert listed_ids(response) == [oldest.pk]
    assert "Page 1000" in body(response)


@pytest.mark.parametrize(("claims", "reports"), SIZES)
def test_topic_actor_and_outlet_pages(client, django_assert_num_queries, fill, claims, reports):
    made = fill(claims, reports)
    actor = made[0].attributions.first().actor
    outlet = made[0].attributions.first().article.outlet

    for url in (
        reverse("public:topic_detail", args=["barrier-units"]),
        reverse("public:actor_detail", args=[actor.pk]),
        reverse("public:outlet_detail", args=[outlet.pk]),
    ):
        # 1. the topic, actor or outlet; 2. the page of its claims; 3. their topics and regions
        with django_assert_num_queries(3):
            response = client.get(url)
        assert len(listed_ids(response)) == min(claims, CLAIMS_PER_PAGE), url


@pytest.mark.parametrize(("claims", "reports"), SIZES)
def test_the_api_list(client, django_assert_num_queries, fill, claims, reports):
    fill(claims, reports)

    # 1. the page of claims; 2. their topics and regions
    with django_assert_num_queries(2):
        response = client.get("/api/v1/claims/", {"page_size": 100})

    assert len(response.json()["results"]) == claims
    assert all(row["topics"] == ["barrier-units", "refusals"] for row in response.json()["results"])


@pytest.mark.parametrize("reports", [1, 12])
def test_the_claim_page(client, django_assert_num_queries, fill, reports):
    claim = fill(2, reports)[0]

    # 1. the claim; 2. its reports with actors, articles, outlets; 3. its corroborations;
    # 4. its topics and regions; 5. its public change log; 6. related claims
    with django_assert_num_queries(6):
        response = client.get(reverse("public:claim_detail", args=[claim.pk]))

    assert body(response).count('class="report"') == reports
    assert re.search(r'aria-labelledby="related-heading"', body(response))
