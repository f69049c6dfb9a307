"""Who may read, change and act on which claim through the API, in every editorial state,
and what an anonymous client can never learn from any endpoint.

The table is the specification; the tests only read it. It is the API twin of
test_permissions.py: a claim the user may not see is a 404 (the same answer as
an id that does not exist, so a refusal cannot confirm that a draft exists); a
claim the user may see but not act on is a 403; an anonymous client is asked
to authenticate (401) before any claim is looked up. A published claim changes
only through the ``correct`` act, never a plain edit.
"""

import pytest
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle

from claims.models import Attribution, Claim, ReviewEvent
from claims.tests.api import API, all_result_ids, api_client, result_ids
from claims.tests.factories import make_attribution, make_claim, make_topic, make_user
from sources.tests.factories import make_actor, make_article, make_outlet

pytestmark = pytest.mark.django_db

STATES = ["draft", "in_review", "sent_back", "published", "withdrawn"]
USERS = ["anonymous", "owner", "other", "editor"]
OK = "ok"  # 200, and the claim has changed as the act says
YES, NO = "listed", "not listed"

# fmt: off
# For each request and user, the outcome in each state, in the order of STATES:
#                                   draft  in_review sent_back published withdrawn
EXPECTED = {
    "list":       {"anonymous":    (NO,   NO,       NO,       YES,      YES),
                   "owner":        (YES,  YES,      YES,      YES,      YES),
                   "other":        (NO,   YES,      NO,       YES,      YES),
                   "editor":       (YES,  YES,      YES,      YES,      YES)},
    "retrieve":   {"anonymous":    (404,  404,      404,      200,      200),
                   "owner":        (200,  200,      200,      200,      200),
                   "other":        (404,  200,      404,      200,      200),
                   "editor":       (200,  200,      200,      200,      200)},
    "patch":      {"anonymous":    (401,  401,      401,      401,      401),
                   "owner":        (OK,   403,      OK,       403,      403),
                   "other":        (404,  403,      404,      403,      403),
                   "editor":       (OK,   OK,       OK,       403,      403)},
    "submit":     {"anonymous":    (401,  401,      401,      401,      401),
                   "owner":        (OK,   403,      OK,       403,      403),
                   "other":        (404,  403,      404,      403,      403),
                   "editor":       (OK,   403,      OK,       403,      403)},
    "send-back":  {"anonymous":    (401,  401,      401,      401,      401),
                   "owner":        (403,  403,      403,      403,      403),
                   "other":        (404,  403,      404,      403,      403),
                   "editor":       (403,  OK,       403,      403,      403)},
    "set-status": {"anonymous":    (401,  401,      401,      401,      401),
                   "owner":        (403,  403,      403,      403,      403),
                   "other":        (404,  403,      404,      403,      403),
                   "editor":       (OK,   OK,       OK,       OK,       403)},
    "publish":    {"anonymous":    (401,  401,      401,      401,      401),
                   "owner":        (403,  403,      403,      403,      403),
                   "other":        (404,  403,      404,      403,      403),
                   "editor":       (403,  OK,       403,      403,      403)},
    "correct":    {"anonymous":    (401,  401,      401,      401,      401),
                   "owner":        (403,  403,      403,      403,      403),
                   "other":        (404,  403,      404,      403,      403),
                   "editor":       (403,  403,      403,      OK,       403)},
    "withdraw":   {"anonymous":    (401,  401,      401,      401,      401),
                   "owner":        (403,  403,      403,      403,      403),
                   "other":        (404,  403,      404,      403,      403),
                   "editor":       (403,  403,      403,      OK,       403)},
}
# fmt: on

ACTS = ["submit", "send-back", "set-status", "publish", "correct", "withdraw"]

