"""What must always hold is held by the database, not only by forms.

Each case writes a bad value straight through ``QuerySet.update`` (which
skips model validation and ``save()``) and expects the database to refuse it.
"""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from claims.models import Attribution, Claim, Corroboration, EvidenceItem, ReviewEvent
from claims.tests.factories import make_attribution, make_claim, make_corroboration
from sources.models import Actor, Article, Outlet
from sources.tests.factories import make_actor, make_article, make_group, make_outlet

pytestmark = pytest.mark.django_db


def assert_refused(model, pk, **bad_values):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=pk).update(**bad_values)


def make_review_event(**fields):
    claim = fields.pop("claim", None) or make_claim()
    fields.setdefault("action", ReviewEvent.Action.SUBMIT)
    return ReviewEvent.objects.create(claim=claim, user=claim.created_by, **fields)


def make_evidence(**fields):
    fields.setdefault("title", "Intercepted call")
    fields.setdefault("kind", EvidenceItem.Kind.AUDIO_INTERCEPT)
    return EvidenceItem.objects.create(**fields)


BAD_VALUES = [
    pytest.param(make_outlet, {"kind": "tabloid"}, id="outlet-kind"),
    pytest.param(make_article, {"language": "klingon"}, id="article-language"),
    pytest.param(make_article, {"url": "javascript:alert(1)"}, id="article-url-scheme"),
    pytest.param(make_article, {"url": "data:text/html,hi"}, id="article-url-data"),
    pytest.param(make_article, {"archive_url": "ftp://archive.example/x"}, id="article-archive-scheme"),
    pytest.param(make_article, {"captured_text": "Text without a hash"}, id="article-capture-without-hash"),
    pytest.param(make_actor, {"kind": "wizard"}, id="actor-kind"),
    pytest.param(make_actor, {"side": "both"}, id="actor-side"),
    pytest.param(make_actor, {"reliability": "G"}, id="actor-reliability"),
    pytest.param(make_actor, {"is_protected": True, "pseudonym": ""}, id="actor-protected-no-pseudonym"),
    pytest.param(make_claim, {"state": "lost"}, id="claim-state"),
    pytest.param(make_claim, {"status": "probably"}, id="claim-status"),
    pytest.param(make_claim, {"state": Claim.State.PUBLISHED, "published_at": None}, id="claim-public-no-date"),
    pytest.param(
        make_claim,
        {"event_start": date(2024, 5, 2), "event_end": date(2024, 5, 1)},
        id="claim-event-range-reversed",
    ),
    pytest.param(make_claim, {"event_start": None, "event_end": date(2024, 5, 1)}, id="claim-event-end-alone"),
    pytest.param(make_evidence, {"kind": "rumour"}, id="evidence-kind"),
    pytest.param(make_evidence, {"authenticity": "fishy"}, id="evidence-authenticity"),
    pytest.param(make_evidence, {"file_sha256": "not-a-hash"}, id="evidence-sha256"),
    pytest.param(make_evidence, {"url": "javascript:alert(1)"}, id="evidence-url"),
    pytest.param(make_review_event, {"action": "delete"}, id="review-action"),
    pytest.param(make_review_event, {"to_state": "lost"}, id="review-to-state"),
    pytest.param(make_review_event, {"from_status": "maybe"}, id="review-from-status"),
    pytest.param(
        make_review_event, {"action": ReviewEvent.Action.SEND_BACK, "note": ""}, id="review-send-back-no-note"
    ),
    pytest.param(
        make_review_event, {"action": ReviewEvent.Action.SET_STATUS, "note": ""}, id="review-status-no-reason"
    ),
    pytest.param(
        make_review_event,
        {"action": ReviewEvent.Action.CORRECT, "note": "Fixed the date.", "is_public": False},
        id="review-correction-internal",
    ),
    pytest.param(
        make_review_event,
        {"action": ReviewEvent.Action.WITHDRAW, "note": "", "is_public": True},
        id="review-withdraw-no-reason",
    ),
]


@pytest.mark.parametrize(("factory", "bad_values"), BAD_VALUES)
def test_it_refuses_invalid_values_in_the_database(factory, bad_values):
    obj = factory()
    assert_refused(type(obj), obj.pk, **bad_values)


