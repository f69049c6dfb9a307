import html
import re

import pytest
from django.urls import reverse

import public.views
from claims.models import Claim
from claims.tests.factories import make_claim
from public.tests.helpers import listed_ids, result_count
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


def test_it_counts_up_to_a_cap(client, monkeypatch):
    monkeypatch.setattr(public.views, "COUNT_UP_TO", 3)
    for n in range(4):
        make_claim(statement=f"Claim {n}", state=Claim.State.PUBLISHED)
    assert "More than 3 claims" in client.get(reverse("home")).content.decode()
    Claim.objects.filter(statement="Claim 0").delete()
    assert result_count(client.get(reverse("home"))) == 3


def test_it_pages_with_a_cursor(client):
    for n in range(CLAIMS_PER_PAGE + 5):
        make_claim(statement=f"Claim number {n:02d}", state=Claim.State.PUBLISHED)
    first = client.get(reverse("home"))
    older = re.search(r'<a href="(\?cursor=[^"]+)" rel="next">Older</a>', first.content.decode())
    assert older
    second = client.get(reverse("home") + html.unescape(older.group(1)))
    assert len(listed_ids(first)) == CLAIMS_PER_PAGE
    assert len(listed_ids(second)) == 5
    assert not set(listed_ids(first)) & set(listed_ids(second))
    # An old page-number link is not an error: it shows the first page.
    assert listed_ids(client.get(reverse("home"), {"page": "2"})) == listed_ids(first)