# What a successful act leaves behind: (state, status) after it, and the review event it logs.
AFTER_ACT = {
    "submit": lambda state: ("in_review", "unverified"),
    "send-back": lambda state: ("sent_back", "unverified"),
    "set-status": lambda state: (state, "corroborated"),
    "publish": lambda state: ("published", "unverified"),
    "correct": lambda state: (state, "unverified"),
    "withdraw": lambda state: ("withdrawn", "unverified"),
}
EVENT = {
    "submit": "submit",
    "send-back": "send_back",
    "set-status": "set_status",
    "publish": "publish",
    "correct": "correct",
    "withdraw": "withdraw",
}

STATEMENT = "Blocking units fired on retreating soldiers near Avdiivka."
CHANGED = "Blocking units fired on retreating soldiers near Bakhmut."
HIDDEN = {"detail": "No claim you may see has this id."}
ASK_TO_AUTHENTICATE = {"detail": "Authentication credentials were not provided."}


def test_its_table_covers_every_request_user_and_state():
    assert set(EXPECTED) == {"list", "retrieve", "patch", *ACTS}
    for row in EXPECTED.values():
        assert set(row) == set(USERS)
        assert all(len(outcomes) == len(STATES) for outcomes in row.values())


@pytest.fixture
def users(reporter, other_reporter, editor):
    return {"anonymous": None, "owner": reporter, "other": other_reporter, "editor": editor}


def expected(request: str, who: str, state: str):
    return EXPECTED[request][who][STATES.index(state)]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("who", USERS)
def test_it_lists_each_claim_to_whom_the_table_says(users, who, state):
    claim = make_claim(statement=STATEMENT, created_by=users["owner"], state=state)
    make_claim(statement="A published claim everyone sees.", state="published")

    ids = all_result_ids(api_client(users[who]), f"{API}/claims/")

    assert (claim.pk in ids) is (expected("list", who, state) == YES)
    assert len(ids) == 1 + (expected("list", who, state) == YES)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("who", USERS)
def test_it_shows_each_claim_to_whom_the_table_says(users, who, state):
    claim = make_claim(statement=STATEMENT, created_by=users["owner"], state=state)

    response = api_client(users[who]).get(f"{API}/claims/{claim.pk}/")

    assert response.status_code == expected("retrieve", who, state)
    if response.status_code == 200:
        assert response.json()["statement"] == STATEMENT
    else:
        assert response.json() == HIDDEN


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("who", USERS)
def test_it_lets_each_user_edit_as_the_table_says(users, who, state):
    claim = make_claim(statement=STATEMENT, created_by=users["owner"], state=state)
    outcome = expected("patch", who, state)

    response = api_client(users[who]).patch(
        f"{API}/claims/{claim.pk}/", {"statement": CHANGED, "version": 1}, format="json"
    )

    claim.refresh_from_db()
    if outcome == OK:
        assert response.status_code == 200
        assert (response.json()["statement"], response.json()["version"]) == (CHANGED, 2)
        assert (claim.statement, claim.version) == (CHANGED, 2)
    else:
        assert response.status_code == outcome
        assert (claim.statement, claim.version) == (STATEMENT, 1)
        if outcome == 404:
            assert response.json() == HIDDEN


def act_payload(act: str) -> dict:
    payload = {"version": 1, "note": "Reason given."}
    if act == "set-status":
        payload |= {"status": "corroborated", "public": True}
    if act == "correct":
        payload["statement"] = CHANGED
    return payload


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("act", ACTS)
def test_it_lets_each_user_do_each_act_as_the_table_says(users, act, who, state):
    claim = make_claim(statement=STATEMENT, created_by=users["owner"], state=state)
    outcome = expected(act, who, state)

    response = api_client(users[who]).post(f"{API}/claims/{claim.pk}/{act}/", act_payload(act), format="json")

    claim.refresh_from_db()
    if outcome == OK:
        assert response.status_code == 200
        after = AFTER_ACT[act](state)
        assert (claim.state, claim.status, claim.version) == (*after, 2)
        assert (response.json()["state"], response.json()["status"], response.json()["version"]) == (*after, 2)
        event = ReviewEvent.objects.get(claim=claim)
        assert (event.action, event.user) == (EVENT[act], users[who])
        assert claim.statement == (CHANGED if act == "correct" else STATEMENT)
    else:
        assert response.status_code == outcome
        assert (claim.state, claim.status, claim.version, claim.statement) == (state, "unverified", 1, STATEMENT)
        assert not ReviewEvent.objects.exists()
        if outcome == 404:
            assert response.json() == HIDDEN
        if outcome == 401:
            assert response.json() == ASK_TO_AUTHENTICATE


