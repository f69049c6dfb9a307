"""The public never sees a draft, an in-review claim, an internal note or a protected identity.

A newsroom holding hidden material, each piece carrying a unique marker, is
read through every public URL: lists with every filter, searches, claim,
actor, outlet and topic pages, all feeds, the CSV export and error pages. No
marker may appear anywhere, and every count covers public claims only.
"""

from datetime import date
from types import SimpleNamespace

import feedparser
import pytest
from django.urls import reverse

import public.views
from claims.models import Attribution, Claim, Corroboration, Region
from claims.search import search_claims
from claims.tests.factories import make_attribution, make_claim, make_corroboration, make_topic
from public.tests.helpers import body, csv_rows, listed_ids, publish, result_count, set_status
from sources.models import Actor, Outlet
from sources.tests.factories import make_actor, make_article, make_outlet

pytestmark = pytest.mark.django_db

State = Claim.State
Status = Claim.Status

DRAFT = "LEAKMARKER-DRAFT-7f3a"
REVIEW = "LEAKMARKER-REVIEW-91c2"
SENT_BACK = "LEAKMARKER-SENTBACK-4d0e"
DRAFT_NOTES = "LEAKMARKER-NOTES-e52b"
SUBMIT_NOTE = "LEAKMARKER-SUBMITNOTE-6a4f"
SEND_BACK_NOTE = "LEAKMARKER-SENDBACKNOTE-b81d"
INTERNAL_REASON = "LEAKMARKER-STATUSREASON-2c6a"  # a non-public status reason on a published claim
REVIEW_REASON = "LEAKMARKER-REVIEWREASON-d7e0"  # a "public" reason, but on a claim still in review
QUOTE = "LEAKMARKER-QUOTE-c3f1"
OUTLET = "LEAKMARKER-OUTLET-8b2d"
HEADLINE = "LEAKMARKER-HEADLINE-3b9e"
HIDDEN_ACTOR = "LEAKMARKER-HIDDENACTOR-91fa"  # a public actor no public claim cites
REAL_NAME = "LEAKMARKER-NAME-5e9b"
DESCRIPTION = "LEAKMARKER-DESC-0a7c"
PSEUDONYM = "Maria"

MARKERS = [
    DRAFT,
    REVIEW,
    SENT_BACK,
    DRAFT_NOTES,
    SUBMIT_NOTE,
    SEND_BACK_NOTE,
    INTERNAL_REASON,
    REVIEW_REASON,
    QUOTE,
    OUTLET,
    HEADLINE,
    HIDDEN_ACTOR,
    REAL_NAME,
    DESCRIPTION,
]
# Words that occur only in hidden statements.
HIDDEN_WORDS = ["quokka", "pangolin", "axolotl"]


