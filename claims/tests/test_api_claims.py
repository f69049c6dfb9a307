"""The claims API: writing claims with their reports, clear 4xx answers, caching headers,
throttling, tokens, query counts and concurrent edits. Who may do what is in
test_api_permissions.py."""

import base64
import datetime

import pytest
from django.test import Client
from django.utils.http import http_date
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from claims.models import Attribution, Claim, ReviewEvent
from claims.tests.api import API, api_client, result_ids
from claims.tests.factories import make_attribution, make_claim, make_corroboration, make_topic, make_user
from sources.tests.factories import make_actor, make_article

pytestmark = pytest.mark.django_db

STATEMENT = "Blocking units fired on retreating soldiers near Avdiivka."
FIRST = "Blocking units fired on retreating soldiers near Bakhmut."
SECOND = "Barrier troops shot at soldiers who left their positions near Bakhmut."


# ---------------------------------------------------------------------------
# Writing claims
# ---------------------------------------------------------------------------


def test_it_logs_a_claim_with_its_reports_as_a_draft_of_its_author(reporter):
    make_topic(name="Barrier units", slug="barrier-units")
    gur, outlet_actor = make_actor(name="GUR"), make_actor(name="Ziare")
    origin_article = make_article(url="https://gur.gov.ua/content/1", published_on=datetime.date(2024, 3, 1))
    relay_article = make_article(url="https://ziare.com/a/2", published_on=datetime.date(2024, 3, 2))

    response = api_client(reporter).post(
        f"{API}/claims/",
        {
            "statement": STATEMENT,
            "topics": ["barrier-units"],
            "event_start": "2024-02-10",
            "notes": "<p>Context for <strong>readers</strong>.</p><script>alert(1)</script>",
            "attributions": [
                {"article": origin_article.pk, "actor": gur.pk, "stance": "asserts", "quote": "They fired."},
                {"article": relay_article.pk, "actor": outlet_actor.pk, "stance": "asserts"},
            ],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    claim = Claim.objects.get()
    body = response.json()
    assert (claim.state, claim.created_by, claim.version) == ("draft", reporter, 1)
    assert body["id"] == claim.pk
    assert body["topics"] == ["barrier-units"]
    assert [(a["actor"]["name"], a["stance"]) for a in body["attributions"]] == [
        ("GUR", "asserts"),
        ("Ziare", "asserts"),
    ]
    # The stored summary is already up to date: two reports, two origins until one relays the other.
    assert (body["report_count"], body["independent_origin_count"], body["first_reported_on"]) == (2, 2, "2024-03-01")
    assert body["notes_html"] == "<p>Context for <strong>readers</strong>.</p>"


def test_it_links_a_relay_to_its_origin_in_the_same_request(reporter):
    claim = make_claim(statement=STATEMENT, created_by=reporter)
    origin = make_attribution(claim=claim, actor=make_actor(name="GUR"))
    relay = make_attribution(claim=claim, actor=make_actor(name="Ziare"))
    claim.refresh_from_db()
    assert claim.independent_origin_count == 2

    response = api_client(reporter).patch(
        f"{API}/claims/{claim.pk}/",
        {
            "version": 1,
            "attributions": [
                {"id": origin.pk, "article": origin.article_id, "actor": origin.actor_id, "stance": "asserts"},
                {
                    "id": relay.pk,
                    "article": relay.article_id,
                    "actor": relay.actor_id,
                    "stance": "asserts",
                    "via": origin.pk,
                },
            ],
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    relay.refresh_from_db()
    assert relay.via_id == origin.pk
    assert response.json()["independent_origin_count"] == 1


def test_it_removes_reports_left_out_of_the_list(reporter):
    claim = make_claim(statement=STATEMENT, created_by=reporter)
    kept = make_attribution(claim=claim)
    make_attribution(claim=claim)

    response = api_client(reporter).patch(
        f"{API}/claims/{claim.pk}/",
        {
            "version": 1,
            "attributions": [{"id": kept.pk, "article": kept.article_id, "actor": kept.actor_id, "stance": "denies"}],
        },
        format="json",
    )

    assert response.status_code == 200
    assert list(claim.attributions.values_list("pk", "stance")) == [(kept.pk, "denies")]


# ---------------------------------------------------------------------------
# Field-level 400s, never a half-saved record
# ---------------------------------------------------------------------------


def test_it_requires_a_statement(reporter):
    response = api_client(reporter).post(f"{API}/claims/", {"notes": "No statement."}, format="json")

    assert response.status_code == 400
    assert response.json() == {"statement": ["This field is required."]}
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"event_start": "2024-03-01", "event_end": "2024-02-01"}, "event_end"),
        ({"event_end": "2024-02-01"}, "event_start"),
        ({"topics": ["no-such-topic"]}, "topics"),
        ({"event_start": "last spring"}, "event_start"),
        ({"statement": ""}, "statement"),
    ],
)
def test_it_names_the_field_that_is_wrong(reporter, change, field):
    response = api_client(reporter).post(f"{API}/claims/", {"statement": STATEMENT, **change}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"stance": "insinuates"}, "stance"),
        ({"actor": 999999}, "actor"),
        ({"article": 999999}, "article"),
        ({"credibility": 9}, "credibility"),
        ({"estimative_term": "perhaps"}, "estimative_term"),
    ],
)
def test_it_names_the_report_and_the_field_that_is_wrong(reporter, row, field):
    good = {"article": make_article().pk, "actor": make_actor().pk, "stance": "asserts"}

    response = api_client(reporter).post(
        f"{API}/claims/", {"statement": STATEMENT, "attributions": [good, {**good, **row}]}, format="json"
    )

    assert response.status_code == 400
    # Errors of a nested list are keyed by the row's index.
    assert list(response.json()["attributions"]["1"]) == [field]
    assert not Claim.objects.exists()
    assert not Attribution.objects.exists()