@pytest.mark.parametrize(
    ("who", "expected_status"), [("anonymous", 401), ("no-role", 403), ("owner", 201), ("editor", 201)]
)
def test_it_lets_only_staff_log_a_claim(users, who, expected_status):
    user = make_user("no-role") if who == "no-role" else users[who]

    response = api_client(user).post(f"{API}/claims/", {"statement": STATEMENT}, format="json")

    assert response.status_code == expected_status
    if expected_status == 201:
        claim = Claim.objects.get()
        assert (claim.statement, claim.state, claim.created_by) == (STATEMENT, "draft", user)
        assert response.json()["id"] == claim.pk
    else:
        assert not Claim.objects.exists()


@pytest.mark.parametrize("state", STATES)
def test_it_treats_a_signed_in_user_without_a_role_as_a_reader(reporter, state):
    claim = make_claim(statement=STATEMENT, created_by=reporter, state=state)
    client = api_client(make_user("no-role"))

    listed = claim.pk in result_ids(client.get(f"{API}/claims/"))
    detail = client.get(f"{API}/claims/{claim.pk}/")
    edit = client.patch(f"{API}/claims/{claim.pk}/", {"statement": CHANGED, "version": 1}, format="json")
    publish = client.post(f"{API}/claims/{claim.pk}/publish/", {"version": 1}, format="json")

    public = state in ("published", "withdrawn")
    assert listed is public
    assert detail.status_code == (200 if public else 404)
    assert (edit.status_code, publish.status_code) == (403, 403)
    claim.refresh_from_db()
    assert (claim.statement, claim.state, claim.version) == (STATEMENT, state, 1)


@pytest.mark.parametrize("request_name", ["patch", *ACTS])
def test_it_asks_anonymous_clients_to_authenticate_before_looking_a_claim_up(reporter, request_name):
    # The same 401 for a draft and for an id that was never used: no way to probe for drafts.
    draft = make_claim(created_by=reporter)
    client = api_client()

    def send(pk):
        if request_name == "patch":
            return client.patch(f"{API}/claims/{pk}/", {"statement": CHANGED, "version": 1}, format="json")
        return client.post(f"{API}/claims/{pk}/{request_name}/", act_payload(request_name), format="json")

    for_draft, for_nothing = send(draft.pk), send(draft.pk + 1000)

    assert for_draft.status_code == for_nothing.status_code == 401
    assert for_draft.content == for_nothing.content


def test_it_answers_the_same_404_for_another_reporters_draft_and_for_no_claim(reporter, other_reporter):
    draft = make_claim(statement=STATEMENT, created_by=reporter)
    client = api_client(other_reporter)

    for_draft = client.get(f"{API}/claims/{draft.pk}/")
    for_nothing = client.get(f"{API}/claims/{draft.pk + 1000}/")

    assert for_draft.status_code == for_nothing.status_code == 404
    assert for_draft.content == for_nothing.content
    assert STATEMENT not in for_draft.content.decode()


