"""The stored evidence summary follows every kind of edit."""

from datetime import date

import pytest

from claims.models import Attribution, Claim
from claims.tests.factories import make_attribution, make_claim
from sources.tests.factories import make_actor, make_article, make_group

pytestmark = pytest.mark.django_db


def stored(claim: Claim) -> tuple[int, int, bool]:
    claim.refresh_from_db()
    return claim.report_count, claim.independent_origin_count, claim.has_denial


def assert_matches_live_summary(claim: Claim) -> None:
    claim = Claim.objects.get(pk=claim.pk)
    live = claim.evidence_summary()
    assert (claim.report_count, claim.independent_origin_count, claim.has_denial) == (
        live.report_count,
        live.independent_origin_count,
        bool(live.denying),
    )


@pytest.fixture
def claim():
    return make_claim()


def test_it_counts_an_added_attribution(claim):
    assert stored(claim) == (0, 0, False)
    make_attribution(claim=claim)
    assert stored(claim) == (1, 1, False)


def test_it_counts_a_denial(claim):
    make_attribution(claim=claim, stance=Attribution.Stance.DENIES)
    assert stored(claim) == (1, 0, True)


def test_it_follows_a_changed_stance(claim):
    attribution = make_attribution(claim=claim)
    attribution.stance = Attribution.Stance.DENIES
    attribution.save()
    assert stored(claim) == (1, 0, True)


def test_it_forgets_a_removed_attribution(claim):
    make_attribution(claim=claim)
    second = make_attribution(claim=claim)
    assert stored(claim)[1] == 2
    second.delete()
    assert stored(claim) == (1, 1, False)


def test_it_follows_a_changed_via_chain(claim):
    gur = make_actor(name="GUR")
    origin = make_attribution(claim=claim, actor=gur)
    relay = make_attribution(claim=claim, actor=make_actor(name="Ziare"))
    assert stored(claim)[1] == 2
    relay.via = origin
    relay.save()
    assert stored(claim)[1] == 1
    assert_matches_live_summary(claim)


def test_it_follows_an_actors_independence_group(claim):
    state = make_group(name="Ukrainian state")
    gur = make_actor(name="GUR", independence_group=state)
    staff = make_actor(name="General Staff")
    make_attribution(claim=claim, actor=gur)
    make_attribution(claim=claim, actor=staff)
    assert stored(claim)[1] == 2
    staff.independence_group = state
    staff.save()
    assert stored(claim)[1] == 1
    assert_matches_live_summary(claim)


def test_it_dates_the_first_report_and_follows_article_dates(claim):
    early = make_article(published_on=date(2024, 3, 1))
    make_attribution(claim=claim, article=early)
    make_attribution(claim=claim, article=make_article(published_on=date(2024, 5, 1)))
    claim.refresh_from_db()
    assert claim.first_reported_on == date(2024, 3, 1)
    early.published_on = date(2024, 6, 1)
    early.save()
    claim.refresh_from_db()
    assert claim.first_reported_on == date(2024, 5, 1)


def test_its_search_document_holds_public_text_only(claim):
    maria = make_actor(name="Real Name Hidden", is_protected=True, pseudonym="Maria")
    make_attribution(claim=claim, actor=maria, quote="I hear it every night")
    claim.notes = "<p>Context <em>for readers</em></p>"
    claim.save()
    claim.refresh_from_db()
    assert "I hear it every night" in claim.search_document
    assert "Maria" in claim.search_document
    assert "Real Name Hidden" not in claim.search_document
    assert "<em>" not in claim.search_document
    assert "for readers" in claim.search_document


def test_it_refreshes_many_claims_in_a_bounded_number_of_queries(django_assert_max_num_queries):
    actor = make_actor(name="GUR")
    claims = [make_claim(statement=f"Claim {n}") for n in range(30)]
    for claim in claims:
        make_attribution(claim=claim, actor=actor)
    # ids, claims, attributions with actors/articles/outlets, corroborations, bulk update
    # (+ the vector update on PostgreSQL), whatever the number of claims.
    with django_assert_max_num_queries(8):
        assert Claim.objects.filter(attributions__actor=actor).refresh_evidence() == 30


# ---------------------------------------------------------------------------
# Every kind of edit keeps the stored summary equal to the one worked out live
# ---------------------------------------------------------------------------