def test_it_refuses_a_relay_of_another_claims_report_and_saves_nothing(reporter):
    other_claims_report = make_attribution(claim=make_claim(statement="Another claim.", created_by=reporter))
    row = {"article": make_article().pk, "actor": make_actor().pk, "stance": "asserts", "via": other_claims_report.pk}

    created = api_client(reporter).post(
        f"{API}/claims/", {"statement": STATEMENT, "attributions": [row]}, format="json"
    )
    claim = make_claim(statement=STATEMENT, created_by=reporter)
    updated = api_client(reporter).patch(
        f"{API}/claims/{claim.pk}/", {"version": 1, "statement": FIRST, "attributions": [row]}, format="json"
    )

    for response in (created, updated):
        assert response.status_code == 400
        assert response.json() == {"attributions": {"0": {"via": ["Must be the id of another report of this claim."]}}}
    # Neither the new claim nor the edit of the old one was half-saved.
    assert list(Claim.objects.values_list("statement", flat=True).order_by("pk")) == ["Another claim.", STATEMENT]
    claim.refresh_from_db()
    assert (claim.version, claim.attributions.count()) == (1, 0)


def test_it_requires_the_version_to_update(reporter):
    claim = make_claim(statement=STATEMENT, created_by=reporter)

    response = api_client(reporter).patch(f"{API}/claims/{claim.pk}/", {"statement": FIRST}, format="json")

    assert response.status_code == 400
    assert response.json() == {"version": ["Send the version you last read."]}
    claim.refresh_from_db()
    assert claim.statement == STATEMENT


@pytest.mark.parametrize(
    ("status", "message"),
    [("bogus", '"bogus" is not a valid choice.'), ("unverified", "The claim already has this status.")],
)
def test_it_refuses_a_status_that_is_not_a_change(editor, status, message):
    claim = make_claim(statement=STATEMENT, state="in_review")

    response = api_client(editor).post(
        f"{API}/claims/{claim.pk}/set-status/", {"version": 1, "status": status, "note": "Why."}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"status": [message]}
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("unverified", 1)
    assert not ReviewEvent.objects.exists()


