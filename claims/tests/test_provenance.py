"""Origin tracing and the weight of evidence behind a claim."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import provenance
from claims.models import Attribution, Claim
from claims.tests.factories import make_attribution, make_claim, make_corroboration
from sources.tests.factories import make_actor, make_article, make_group, make_outlet

pytestmark = pytest.mark.django_db

ASSERTS = Attribution.Stance.ASSERTS
DENIES = Attribution.Stance.DENIES


@pytest.fixture
def claim():
    return make_claim()


@pytest.fixture
def ukrainian_state():
    return make_group(name="Ukrainian state")


@pytest.fixture
def gur(ukrainian_state):
    return make_actor(name="GUR", independence_group=ukrainian_state)


def relay_chain(*, claim, origin_actor, length):
    """The origin's own report, then ``length - 1`` outlets each relaying the previous one."""
    report = make_attribution(claim=claim, actor=origin_actor)
    chain = [report]
    for _ in range(length - 1):
        report = make_attribution(claim=claim, actor=origin_actor, via=report)
        chain.append(report)
    return chain


class TestOrigin:
    def test_it_follows_via_back_to_the_root(self, claim, gur):
        gur_report, ziare, aggregator = relay_chain(claim=claim, origin_actor=gur, length=3)

        assert aggregator.via_chain() == [aggregator, ziare, gur_report]
        assert aggregator.origin == gur_report
        assert gur_report.origin == gur_report

    def test_it_survives_a_cycle_that_got_into_the_database(self, claim, gur):
        first, second = relay_chain(claim=claim, origin_actor=gur, length=2)
        # Only a raw write can create this; validation refuses it (below).
        Attribution.objects.filter(pk=first.pk).update(via=second)
        first.refresh_from_db()

        assert first.via_chain() == [first, second]
        summary = claim.evidence_summary()
        assert len(summary.origins) == 1

    def test_it_stops_at_absurd_depth(self, claim, gur):
        chain = relay_chain(claim=claim, origin_actor=gur, length=provenance.MAX_VIA_DEPTH + 5)

        assert len(chain[-1].via_chain()) == provenance.MAX_VIA_DEPTH + 1


class TestViaValidation:
    def test_it_rejects_a_report_relaying_itself(self, claim):
        report = make_attribution(claim=claim)
        report.via_id = report.pk

        with pytest.raises(ValidationError) as excinfo:
            report.full_clean()
        assert "via" in excinfo.value.message_dict

    def test_it_rejects_a_cycle(self, claim, gur):
        first, _, third = relay_chain(claim=claim, origin_actor=gur, length=3)
        first.via = third

        with pytest.raises(ValidationError, match="loop"):
            first.full_clean()

    def test_it_rejects_relaying_a_report_of_another_claim(self, claim):
        elsewhere = make_attribution(claim=make_claim(statement="Another claim"))
        report = Attribution(claim=claim, actor=make_actor(), article=make_article(), stance=ASSERTS, via=elsewhere)

        with pytest.raises(ValidationError, match="same claim"):
            report.full_clean()

    def test_it_rejects_an_assertion_relaying_a_denial(self, claim):
        denial = make_attribution(claim=claim, stance=DENIES)
        report = Attribution(claim=claim, actor=make_actor(), article=make_article(), stance=ASSERTS, via=denial)

        with pytest.raises(ValidationError, match="keeps its stance"):
            report.full_clean()

    def test_it_rejects_a_chain_deeper_than_the_limit(self, claim, gur):
        chain = relay_chain(claim=claim, origin_actor=gur, length=provenance.MAX_VIA_DEPTH)
        report = Attribution(claim=claim, actor=gur, article=make_article(), stance=ASSERTS, via=chain[-1])

        with pytest.raises(ValidationError, match="limited"):
            report.full_clean()

    def test_it_accepts_a_sound_relay(self, claim, gur):
        origin = make_attribution(claim=claim, actor=gur)
        report = Attribution(claim=claim, actor=gur, article=make_article(), stance=ASSERTS, via=origin)

        report.full_clean()