@pytest.fixture
def newsroom(reporter, editor):
    barrier = make_topic(name="Barrier units", slug="barrier-units")
    refusals = make_topic(name="Refusals", slug="refusals")
    donetsk = Region.objects.get(slug="donetsk")
    gur = make_actor(name="GUR")
    kremlin = make_actor(name="Kremlin", side=Actor.Side.RUSSIA)
    maria = make_actor(
        name=REAL_NAME,
        kind=Actor.Kind.INDIVIDUAL,
        is_protected=True,
        pseudonym=PSEUDONYM,
        description=DESCRIPTION,
    )
    hidden_actor = make_actor(name=HIDDEN_ACTOR, description="Only a draft cites this actor.")
    ziare = make_outlet(name="Ziare")
    kyiv_post = make_outlet(name="Kyiv Post")
    hidden_outlet = make_outlet(name=OUTLET)
    ziare_article = make_article(outlet=ziare, headline="Intercepts of blocking units", published_on=date(2024, 3, 2))
    kyiv_post_article = make_article(
        outlet=kyiv_post, headline="A wiretap specialist on the intercepts", published_on=date(2024, 3, 5)
    )
    hidden_article = make_article(outlet=hidden_outlet, headline=HEADLINE, published_on=date(2024, 3, 9))

    # Public: a published claim (the protected actor vouches for it) and a withdrawn one.
    published = make_claim(
        statement="Blocking units fired on soldiers retreating from Avdiivka.",
        created_by=reporter,
        event_start=date(2024, 2, 10),
    )
    published.topics.add(barrier)
    published.regions.add(donetsk)
    make_attribution(claim=published, actor=gur, article=ziare_article, quote="Our service intercepted the calls.")
    make_attribution(
        claim=published, actor=maria, article=kyiv_post_article, quote="I have listened to hundreds of these calls."
    )
    make_attribution(
        claim=published,
        actor=kremlin,
        article=ziare_article,
        stance=Attribution.Stance.DENIES,
        quote="The recordings are fakes.",
    )
    make_corroboration(
        claim=published,
        method=Corroboration.Method.EXPERT_INTERVIEW,
        performed_by=maria,
        notes="Vouched for the voices.",
    )
    publish(published, editor=editor, submitted_by=reporter, submit_note=SUBMIT_NOTE, note="Published after review.")
    set_status(published, editor=editor, status=Status.CORROBORATED, reason="Two independent origins agree.")
    set_status(published, editor=editor, status=Status.CONFIRMED, reason=INTERNAL_REASON, public=False)

    withdrawn = make_claim(statement="Conscripts were sent to the Kursk front.", created_by=reporter)
    withdrawn.topics.add(refusals)
    make_attribution(claim=withdrawn, actor=gur, article=kyiv_post_article)
    publish(withdrawn, editor=editor)
    withdrawn.withdraw(by=editor, version=withdrawn.version, note="The report was retracted by its source.")

    # Hidden: a draft, a claim in review, a claim sent back.
    draft = make_claim(
        statement=f"{DRAFT}: a quokka was seen near the front.",
        notes=f"<p>{DRAFT_NOTES}</p>",
        created_by=reporter,
        event_start=date(2024, 2, 12),
    )
    draft.topics.add(barrier)
    draft.regions.add(donetsk)
    make_attribution(claim=draft, actor=hidden_actor, article=hidden_article, quote="Seen by our stringer.")
    make_attribution(claim=draft, actor=gur, article=hidden_article)
    make_attribution(claim=draft, actor=maria, article=hidden_article, quote="I was there too.")

    in_review = make_claim(statement=f"{REVIEW}: pangolin battalions deserted.", created_by=reporter)
    in_review.topics.add(barrier, refusals)
    make_attribution(claim=in_review, actor=gur, article=ziare_article, quote=f"{QUOTE} they all ran.")
    make_attribution(claim=in_review, actor=kremlin, article=ziare_article, stance=Attribution.Stance.DENIES)
    in_review.submit(by=reporter, version=in_review.version, note="Ready for a look.")
    set_status(in_review, editor=editor, status=Status.SINGLE_ORIGIN, reason=REVIEW_REASON, public=True)

    sent_back = make_claim(statement=f"{SENT_BACK}: axolotl units were formed.", created_by=reporter)
    sent_back.topics.add(refusals)
    make_attribution(claim=sent_back, actor=maria, article=kyiv_post_article, quote="An axolotl unit exists.")
    sent_back.submit(by=reporter, version=sent_back.version)
    sent_back.send_back(by=editor, version=sent_back.version, note=SEND_BACK_NOTE)

    return SimpleNamespace(
        published=published,
        withdrawn=withdrawn,
        hidden=[draft, in_review, sent_back],
        topics=[barrier, refusals],
        region=donetsk,
        actors=[gur, kremlin, maria, hidden_actor],
        public_actors=[gur, kremlin],
        maria=maria,
        outlets=[ziare, kyiv_post, hidden_outlet],
    )


def assert_no_marker(response, url):
    content = body(response)
    leaked = [marker for marker in MARKERS if marker in content]
    assert not leaked, f"{url} shows {leaked}"


def get(client, url, params=None, *, status=200):
    response = client.get(url, params or {})
    assert response.status_code == status, f"{url} {params}: {response.status_code}"
    assert_no_marker(response, f"{url} {params}")
    return response