@pytest.mark.parametrize(
    ("act", "state", "payload"),
    [
        ("send-back", "in_review", {}),
        ("set-status", "in_review", {"status": "corroborated"}),
        ("withdraw", "published", {}),
        ("correct", "published", {"statement": FIRST}),
    ],
)
@pytest.mark.parametrize("note", [None, "", "   "])
def test_it_requires_a_note_for_the_acts_readers_or_reporters_must_understand(editor, act, state, payload, note):
    claim = make_claim(statement=STATEMENT, state=state)
    if note is not None:
        payload = {**payload, "note": note}

    response = api_client(editor).post(f"{API}/claims/{claim.pk}/{act}/", {"version": 1, **payload}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["note"]
    claim.refresh_from_db()
    assert (claim.state, claim.status, claim.statement, claim.version) == (state, "unverified", STATEMENT, 1)
    assert not ReviewEvent.objects.exists()


@pytest.mark.parametrize("act", ["submit", "send-back", "set-status", "publish", "correct", "withdraw"])
def test_it_requires_the_version_for_every_act(editor, act):
    claim = make_claim(statement=STATEMENT, state="in_review")

    response = api_client(editor).post(f"{API}/claims/{claim.pk}/{act}/", {"note": "Why."}, format="json")

    assert response.status_code == 400
    assert response.json()["version"] == ["This field is required."]
    claim.refresh_from_db()
    assert (claim.state, claim.version) == ("in_review", 1)


def test_it_publishes_a_claim_with_a_public_review_event(editor, reporter):
    claim = make_claim(statement=STATEMENT, created_by=reporter, state="in_review")

    response = api_client(editor).post(f"{API}/claims/{claim.pk}/publish/", {"version": 1}, format="json")

    assert response.status_code == 200
    claim.refresh_from_db()
    assert (claim.state, claim.version) == ("published", 2)
    assert claim.published_at is not None
    assert [e["action"] for e in response.json()["change_log"]] == ["publish"]
    assert api_client().get(f"{API}/claims/{claim.pk}/").status_code == 200


def test_it_corrects_a_published_claim_and_logs_the_note_for_readers(editor):
    claim = make_claim(statement=STATEMENT, state="published")

    response = api_client(editor).post(
        f"{API}/claims/{claim.pk}/correct/",
        {"version": 1, "statement": FIRST, "note": "The town was wrong."},
        format="json",
    )

    assert response.status_code == 200
    claim.refresh_from_db()
    assert (claim.statement, claim.state, claim.version) == (FIRST, "published", 2)
    public_log = api_client().get(f"{API}/claims/{claim.pk}/").json()["change_log"]
    assert [(e["action"], e["note_html"]) for e in public_log] == [("correct", "The town was wrong.")]


# ---------------------------------------------------------------------------
# 404 for what does not exist
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "claims/999999/"),
        ("patch", "claims/999999/"),
        ("put", "claims/999999/"),
        *[("post", f"claims/999999/{act}/") for act in ["submit", "send-back", "set-status", "publish", "correct"]],
        ("post", "claims/999999/withdraw/"),
        ("get", "claims/not-a-number/"),
        ("get", "topics/no-such-topic/"),
        ("get", "articles/999999/"),
        ("patch", "articles/999999/"),
        ("get", "actors/999999/"),
        ("patch", "actors/999999/"),
        ("get", "outlets/999999/"),
    ],
)
def test_it_answers_404_for_what_does_not_exist(editor, method, path):
    make_claim(statement=STATEMENT, state="published")

    response = getattr(api_client(editor), method)(
        f"{API}/{path}", {"version": 1, "note": "Why.", "status": "confirmed"}, format="json"
    )

    assert response.status_code == 404
    assert "detail" in response.json()