def test_it_shows_a_reporter_their_own_drafts_and_never_another_reporters(reporter, other_reporter):
    mine = make_claim(statement="My draft.", created_by=reporter)
    my_sent_back = make_claim(statement="My claim sent back.", created_by=reporter, state="sent_back")
    theirs = make_claim(statement="Their draft.", created_by=other_reporter)
    their_sent_back = make_claim(statement="Their claim sent back.", created_by=other_reporter, state="sent_back")
    their_in_review = make_claim(statement="Their claim in review.", created_by=other_reporter, state="in_review")

    client = api_client(reporter)
    ids = all_result_ids(client, f"{API}/claims/")
    content = client.get(f"{API}/claims/").content.decode()

    assert sorted(ids) == sorted([mine.pk, my_sent_back.pk, their_in_review.pk])
    assert theirs.pk not in ids and their_sent_back.pk not in ids
    assert "Their draft." not in content
    assert "Their claim sent back." not in content


# ---------------------------------------------------------------------------
# No leaks: what the public must never learn, through any endpoint
# ---------------------------------------------------------------------------

HIDDEN_STATEMENT = "Quillwort brigade-47213 shot deserters at dawn."
INTERNAL_NOTE = "Marshwick-90417: the intercept may be staged, check before anything."
REAL_NAME = "Vasylyna Hrushevska-Tarnovetska"
PSEUDONYM = "A sergeant of the 3rd brigade"
DRAFT_ONLY_ACTOR = "Ostrozhenko Field Office 55180"
DRAFT_ONLY_HEADLINE = "Tamarisk-31877: what the intercept said"
DRAFT_ONLY_OUTLET = "Wrenfold Gazette 66024"
PUBLIC_STATEMENT = "Barrier troops were deployed behind the assault groups near Robotyne."

SECRETS = [HIDDEN_STATEMENT, INTERNAL_NOTE, REAL_NAME, DRAFT_ONLY_ACTOR, DRAFT_ONLY_HEADLINE, DRAFT_ONLY_OUTLET]
# Words from the secrets, as a reader might search or filter with them. The search
# words are never a whole secret, so a secret found in an answer cannot be an echo
# of the request.
PROBES = ["Quillwort", "brigade-47213", "Marshwick", "staged", "Hrushevska", "Vasylyna", "Ostrozhenko", "Tamarisk"]


@pytest.fixture
def newsroom(reporter, editor):
    """Published and withdrawn claims with a protected source and an internal note,
    next to drafts, claims in review and claims sent back that cite sources nothing
    public cites."""
    topic = make_topic(name="Barrier units", slug="barrier-units")
    public_actor = make_actor(name="General Staff of the Armed Forces of Ukraine")
    protected = make_actor(name=REAL_NAME, is_protected=True, pseudonym=PSEUDONYM, kind="individual")
    public_outlet = make_outlet(name="Kyiv Independent")
    public_article = make_article(outlet=public_outlet, headline="Assault groups and the men behind them")

    published = make_claim(statement=PUBLIC_STATEMENT, created_by=reporter, state="in_review")
    published.topics.add(topic)
    origin = make_attribution(claim=published, actor=protected, article=public_article, quote="They shot at us.")
    make_attribution(claim=published, actor=public_actor, article=make_article(outlet=public_outlet), via=origin)
    published.set_status(by=editor, version=1, status="single_origin", reason=INTERNAL_NOTE, public=False)
    published.publish(by=editor, version=2, note="")
    published.refresh_from_db()
    withdrawn = make_claim(statement="A withdrawn claim readers may still see.", state="withdrawn", created_by=reporter)
    make_attribution(claim=withdrawn, actor=public_actor, article=public_article, stance="denies")

    draft_only_actor = make_actor(name=DRAFT_ONLY_ACTOR)
    draft_only_article = make_article(outlet=make_outlet(name=DRAFT_ONLY_OUTLET), headline=DRAFT_ONLY_HEADLINE)
    hidden = []
    for state in ("draft", "in_review", "sent_back"):
        claim = make_claim(statement=f"{HIDDEN_STATEMENT} ({state})", created_by=reporter, state=state)
        claim.topics.add(topic)
        make_attribution(claim=claim, actor=draft_only_actor, article=draft_only_article, quote=HIDDEN_STATEMENT)
        make_attribution(claim=claim, actor=protected, article=public_article)
        hidden.append(claim)
    return {
        "published": published,
        "withdrawn": withdrawn,
        "hidden": hidden,
        "public_actor": public_actor,
        "protected": protected,
        "public_outlet": public_outlet,
        "public_article": public_article,
        "draft_only_actor": draft_only_actor,
        "draft_only_article": draft_only_article,
    }


