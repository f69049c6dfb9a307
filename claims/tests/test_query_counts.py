"""Staff pages cost the same number of queries however much they show."""

import re

import pytest
from django.urls import reverse

from claims.models import Claim, Region, ReviewEvent
from claims.tests.factories import make_attribution, make_claim, make_corroboration, make_topic, make_user
from sources.tests.factories import make_actor, make_article, make_group

pytestmark = pytest.mark.django_db

State = Claim.State
CLAIM_LINK = re.compile(r'href="/desk/claims/\d+/"')


def fill_dashboard(*, editor, n):
    """``n`` claims in every dashboard section: the editor's own drafts, claims sent
    back to them (with the editor's note), claims they submitted, other reporters'
    claims waiting for review, and published claims."""
    reporter = make_user("queue-reporter", role="Reporters")
    for i in range(n):
        make_claim(statement=f"Draft {i}", created_by=editor)
        sent_back = make_claim(statement=f"Sent back {i}", created_by=editor)
        sent_back.submit(by=editor, version=1)
        sent_back.send_back(by=editor, version=2, note=f"Name the unit ({i}).")
        mine = make_claim(statement=f"Submitted {i}", created_by=editor)
        mine.submit(by=editor, version=1)
        queued = make_claim(statement=f"Queued {i}", created_by=reporter)
        queued.submit(by=reporter, version=1, note="Ready.")
        make_claim(statement=f"Published {i}", state=State.PUBLISHED)


@pytest.mark.parametrize("n", [1, 12])
def test_it_renders_an_editors_dashboard_in_constant_queries(client, django_assert_num_queries, editor, n):
    fill_dashboard(editor=editor, n=n)
    client.force_login(editor)

    # 1. the session; 2. the user; 3. the authenticator that verified the session
    # (two-factor sign-in); 4.-5. their own and their groups' permissions;
    # 6. the review queue (with reporters and submission times); 7. claims sent back
    # to them (with the latest note and who wrote it); 8. their drafts; 9. their claims
    # in review; 10. recently published; 11. recently changed published claims
    with django_assert_num_queries(11):
        response = client.get(reverse("claims:dashboard"))

    content = response.content.decode()
    # The queue holds 2n (theirs and the editor's own), three more sections n each,
    # and two lists the latest ten published.
    assert len(CLAIM_LINK.findall(content)) == 5 * n + 2 * min(n, 10)
    assert f"Name the unit ({n - 1})." in content


@pytest.mark.parametrize("n", [1, 12])
def test_it_renders_a_reporters_dashboard_in_constant_queries(client, django_assert_num_queries, reporter, n):
    for i in range(n):
        make_claim(statement=f"Draft {i}", created_by=reporter)
        make_claim(statement=f"Published {i}", state=State.PUBLISHED)
    client.force_login(reporter)

    # 1. the session; 2. the user; 3.-4. permissions; 5. whether they have an authenticator
    # (two-factor sign-in is theirs to turn on); 6. sent back to them; 7. their drafts;
    # 8. their claims in review; 9. recently published
    with django_assert_num_queries(9):
        response = client.get(reverse("claims:dashboard"))

    assert len(CLAIM_LINK.findall(response.content.decode())) == n + min(n, 10)


def fill_claim(*, editor, n):
    """A published claim with ``n`` relay chains of three reports, ``n`` corroborations,
    ``n`` topics and regions, review events and ``n`` corrections in its history."""
    reporter = make_user("claim-reporter", role="Reporters")
    claim = make_claim(statement="Blocking units fired on retreating soldiers.", created_by=reporter)
    state_group = make_group()
    for i in range(n):
        origin = make_attribution(claim=claim, actor=make_actor(independence_group=state_group), quote=f"Origin {i}")
        outlet = make_attribution(claim=claim, via=origin, actor=make_actor(is_protected=True, pseudonym=f"P{i}"))
        make_attribution(claim=claim, via=outlet, stance="asserts", article=make_article(published_on="2024-05-01"))
        make_attribution(claim=claim, stance="denies", credibility=3, estimative_term="likely")
        make_corroboration(claim=claim, performed_by=make_actor(), notes=f"<p>Finding {i}</p>")
        make_corroboration(claim=claim, performed_on="2024-05-02", evidence_url="https://archive.example/v")
        claim.topics.add(make_topic(name=f"Topic {i}"))
    claim.regions.add(*Region.objects.all()[:n])
    claim.submit(by=reporter, version=1, note="Ready.")
    claim.publish(by=editor, version=2)
    for i in range(n):
        claim.set_status(
            by=editor,
            version=claim.version,
            status="disputed" if i % 2 == 0 else "corroborated",
            reason=f"R{i}",
            public=True,
        )
        claim.statement = f"Blocking units fired on retreating soldiers ({i})."
        claim.save()
        claim.record_correction(by=editor, note=f"Correction {i}.")
    return claim


@pytest.mark.parametrize("n", [1, 10])
def test_it_renders_the_claim_page_in_constant_queries(client, django_assert_num_queries, editor, n):
    claim = fill_claim(editor=editor, n=n)
    client.force_login(editor)

    # 1. the session; 2. the user; 3. the authenticator that verified the session;
    # 4.-5. permissions; 6. the claim and its author;
    # 7. its reports with actors, articles, outlets; 8. its corroborations with who
    # performed and logged them; 9. its history with who made each change; 10. topics;
    # 11. regions; 12. review events with their users. Relay chains, origins and the
    # evidence summary are worked out from the reports already fetched.
    with django_assert_num_queries(12):
        response = client.get(reverse("claims:claim_detail", args=[claim.pk]))

    content = response.content.decode()
    assert content.count('class="report"') == 4 * n
    assert content.count('aria-label="Relay chain to the origin"') == 2 * n
    assert content.count("<strong>Corrected</strong>") == n
    assert ReviewEvent.objects.filter(claim=claim).count() == 2 + 2 * n


@pytest.mark.parametrize("n", [1, 10])
def test_it_renders_the_edit_form_in_constant_queries(client, editor, n):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    claim = make_claim(created_by=editor)
    origin = make_attribution(claim=claim, actor=make_actor(name="GUR"))
    for _ in range(n):
        make_attribution(claim=claim, via=origin)
        make_corroboration(claim=claim)
    client.force_login(editor)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("claims:claim_edit", args=[claim.pk]))

    assert response.status_code == 200
    # session, user, the authenticator that verified the session, two permission lookups,
    # the claim, its topics and regions, the
    # attribution rows with their articles, actor and relay choices, the saved chains,
    # the corroboration rows, their actor choices, the topic and region choice lists:
    # rows share their choice lists, so nothing here is per row.
    assert len(queries) == EDIT_FORM_QUERIES, [q["sql"][:120] for q in queries.captured_queries]


EDIT_FORM_QUERIES = 16