# ---------------------------------------------------------------------------
# Filters: what they find, and 400 (never 500) for a value they cannot use
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=bogus", "status"),
        ("min_origins=-1", "min_origins"),
        ("min_origins=many", "min_origins"),
        ("event_after=notadate", "event_after"),
        ("event_before=2024-13-45", "event_before"),
        ("reported_after=yesterday", "reported_after"),
        ("reported_before=0", "reported_before"),
        ("topic=unknown", "topic"),
        ("region=atlantis", "region"),
        ("actor=abc", "actor"),
        ("actor=999999", "actor"),
        ("outlet=-3", "outlet"),
        ("sort=alphabetical", "sort"),
    ],
)
@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_it_answers_400_naming_a_filter_it_cannot_use(editor, who, query, field):
    make_claim(statement=STATEMENT, state="published")

    response = api_client(editor if who == "editor" else None).get(f"{API}/claims/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_it_filters_and_searches_the_list(reporter):
    topic = make_topic(name="Barrier units", slug="barrier-units")
    gur = make_actor(name="GUR")
    barrier = make_claim(statement="Barrier troops fired on a retreating company.", state="published")
    barrier.topics.add(topic)
    make_attribution(claim=barrier, actor=gur, article=make_article(published_on=datetime.date(2024, 5, 1)))
    confirmed = make_claim(statement="Soldiers were sent back to the line at gunpoint.", state="published")
    confirmed.status = "confirmed"
    confirmed.save()
    make_claim(statement="Barrier troops in a draft.", created_by=reporter)
    client = api_client()

    assert result_ids(client.get(f"{API}/claims/?topic=barrier-units")) == [barrier.pk]
    assert result_ids(client.get(f"{API}/claims/?status=confirmed")) == [confirmed.pk]
    assert result_ids(client.get(f"{API}/claims/?actor={gur.pk}")) == [barrier.pk]
    assert result_ids(client.get(f"{API}/claims/?min_origins=1")) == [barrier.pk]
    assert result_ids(client.get(f"{API}/claims/?reported_after=2024-04-01")) == [barrier.pk]
    assert result_ids(client.get(f"{API}/claims/?q=barrier")) == [barrier.pk]
    assert result_ids(client.get(f"{API}/claims/?q=gunpoint")) == [confirmed.pk]
    assert sorted(result_ids(client.get(f"{API}/claims/"))) == sorted([barrier.pk, confirmed.pk])


def test_it_pages_with_a_cursor(reporter):
    claims = [make_claim(statement=f"Claim {i}.", state="published") for i in range(5)]
    client = api_client()

    first = client.get(f"{API}/claims/?page_size=2").json()
    second = client.get(first["next"]).json()

    assert [c["id"] for c in first["results"]] == [claims[4].pk, claims[3].pk]
    assert [c["id"] for c in second["results"]] == [claims[2].pk, claims[1].pk]
    # A damaged cursor is a bad request, with the reason on the parameter.
    bad = client.get(f"{API}/claims/?cursor=not-a-cursor")
    assert bad.status_code == 400
    assert "cursor" in bad.json()
    # Well-formed base64 whose position is not an id is refused the same way, not a 500.
    for position in ("abc", "99999999999999999999999", "-1"):
        cursor = base64.b64encode(f"p={position}".encode()).decode()
        assert client.get(f"{API}/claims/", {"cursor": cursor}).status_code == 400, position


# ---------------------------------------------------------------------------
# Caching headers on public reads
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["claims/", "claims/{pk}/"])
def test_it_answers_304_to_a_client_that_has_the_current_copy(reporter, editor, path):
    claim = make_claim(statement=STATEMENT, state="in_review", created_by=reporter)
    claim.publish(by=editor, version=1)
    url = f"{API}/{path.format(pk=claim.pk)}"
    client = api_client()

    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    claim.refresh_from_db()
    api_client(editor).post(
        f"{API}/claims/{claim.pk}/correct/", {"version": claim.version, "statement": FIRST, "note": "Town."}
    )
    after_a_change = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200 and first["ETag"]
    assert again.status_code == 304
    assert again.content == b""
    assert after_a_change.status_code == 200
    assert after_a_change["ETag"] != first["ETag"]
    assert FIRST in after_a_change.content.decode()