@pytest.fixture
def unthrottled(monkeypatch):
    # The sweeps below are one anonymous client sending hundreds of requests. DRF reads
    # the rates once, at import, so the settings fixture cannot lift them.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": None})


def claim_list_queries(newsroom) -> list[str]:
    """Every filter of the claims list, alone and together, with values that match and values that do not."""
    public_actor, outlet = newsroom["public_actor"].pk, newsroom["public_outlet"].pk
    queries = [
        "",
        "topic=barrier-units",
        f"actor={public_actor}",
        f"outlet={outlet}",
        "event_after=2020-01-01",
        "event_before=2030-01-01",
        "reported_after=2000-01-01",
        "reported_before=2030-01-01",
        "has_denial=true",
        "has_denial=false",
        "min_origins=0",
        "min_origins=1",
        "min_origins=5",
        "sort=newest",
        "sort=updated",
        "sort=origins",
        "page_size=1",
        f"topic=barrier-units&actor={public_actor}&outlet={outlet}&min_origins=1&sort=origins",
    ]
    queries += [f"status={status}" for status in Claim.Status.values]
    queries += [f"q={word}" for word in [*PROBES, "barrier", "deserters"]]
    queries += [f"q={word}&topic=barrier-units&sort=updated" for word in PROBES]
    return queries


def assert_no_secret_in(response, url):
    body = response.content.decode()
    for secret in SECRETS:
        assert secret not in body, f"{secret!r} leaked through {url}"


def test_it_never_lets_a_secret_into_the_claims_list_whatever_the_filter(newsroom, unthrottled):
    client = api_client()
    public = {newsroom["published"].pk, newsroom["withdrawn"].pk}

    for query in claim_list_queries(newsroom):
        url = f"{API}/claims/?{query}"
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_secret_in(response, url)
        # Only public claims are counted and returned, whatever the filter.
        assert set(all_result_ids(client, url)) <= public, url

    assert set(all_result_ids(client, f"{API}/claims/")) == public
    for word in PROBES:
        assert result_ids(client.get(f"{API}/claims/?q={word}")) == [], word


def test_it_answers_a_filter_by_a_hidden_actor_or_outlet_like_one_by_an_unknown_id(newsroom):
    # A protected actor's id, or that of a source only drafts cite, is refused in the
    # same words as an id that does not exist: the error confirms nothing.
    client = api_client()
    unknown_actor = client.get(f"{API}/claims/?actor=999999")
    unknown_outlet = client.get(f"{API}/claims/?outlet=999999")
    draft_only_outlet = newsroom["draft_only_article"].outlet_id

    for query, unknown in [
        (f"actor={newsroom['protected'].pk}", unknown_actor),
        (f"actor={newsroom['draft_only_actor'].pk}", unknown_actor),
        (f"outlet={draft_only_outlet}", unknown_outlet),
    ]:
        response = client.get(f"{API}/claims/?{query}")
        assert response.status_code == unknown.status_code == 400
        assert response.json() == unknown.json()
        assert_no_secret_in(response, query)