def filter_params(newsroom):
    """Every filter of the list, alone, with values that match public and hidden claims alike."""
    params = [{"topic": topic.slug} for topic in newsroom.topics]
    params += [{"status": status} for status in Status.values]
    params += [{"actor": actor.pk} for actor in newsroom.public_actors]
    params += [{"outlet": outlet.pk} for outlet in newsroom.outlets[:2]]
    params += [
        {"region": newsroom.region.slug},
        {"event_after": "2024-01-01"},
        {"event_before": "2024-12-31"},
        {"reported_after": "2024-01-01"},
        {"reported_before": "2024-12-31"},
        {"has_denial": "true"},
        {"has_denial": "false"},
        {"min_origins": "0"},
        {"min_origins": "1"},
        {"sort": "newest"},
        {"sort": "updated"},
        {"sort": "origins"},
        {"page": "2"},
        {"topic": "barrier-units", "region": "donetsk", "has_denial": "true", "sort": "origins"},
    ]
    return params


def test_the_list_counts_and_shows_public_claims_only(client, newsroom):
    response = get(client, reverse("home"))

    assert result_count(response) == 2
    assert sorted(listed_ids(response)) == sorted([newsroom.published.pk, newsroom.withdrawn.pk])


def test_no_filter_or_sort_reveals_hidden_claims(client, newsroom, monkeypatch):
    # One claim a page, so page 2 exists.
    monkeypatch.setattr(public.views, "CLAIMS_PER_PAGE", 1)
    public_ids = {newsroom.published.pk, newsroom.withdrawn.pk}
    for params in filter_params(newsroom):
        response = get(client, reverse("home"), params)
        assert set(listed_ids(response)) <= public_ids, params
        assert result_count(response) <= 2, params
        csv_response = get(client, reverse("public:claims_csv"), params)
        assert {int(row[0]) for row in csv_rows(csv_response)[1:]} <= public_ids, params


def test_filters_that_only_hidden_claims_match_find_nothing(client, newsroom):
    # The draft's region and event date, the in-review claim's status.
    for params in ({"event_after": "2024-02-11"}, {"status": Status.SINGLE_ORIGIN}):
        response = get(client, reverse("home"), params)
        assert result_count(response) == 0, params


def test_hidden_actors_and_outlets_are_not_filter_choices(client, newsroom):
    # Neither offered in the form nor accepted in the URL: naming them would say what drafts cite.
    hidden_outlet = newsroom.outlets[2]
    for params in ({"actor": newsroom.maria.pk}, {"actor": newsroom.actors[3].pk}, {"outlet": hidden_outlet.pk}):
        response = get(client, reverse("home"), params, status=400)
        assert "not one of the available choices" in body(response)
        get(client, reverse("public:claims_csv"), params, status=400)


def test_searches_for_hidden_text_find_nothing(client, newsroom):
    # Searched in lower case: the search box repeats the query, so an exact-case
    # marker in the page could only come from the database.
    for query in [m.lower() for m in MARKERS] + HIDDEN_WORDS:
        response = get(client, reverse("home"), {"q": query})
        assert result_count(response) == 0, query
        assert listed_ids(response) == [], query
        csv_response = get(client, reverse("public:claims_csv"), {"q": query})
        assert len(csv_rows(csv_response)) == 1, query


def test_the_same_searches_would_find_the_hidden_claims(newsroom):
    # Proof that the test above can fail: without the public() restriction they match.
    for query in [DRAFT.lower(), REVIEW.lower(), SENT_BACK.lower(), DRAFT_NOTES.lower(), QUOTE.lower(), *HIDDEN_WORDS]:
        assert search_claims(Claim.objects.all(), query).exclude(state__in=Claim.PUBLIC_STATES).exists(), query


def test_a_protected_actor_is_found_by_pseudonym_never_by_name(client, newsroom):
    assert result_count(get(client, reverse("home"), {"q": REAL_NAME.lower()})) == 0
    assert listed_ids(get(client, reverse("home"), {"q": PSEUDONYM})) == [newsroom.published.pk]


def test_every_claim_page_of_a_hidden_claim_is_a_plain_404(client, newsroom):
    hidden = {claim.pk for claim in newsroom.hidden}
    for pk in Claim.objects.values_list("pk", flat=True):
        get(client, reverse("public:claim_detail", args=[pk]), status=404 if pk in hidden else 200)
    highest = max(Claim.objects.values_list("pk", flat=True))
    for guess in range(highest + 1, highest + 6):
        get(client, reverse("public:claim_detail", args=[guess]), status=404)