def test_it_says_when_a_claim_last_changed(reporter):
    claim = make_claim(statement=STATEMENT, state="published")
    client = api_client()

    response = client.get(f"{API}/claims/{claim.pk}/")
    unchanged = client.get(f"{API}/claims/{claim.pk}/", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    older = http_date(claim.updated_at.timestamp() - 3600)
    changed_since = client.get(f"{API}/claims/{claim.pk}/", HTTP_IF_MODIFIED_SINCE=older)

    assert response["Last-Modified"] == http_date(claim.updated_at.timestamp())
    assert unchanged.status_code == 304
    assert changed_since.status_code == 200


# ---------------------------------------------------------------------------
# Throttling and tokens
# ---------------------------------------------------------------------------


@pytest.fixture
def three_a_minute(monkeypatch):
    # DRF reads the rates from the settings once, at import, so the settings fixture
    # cannot change them; the throttle's own copy can. The cache (which holds the
    # counts) is emptied around every test by conftest.py.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})


def test_it_throttles_anonymous_clients(three_a_minute):
    claim = make_claim(statement=STATEMENT, state="published")
    client = api_client()

    answers = [client.get(f"{API}/claims/{claim.pk}/").status_code for _ in range(3)]
    throttled = client.get(f"{API}/claims/")

    assert answers == [200, 200, 200]
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert STATEMENT not in throttled.content.decode()


def test_it_does_not_throttle_staff(three_a_minute, reporter):
    client = api_client(reporter)

    assert [client.get(f"{API}/claims/").status_code for _ in range(5)] == [200] * 5


def test_it_accepts_a_token_in_the_authorization_header(reporter):
    draft = make_claim(statement=STATEMENT, created_by=reporter)
    token = Token.objects.create(user=reporter)
    client = APIClient(enforce_csrf_checks=True)  # a token needs no CSRF token: it is not a cookie
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    listed = result_ids(client.get(f"{API}/claims/"))
    created = client.post(f"{API}/claims/", {"statement": FIRST}, format="json")

    assert listed == [draft.pk]
    assert created.status_code == 201
    assert Claim.objects.get(pk=created.json()["id"]).created_by == reporter


def test_it_refuses_a_wrong_token(reporter):
    Token.objects.create(user=reporter)
    make_claim(statement=STATEMENT, created_by=reporter)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    assert client.get(f"{API}/claims/").status_code == 401
    assert client.post(f"{API}/claims/", {"statement": FIRST}, format="json").status_code == 401
    assert Claim.objects.count() == 1


def test_it_asks_a_session_for_its_csrf_token_before_a_write(reporter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter)

    response = client.post(f"{API}/claims/", {"statement": FIRST}, content_type="application/json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Claim.objects.exists()


# ---------------------------------------------------------------------------
# Query counts
# ---------------------------------------------------------------------------


def fill(n: int, *, reporter) -> None:
    """``n`` published claims with topics and reports, and ``n`` drafts of the reporter."""
    topics = [make_topic(name=f"Topic {i}") for i in range(3)]
    for i in range(n):
        claim = make_claim(statement=f"Published {i}.", state="published")
        claim.topics.add(*topics)
        make_attribution(claim=claim, actor=make_actor(is_protected=i % 2 == 0, pseudonym=f"Source {i}"))
        make_claim(statement=f"Draft {i}.", created_by=reporter)


@pytest.mark.parametrize("n", [3, 30])
def test_it_lists_claims_to_readers_in_constant_queries(django_assert_num_queries, reporter, n):
    fill(n, reporter=reporter)
    client = api_client()

    # 1. the topic filtered by; 2. the page of claims; 3. their topics and regions
    with django_assert_num_queries(3):
        response = client.get(f"{API}/claims/?topic=topic-1&sort=updated")

    assert len(response.json()["results"]) == n


@pytest.mark.parametrize("n", [3, 30])
def test_it_lists_claims_to_staff_in_constant_queries(django_assert_num_queries, reporter, n):
    fill(n, reporter=reporter)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reporter).key}")

    # 1. the token and its user; 2.-3. the user's and their groups' permissions;
    # 4. the page of claims; 5. their topics and regions
    with django_assert_num_queries(5):
        response = client.get(f"{API}/claims/?page_size=100")

    assert len(response.json()["results"]) == 2 * n