def anonymous_urls(newsroom) -> list[str]:
    published, withdrawn = newsroom["published"], newsroom["withdrawn"]
    urls = [
        f"{API}/",
        f"{API}/claims/",
        f"{API}/claims/?format=api",
        f"{API}/claims/{published.pk}/",
        f"{API}/claims/{published.pk}/?format=api",
        f"{API}/claims/{withdrawn.pk}/",
        f"{API}/articles/",
        f"{API}/articles/?format=api",
        f"{API}/actors/",
        f"{API}/actors/?format=api",
        f"{API}/outlets/",
        f"{API}/topics/",
        f"{API}/topics/barrier-units/",
        reverse("schema"),
        reverse("schema") + "?format=json",
        reverse("swagger-ui"),
        reverse("redoc"),
    ]
    # Every claim, article, actor and outlet there is, hidden or not.
    urls += [f"{API}/claims/{claim.pk}/" for claim in newsroom["hidden"]]
    article_ids = set(Attribution.objects.values_list("article", flat=True))
    actor_ids = set(Attribution.objects.values_list("actor", flat=True))
    outlet_ids = set(Attribution.objects.values_list("article__outlet", flat=True))
    urls += [f"{API}/articles/{pk}/" for pk in sorted(article_ids)]
    urls += [f"{API}/actors/{pk}/" for pk in sorted(actor_ids)]
    urls += [f"{API}/outlets/{pk}/" for pk in sorted(outlet_ids)]
    return urls


def test_it_never_lets_a_secret_into_any_anonymous_answer(newsroom, unthrottled):
    client = api_client()

    for url in anonymous_urls(newsroom):
        for method in ("get", "options"):
            response = getattr(client, method)(url)
            # 405: the documentation pages answer GET only.
            assert response.status_code in (200, 404, 405), (method, url, response.status_code)
            assert_no_secret_in(response, f"{method.upper()} {url}")


def test_it_shows_readers_a_protected_actor_only_by_pseudonym(newsroom):
    client = api_client()
    protected = newsroom["protected"]

    detail = client.get(f"{API}/claims/{newsroom['published'].pk}/").json()
    actors = all_result_ids(client, f"{API}/actors/")

    names = {(row["actor"]["name"], row["actor"]["id"]) for row in detail["attributions"]}
    assert (PSEUDONYM, None) in names
    assert [origin["actor"]["name"] for origin in detail["evidence_summary"]["origins"]] == [PSEUDONYM]
    assert protected.pk not in actors
    assert newsroom["draft_only_actor"].pk not in actors
    assert actors == [newsroom["public_actor"].pk]
    assert client.get(f"{API}/actors/{protected.pk}/").status_code == 404


def test_it_keeps_internal_notes_out_of_the_public_change_log(newsroom):
    published = newsroom["published"]

    public_log = api_client().get(f"{API}/claims/{published.pk}/").json()["change_log"]

    assert [event["action"] for event in public_log] == ["publish"]
    assert ReviewEvent.objects.filter(claim=published, is_public=False).count() == 1


def test_it_lists_only_the_sources_public_claims_cite(newsroom):
    client = api_client()

    articles = all_result_ids(client, f"{API}/articles/")
    outlets = all_result_ids(client, f"{API}/outlets/")

    cited = set(newsroom["published"].attributions.values_list("article", flat=True)) | {newsroom["public_article"].pk}
    assert set(articles) == cited
    assert newsroom["draft_only_article"].pk not in articles
    assert outlets == [newsroom["public_outlet"].pk]
    assert client.get(f"{API}/articles/{newsroom['draft_only_article'].pk}/").status_code == 404
    assert client.get(f"{API}/outlets/{newsroom['draft_only_article'].outlet_id}/").status_code == 404


def test_the_secrets_are_there_for_staff_to_see(newsroom, editor):
    # The no-leak tests above would pass on an empty database; this shows each secret
    # is in the data and reachable through the same endpoints, by those allowed to.
    client = api_client(editor)
    seen = "".join(
        client.get(url).content.decode()
        for url in [
            f"{API}/claims/",
            f"{API}/claims/{newsroom['published'].pk}/",
            f"{API}/actors/",
            f"{API}/articles/",
            f"{API}/outlets/",
        ]
    )

    for secret in SECRETS:
        assert secret in seen, secret
