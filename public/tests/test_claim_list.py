import pytest
from django.urls import reverse

from claims.models import Claim, Region
from claims.tests.factories import make_claim, make_topic
from public.views import CLAIMS_PER_PAGE

pytestmark = pytest.mark.django_db


def test_it_lists_published_and_withdrawn_claims_only(client):
    make_claim(statement="Published statement", state=Claim.State.PUBLISHED)
    make_claim(statement="Withdrawn statement", state=Claim.State.WITHDRAWN)
    for state in (Claim.State.DRAFT, Claim.State.IN_REVIEW, Claim.State.SENT_BACK):
        make_claim(statement=f"Hidden {state} statement", state=state)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Published statement" in content
    assert "Withdrawn statement" in content
    assert "is-withdrawn" in content
    assert "Hidden" not in content


def test_it_links_to_sign_in_and_admin(client):
    content = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("login")}"' in content
    assert f'href="{reverse("admin:index")}"' in content


def test_it_escapes_statements(client):
    make_claim(statement="<script>alert(1)</script>", state=Claim.State.PUBLISHED)
    content = client.get(reverse("home")).content.decode()
    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;" in content


@pytest.mark.parametrize("claims", [2, CLAIMS_PER_PAGE])
def test_its_query_count_does_not_grow_with_the_page(client, django_assert_num_queries, claims):
    topic = make_topic()
    kharkiv = Region.objects.get(slug="kharkiv")
    for n in range(claims):
        claim = make_claim(statement=f"Claim {n}", state=Claim.State.PUBLISHED)
        claim.topics.add(topic)
        claim.regions.add(kharkiv)

    # 1. count for the paginator; 2-5. the filter form's topic, actor, outlet and region
    # choices; 6. the page of claims; 7. their topics; 8. their regions
    with django_assert_num_queries(8):
        response = client.get(reverse("home"))
    assert response.content.decode().count('class="claim-row') == claims


def test_it_paginates(client):
    for n in range(CLAIMS_PER_PAGE + 5):
        make_claim(statement=f"Claim number {n:02d}", state=Claim.State.PUBLISHED)
    first = client.get(reverse("home")).content.decode()
    second = client.get(reverse("home"), {"page": 2}).content.decode()
    assert first.count('class="claim-row') == CLAIMS_PER_PAGE
    assert second.count('class="claim-row') == 5
    assert client.get(reverse("home"), {"page": "nonsense"}).status_code == 200