def test_it_accepts_the_valid_versions_of_those_records():
    # The refusals above mean something only if a sound record is accepted.
    claim = make_claim(event_start=date(2024, 5, 1), event_end=date(2024, 5, 3))
    make_review_event(claim=claim, action=ReviewEvent.Action.WITHDRAW, note="Source retracted.", is_public=True)
    make_actor(is_protected=True, pseudonym="Maria")
    make_evidence(file_sha256="a" * 64, url="https://gur.example/intercept")


@pytest.mark.parametrize(
    "bad_values",
    [
        pytest.param({"stance": "shrugs"}, id="stance"),
        pytest.param({"estimative_term": "sort of likely"}, id="estimative-term"),
        pytest.param({"credibility": 7}, id="credibility-above-6"),
        pytest.param({"credibility": 0}, id="credibility-below-1"),
    ],
)
def test_it_refuses_invalid_attribution_values(bad_values):
    attribution = make_attribution(claim=make_claim())
    assert_refused(Attribution, attribution.pk, **bad_values)


def test_it_refuses_an_attribution_relaying_itself():
    attribution = make_attribution(claim=make_claim())
    assert_refused(Attribution, attribution.pk, via=attribution.pk)


def test_it_refuses_two_attributions_of_one_actor_in_one_article_for_one_claim():
    first = make_attribution(claim=make_claim())
    with pytest.raises(IntegrityError), transaction.atomic():
        make_attribution(claim=first.claim, actor=first.actor, article=first.article, stance="denies")


def test_it_refuses_invalid_corroboration_values():
    corroboration = make_corroboration(claim=make_claim())
    assert_refused(Corroboration, corroboration.pk, method="astrology")
    assert_refused(Corroboration, corroboration.pk, finding="maybe")
    assert_refused(Corroboration, corroboration.pk, evidence_url="javascript:alert(1)")


def test_it_refuses_duplicate_article_urls_that_differ_only_in_tracking():
    outlet = make_outlet()
    make_article(url="https://www.AP.example/story?id=7&utm_source=x#top", outlet=outlet)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(url="HTTPS://www.ap.example/story?id=7&fbclid=abc", outlet=outlet)
    assert Article.objects.count() == 1


def test_it_refuses_duplicate_outlet_and_actor_names():
    make_outlet(name="Kyiv Post")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_outlet(name="Kyiv Post")
    make_actor(name="GUR")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_actor(name="GUR")


class TestDeletionProtectsHistory:
    def test_it_keeps_outlets_that_have_articles(self):
        article = make_article()
        with pytest.raises(ProtectedError):
            article.outlet.delete()
        assert Outlet.objects.filter(pk=article.outlet_id).exists()

    def test_it_keeps_articles_and_actors_that_claims_cite(self):
        attribution = make_attribution(claim=make_claim())
        with pytest.raises(ProtectedError):
            attribution.article.delete()
        with pytest.raises(ProtectedError):
            attribution.actor.delete()

    def test_it_keeps_a_report_that_another_relays(self):
        claim = make_claim()
        origin = make_attribution(claim=claim)
        make_attribution(claim=claim, via=origin)
        with pytest.raises(ProtectedError):
            origin.delete()

    def test_it_keeps_a_claim_that_has_been_through_review(self):
        event = make_review_event()
        with pytest.raises(ProtectedError):
            event.claim.delete()
        assert Claim.objects.filter(pk=event.claim_id).exists()

    def test_it_keeps_independence_groups_in_use(self):
        actor = make_actor(independence_group=make_group())
        with pytest.raises(ProtectedError):
            actor.independence_group.delete()
        assert Actor.objects.get(pk=actor.pk).independence_group_id is not None

    def test_it_deletes_an_unreviewed_draft_with_its_reports(self):
        # A draft never submitted is the reporter's scratch work: it may go, whole.
        claim = make_claim()
        make_attribution(claim=claim)
        make_corroboration(claim=claim)
        claim.delete()
        assert not Attribution.objects.exists()
        assert not Corroboration.objects.exists()