class TestIndependentOrigins:
    def test_three_articles_relaying_one_gur_intercept_are_one_origin(self, claim, gur):
        relay_chain(claim=claim, origin_actor=gur, length=3)

        summary = claim.evidence_summary()
        assert summary.report_count == 3
        assert [origin.actor for origin in summary.origins] == [gur]
        assert summary.independent_origin_count == 1

    def test_outlets_citing_gur_directly_still_count_one_origin(self, claim, gur):
        for outlet_name in ("Ziare", "Kyiv Post", "An aggregator"):
            make_attribution(claim=claim, actor=gur, article=make_article(outlet=make_outlet(name=outlet_name)))

        assert claim.evidence_summary().independent_origin_count == 1

    def test_gur_uk_mod_and_ap_are_three_independent_origins(self, claim, gur):
        make_attribution(claim=claim, actor=gur)
        make_attribution(claim=claim, actor=make_actor(name="UK Ministry of Defence"), stance="assesses")
        make_attribution(claim=claim, actor=make_actor(name="Associated Press", kind="media"))

        summary = claim.evidence_summary()
        assert len(summary.origins) == 3
        assert summary.independent_origin_count == 3

    def test_two_organs_of_one_state_are_one_independent_origin(self, claim, gur, ukrainian_state):
        general_staff = make_actor(name="General Staff of Ukraine", independence_group=ukrainian_state)
        make_attribution(claim=claim, actor=gur)
        make_attribution(claim=claim, actor=general_staff)

        summary = claim.evidence_summary()
        assert len(summary.origins) == 2
        assert summary.independent_origin_count == 1

    def test_a_relayed_report_counts_for_its_origin_not_its_relayer(self, claim, gur):
        origin = make_attribution(claim=claim, actor=gur)
        make_attribution(claim=claim, actor=make_actor(name="Ziare", kind="media"), via=origin)

        summary = claim.evidence_summary()
        assert [o.actor for o in summary.origins] == [gur]
        assert len(summary.origins[0].attributions) == 2

    def test_denials_are_kept_apart_from_support(self, claim, gur):
        kremlin = make_actor(name="Kremlin")
        make_attribution(claim=claim, actor=gur)
        make_attribution(claim=claim, actor=kremlin, stance=DENIES)

        summary = claim.evidence_summary()
        assert summary.independent_origin_count == 1
        assert [a.actor for a in summary.denying] == [kremlin]
        assert summary.denied_by == [kremlin]

    def test_a_claim_with_no_reports_has_no_origins(self, claim):
        summary = claim.evidence_summary()
        assert summary.origins == []
        assert summary.independent_origin_count == 0
        assert summary.report_count == 0


class TestEvidenceSummary:
    def test_it_counts_corroboration_findings_by_result(self, claim):
        make_corroboration(claim=claim, finding="supports")
        make_corroboration(claim=claim, finding="supports", method="identity_relatives")
        make_corroboration(claim=claim, finding="inconclusive", method="audio_forensics")

        assert claim.evidence_summary().findings == {"supports": 2, "inconclusive": 1}

    @pytest.mark.parametrize("relays", [1, 12])
    def test_it_uses_two_queries_however_many_reports(self, claim, gur, relays):
        relay_chain(claim=claim, origin_actor=gur, length=relays)
        make_attribution(claim=claim, actor=make_actor(name="Kremlin"), stance=DENIES)
        make_corroboration(claim=claim)
        claim = Claim.objects.get(pk=claim.pk)

        with CaptureQueriesContext(connection) as queries:
            summary = claim.evidence_summary()
            # Reading what a page shows must not trigger lazy loads either.
            _ = [(o.actor.public_name, o.independence_key) for o in summary.origins]
            _ = [(a.article.outlet.name, a.actor.public_name) for a in summary.supporting + summary.denying]

        # 1. attributions with their actors, articles and outlets; 2. corroborations
        assert len(queries) == 2
        assert summary.report_count == relays + 1

    def test_it_uses_prefetched_reports_without_further_queries(self, claim, gur, django_assert_num_queries):
        relay_chain(claim=claim, origin_actor=gur, length=4)
        claims = list(
            Claim.objects.prefetch_related("attributions__actor", "attributions__article__outlet", "corroborations")
        )

        with django_assert_num_queries(0):
            assert claims[0].evidence_summary().independent_origin_count == 1