@pytest.mark.parametrize("n", [3, 30])
def test_it_shows_a_claim_in_constant_queries(django_assert_num_queries, editor, n):
    claim = make_claim(statement=STATEMENT, state="in_review")
    for i in range(n):
        claim.topics.add(make_topic(name=f"Topic {i}"))
        origin = make_attribution(claim=claim, actor=make_actor(is_protected=i % 2 == 0, pseudonym=f"Source {i}"))
        make_attribution(claim=claim, via=origin)
        make_corroboration(claim=claim, performed_by=make_actor())
    claim.publish(by=editor, version=1)
    client = api_client()

    # 1. the claim; 2. its topics; 3. its regions; 4. its reports with their actors, articles
    # and outlets; 5. its corroborations; 6. who performed them; 7. its public change log
    with django_assert_num_queries(7):
        response = client.get(f"{API}/claims/{claim.pk}/")

    assert len(response.json()["attributions"]) == 2 * n


# ---------------------------------------------------------------------------
# Two people editing one claim
# ---------------------------------------------------------------------------


def test_it_refuses_the_second_of_two_edits_made_on_the_same_version(reporter, editor):
    claim = make_claim(statement=STATEMENT, created_by=reporter, state="in_review")
    report = make_attribution(claim=claim, quote="They fired at our backs.")
    first, second = api_client(editor), api_client(make_user("editor2", role="Editors"))
    read_by_first = first.get(f"{API}/claims/{claim.pk}/").json()
    read_by_second = second.get(f"{API}/claims/{claim.pk}/").json()
    assert read_by_first["version"] == read_by_second["version"] == 1

    won = first.patch(f"{API}/claims/{claim.pk}/", {"version": 1, "statement": FIRST}, format="json")
    # The second editor also drops the report: none of it may be applied.
    lost = second.patch(
        f"{API}/claims/{claim.pk}/", {"version": 1, "statement": SECOND, "attributions": []}, format="json"
    )

    assert won.status_code == 200
    assert lost.status_code == 409
    assert lost.json()["current_version"] == 2
    assert "changed this record after you read it" in lost.json()["detail"]
    claim.refresh_from_db()
    assert (claim.statement, claim.version) == (FIRST, 2)
    assert list(claim.attributions.all()) == [report]
    assert not claim.history.filter(statement=SECOND).exists()

    # Nothing is lost: the second editor reads the current version and reapplies their change.
    current = second.get(f"{API}/claims/{claim.pk}/").json()
    retried = second.patch(
        f"{API}/claims/{claim.pk}/", {"version": current["version"], "statement": SECOND}, format="json"
    )
    assert retried.status_code == 200
    claim.refresh_from_db()
    assert (claim.statement, claim.version) == (SECOND, 3)


def test_it_refuses_an_act_on_a_version_someone_has_since_changed(reporter, editor):
    claim = make_claim(statement=STATEMENT, created_by=reporter, state="in_review")
    api_client(editor).patch(f"{API}/claims/{claim.pk}/", {"version": 1, "statement": FIRST}, format="json")

    response = api_client(make_user("editor2", role="Editors")).post(
        f"{API}/claims/{claim.pk}/publish/", {"version": 1}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    claim.refresh_from_db()
    assert (claim.state, claim.statement) == ("in_review", FIRST)
    assert not ReviewEvent.objects.exists()


def test_the_browsable_api_renders_a_claim_with_a_relay_for_an_editor(client, editor):
    # The HTML form of the write serializer reads each report's via as an id (a 500 once).
    claim = make_claim(statement="Relayed intercept")
    origin = make_attribution(claim=claim)
    make_attribution(claim=claim, via=origin)
    client.force_login(editor)
    response = client.get(f"/api/v1/claims/{claim.pk}/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"Relayed intercept" in response.content