def test_it_follows_an_attribution_moved_to_another_actor(claim):
    state = make_group(name="Ukrainian state")
    gur = make_actor(name="GUR", independence_group=state)
    make_attribution(claim=claim, actor=gur)
    second = make_attribution(claim=claim, actor=make_actor(name="General Staff", independence_group=state))
    assert stored(claim) == (2, 1, False)
    second.actor = make_actor(name="AP")
    second.save()
    assert stored(claim) == (2, 2, False)
    assert_matches_live_summary(claim)


def test_it_follows_a_relay_cut_from_its_origin_and_a_chain_rerooted(claim):
    gur = make_attribution(claim=claim, actor=make_actor(name="GUR"))
    ziare = make_attribution(claim=claim, actor=make_actor(name="Ziare"), via=gur)
    aggregator = make_attribution(claim=claim, actor=make_actor(name="Aggregator"), via=ziare)
    assert stored(claim) == (3, 1, False)
    # The middle link now cites its own source: two origins, the aggregator following Ziare.
    ziare.via = None
    ziare.save()
    assert stored(claim) == (3, 2, False)
    # The aggregator is re-rooted straight onto GUR: still two origins, and it counts with GUR.
    aggregator.via = gur
    aggregator.save()
    assert stored(claim) == (3, 2, False)
    assert_matches_live_summary(claim)


def test_it_forgets_a_removed_denial_and_a_removed_first_report(claim):
    early = make_attribution(claim=claim, article=make_article(published_on=date(2024, 1, 5)))
    make_attribution(claim=claim, article=make_article(published_on=date(2024, 2, 5)))
    denial = make_attribution(claim=claim, stance=Attribution.Stance.DENIES)
    assert stored(claim) == (3, 2, True)
    denial.delete()
    early.delete()
    claim.refresh_from_db()
    assert (claim.report_count, claim.independent_origin_count, claim.has_denial) == (1, 1, False)
    assert claim.first_reported_on == date(2024, 2, 5)


def test_an_actor_leaving_its_group_counts_alone_again_on_every_claim_citing_it():
    state = make_group(name="Russian state")
    kremlin = make_actor(name="Kremlin", independence_group=state)
    mod = make_actor(name="Russian MoD", independence_group=state)
    claims = [make_claim(statement=f"Claim {n}") for n in range(3)]
    for claim in claims:
        make_attribution(claim=claim, actor=kremlin)
        make_attribution(claim=claim, actor=mod)
    assert [stored(claim)[1] for claim in claims] == [1, 1, 1]
    mod.independence_group = None
    mod.save()
    assert [stored(claim)[1] for claim in claims] == [2, 2, 2]
    for claim in claims:
        assert_matches_live_summary(claim)


def test_search_text_follows_quotes_and_protection(claim):
    actor = make_actor(name="Olena Realsurname")
    attribution = make_attribution(claim=claim, actor=actor, quote="first words")
    attribution.quote = "second words"
    attribution.save()
    claim.refresh_from_db()
    assert "second words" in claim.search_document
    assert "first words" not in claim.search_document
    assert "Olena Realsurname" in claim.search_document
    # Protected later: the real name leaves the search text of every claim citing the actor.
    actor.is_protected, actor.pseudonym = True, "Maria"
    actor.save()
    claim.refresh_from_db()
    assert "Olena Realsurname" not in claim.search_document
    assert "Maria" in claim.search_document


def test_a_claim_rewritten_through_the_api_keeps_its_summary(reporter):
    from claims.tests.api import API, api_client

    gur, ap = make_actor(name="GUR"), make_actor(name="AP")
    claim = make_claim(created_by=reporter)
    first = make_attribution(claim=claim, actor=gur)
    make_attribution(claim=claim, actor=ap, via=first)
    assert stored(claim) == (2, 1, False)

    # The reports replaced in one request: the relay dropped, a denial added.
    response = api_client(reporter).patch(
        f"{API}/claims/{claim.pk}/",
        {
            "version": claim.version,
            "attributions": [
                {"id": first.pk, "article": first.article_id, "actor": gur.pk, "stance": "asserts"},
                {"article": make_article().pk, "actor": ap.pk, "stance": "denies"},
            ],
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert stored(claim) == (2, 1, True)
    assert_matches_live_summary(claim)