def test_public_claim_pages_show_the_pseudonym_and_no_internal_note(client, newsroom):
    response = get(client, reverse("public:claim_detail", args=[newsroom.published.pk]))
    content = body(response)
    # The protected actor is on this page, under the pseudonym only, and unlinked.
    assert PSEUDONYM in content
    assert reverse("public:actor_detail", args=[newsroom.maria.pk]) not in content
    assert "Two independent origins agree." in content
    assert "Published after review." in content

    response = get(client, reverse("public:claim_detail", args=[newsroom.withdrawn.pk]))
    assert "The report was retracted by its source." in body(response)


def test_actor_pages_exist_only_for_actors_of_public_claims(client, newsroom):
    gur, kremlin, maria, hidden_actor = newsroom.actors
    assert set(Actor.objects.all()) == {gur, kremlin, maria, hidden_actor}
    for actor in (gur, kremlin):
        response = get(client, reverse("public:actor_detail", args=[actor.pk]))
        assert actor.name in body(response)
        assert set(listed_ids(response)) <= {newsroom.published.pk, newsroom.withdrawn.pk}
    for actor in (maria, hidden_actor):
        get(client, reverse("public:actor_detail", args=[actor.pk]), status=404)


def test_outlet_pages_exist_only_for_outlets_of_public_claims(client, newsroom):
    ziare, kyiv_post, hidden_outlet = newsroom.outlets
    assert set(Outlet.objects.all()) == {ziare, kyiv_post, hidden_outlet}
    for outlet in (ziare, kyiv_post):
        response = get(client, reverse("public:outlet_detail", args=[outlet.pk]))
        assert set(listed_ids(response)) <= {newsroom.published.pk, newsroom.withdrawn.pk}
    get(client, reverse("public:outlet_detail", args=[hidden_outlet.pk]), status=404)
    highest = max(Outlet.objects.values_list("pk", flat=True))
    get(client, reverse("public:outlet_detail", args=[highest + 1]), status=404)


def test_topic_pages_list_public_claims_only(client, newsroom):
    barrier, refusals = newsroom.topics
    assert listed_ids(get(client, reverse("public:topic_detail", args=[barrier.slug]))) == [newsroom.published.pk]
    assert listed_ids(get(client, reverse("public:topic_detail", args=[refusals.slug]))) == [newsroom.withdrawn.pk]
    get(client, reverse("public:topic_detail", args=["no-such-topic"]), status=404)


def test_feeds_announce_public_changes_of_public_claims_only(client, newsroom):
    barrier, refusals = newsroom.topics
    # Published claim: published, status changed (public reason); withdrawn claim: published, withdrawn.
    expected = {
        reverse("public:feed_rss"): 4,
        reverse("public:feed_atom"): 4,
        reverse("public:corrections_rss"): 1,
        reverse("public:corrections_atom"): 1,
        reverse("public:topic_feed_rss", args=[barrier.slug]): 2,
        reverse("public:topic_feed_atom", args=[barrier.slug]): 2,
        reverse("public:topic_feed_rss", args=[refusals.slug]): 2,
        reverse("public:topic_feed_atom", args=[refusals.slug]): 2,
    }
    for url, entries in expected.items():
        feed = feedparser.parse(get(client, url).content)
        assert len(feed.entries) == entries, url
        linked = {entry.link.split("/claims/")[1].split("/")[0] for entry in feed.entries}
        assert linked <= {str(newsroom.published.pk), str(newsroom.withdrawn.pk)}, url


def test_the_csv_export_holds_public_claims_only(client, newsroom):
    rows = csv_rows(get(client, reverse("public:claims_csv")))
    assert sorted(int(row[0]) for row in rows[1:]) == sorted([newsroom.published.pk, newsroom.withdrawn.pk])


def test_the_methodology_page_and_error_pages_show_nothing_hidden(client, newsroom):
    get(client, reverse("public:methodology"))
    response = get(client, reverse("home"), {"status": "secret", "event_after": "soon"}, status=400)
    assert result_count(response) == 2
    get(client, reverse("public:claims_csv"), {"min_origins": "-1"}, status=400)
