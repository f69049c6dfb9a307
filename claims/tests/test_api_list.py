"""The API list is built from plain rows for speed; it must say exactly what the list
serializer (and the OpenAPI schema it documents) says."""

import datetime

import pytest
from django.utils import timezone

from claims.models import Claim
from claims.serializers import ClaimListSerializer
from claims.tests.api import API, all_result_ids, api_client
from claims.tests.factories import make_attribution, make_claim, make_topic
from sources.tests.factories import make_actor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("zone", ["UTC", "Europe/Kyiv"])
def test_each_row_is_what_the_list_serializer_would_say(reporter, zone):
    topics = [make_topic(name="Refusals"), make_topic(name="Barrier units")]
    dated = make_claim(
        statement="Blocking units <b>fired</b>.",
        state=Claim.State.PUBLISHED,
        event_start=datetime.date(2024, 2, 10),
        event_end=datetime.date(2024, 2, 12),
        published_at=timezone.now().replace(microsecond=0),
    )
    dated.topics.add(*topics)
    make_attribution(claim=dated, actor=make_actor(name="GUR"))
    make_attribution(claim=dated, actor=make_actor(name="Kremlin"), stance="denies")
    undated = make_claim(statement="Officials deny it.", state=Claim.State.WITHDRAWN)
    undated.regions.add(*undated.regions.model.objects.filter(slug__in=["kharkiv", "belgorod"]))
    # A draft, which staff see with no publication date.
    make_claim(statement="Draft.", created_by=reporter)

    with timezone.override(zone):
        for client in (api_client(), api_client(reporter)):
            rows = client.get(f"{API}/claims/").json()["results"]
            claims = Claim.objects.in_bulk([row["id"] for row in rows])
            assert rows == [ClaimListSerializer(claims[row["id"]]).data for row in rows]
    assert len(rows) == 3


def test_it_pages_every_claim_once(reporter):
    made = [make_claim(statement=f"Claim {n}.", state=Claim.State.PUBLISHED) for n in range(7)]
    assert all_result_ids(api_client(), f"{API}/claims/?page_size=3") == [claim.pk for claim in reversed(made)]
