"""Who may open which staff page and do which act, for a claim in every editorial state.

The table below is the specification; the tests only read it. Anonymous users
are sent to sign in; a draft (or a claim sent back) of someone else is a 404
for a reporter, never a 403, so a refusal cannot confirm that it exists; a
claim the user may see but not act on is a 403.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from claims.models import Claim, ReviewEvent
from claims.tests.factories import make_claim, make_user
from claims.tests.pages import form_values

pytestmark = pytest.mark.django_db

STATES = ["draft", "in_review", "sent_back", "published", "withdrawn"]
USERS = ["anonymous", "owner", "other", "editor"]
LOGIN = "login"  # 302 to the sign-in page, which comes back here afterwards
OK = "ok"  # the act or edit went through: 302 back to the claim, which has changed

# fmt: off
# For each URL and user, the status code in each state, in the order of STATES:
#                                     draft  in_review sent_back published withdrawn
EXPECTED = {
    "dashboard":    {"anonymous":     (LOGIN, LOGIN,    LOGIN,    LOGIN,    LOGIN),
                     "owner":         (200,  200,      200,      200,      200),
                     "other":         (200,  200,      200,      200,      200),
                     "editor":        (200,  200,      200,      200,      200)},
    "claim_create": {"anonymous":     (LOGIN, LOGIN,    LOGIN,    LOGIN,    LOGIN),
                     "owner":         (200,  200,      200,      200,      200),
                     "other":         (200,  200,      200,      200,      200),
                     "editor":        (200,  200,      200,      200,      200)},
    "claim_similar": {"anonymous":    (LOGIN, LOGIN,    LOGIN,    LOGIN,    LOGIN),
                      "owner":        (200,  200,      200,      200,      200),
                      "other":        (200,  200,      200,      200,      200),
                      "editor":       (200,  200,      200,      200,      200)},
    "claim_detail": {"anonymous":     (LOGIN, LOGIN,    LOGIN,    LOGIN,    LOGIN),
                     "owner":         (200,  200,      200,      200,      200),
                     "other":         (404,  200,      404,      200,      200),
                     "editor":        (200,  200,      200,      200,      200)},
    "claim_edit":   {"anonymous":     (LOGIN, LOGIN,    LOGIN,    LOGIN,    LOGIN),
                     "owner":         (200,  403,      200,      403,      403),
                     "other":         (404,  403,      404,      403,      403),
                     "editor":        (200,  200,      200,      200,      403)},
    "edit-post":    {"anonymous":     (LOGIN, LOGIN,    LOGIN,    LOGIN,    LOGIN),
                     "owner":         (OK,   403,      OK,       403,      403),
                     "other":         (404,  403,      404,      403,      403),
                     "editor":        (OK,   OK,       OK,       OK,       403)},
    "submit":       {"anonymous":     (LOGIN, LOGIN,    LOGIN,    LOGIN,    LOGIN),
                     "owner":         (OK,   403,      OK,       403,      403),
                     "other":         (404,  403,      404,      403,      403),
                     "editor":        (OK,   403,      OK,       403,      403)},
    "send-back":    {"anonymous":     (LOGIN, LOGIN,    LOGIN,    LOGIN,    LOGIN),
                     "owner":         (403,  403,      403,      403,      403),
                     "other":         (404,  403,      404,      403,      403),
                     "editor":        (403,  OK,       403,      403,      403)},
    "set-status":   {"anonymous":     (LOGIN, LOGIN,    LOGIN,    LOGIN,    LOGIN),
                     "owner":         (403,  403,      403,      403,      403),
                     "other":         (404,  403,      404,      403,      403),
                     "editor":        (OK,   OK,       OK,       OK,       403)},
    "publish":      {"anonymous":     (LOGIN, LOGIN,    LOGIN,    LOGIN,    LOGIN),
                     "owner":         (403,  403,      403,      403,      403),
                     "other":         (404,  403,      404,      403,      403),
                     "editor":        (403,  OK,       403,      403,      403)},
    "withdraw":     {"anonymous":     (LOGIN, LOGIN,    LOGIN,    LOGIN,    LOGIN),
                     "owner":         (403,  403,      403,      403,      403),
                     "other":         (404,  403,      404,      403,      403),
                     "editor":        (403,  403,      403,      OK,       403)},
}
# fmt: on

ACTS = ["submit", "send-back", "set-status", "publish", "withdraw"]
PAGES = ["dashboard", "claim_create", "claim_similar", "claim_detail", "claim_edit"]

# What a successful act leaves behind: (state, status) after it.
AFTER_ACT = {
    "submit": lambda state: ("in_review", "unverified"),
    "send-back": lambda state: ("sent_back", "unverified"),
    "set-status": lambda state: (state, "corroborated"),
    "publish": lambda state: ("published", "unverified"),
    "withdraw": lambda state: ("withdrawn", "unverified"),
}

STATEMENT = "Blocking units fired on retreating soldiers near Avdiivka."


def test_its_table_covers_every_url_user_and_state():
    assert set(EXPECTED) == {*PAGES, "edit-post", *ACTS}
    for row in EXPECTED.values():
        assert set(row) == set(USERS)
        assert all(len(codes) == len(STATES) for codes in row.values())


@pytest.fixture
def users(reporter, other_reporter, editor):
    return {"anonymous": None, "owner": reporter, "other": other_reporter, "editor": editor}


def sign_in(client, user):
    if user is not None:
        client.force_login(user)
    return client


def assert_sent_to_sign_in(response, path):
    assert response.status_code == 302
    target = urlsplit(response.url)
    assert target.path == reverse("login")
    assert parse_qs(target.query) == {"next": [path]}


def assert_outcome(response, expected, *, url, claim):
    if expected == LOGIN:
        assert_sent_to_sign_in(response, url)
    elif expected == OK:
        assert response.status_code == 302
        assert response.url == reverse("claims:claim_detail", args=[claim.pk])
    else:
        assert response.status_code == expected


def page_url(name, claim):
    if name in ("claim_detail", "claim_edit"):
        return reverse(f"claims:{name}", args=[claim.pk])
    if name == "claim_similar":
        return reverse("claims:claim_similar") + "?q=" + "+".join(STATEMENT.split())
    return reverse(f"claims:{name}")


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("page", PAGES)
def test_it_lets_each_user_open_each_page_as_the_table_says(client, users, page, who, state):
    claim = make_claim(statement=STATEMENT, created_by=users["owner"], state=state)
    url = page_url(page, claim)
    expected = EXPECTED[page][who][STATES.index(state)]

    response = sign_in(client, users[who]).get(url)

    if expected == LOGIN:
        assert_sent_to_sign_in(response, url)
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("act", ACTS)
def test_it_lets_each_user_do_each_act_as_the_table_says(client, users, act, who, state):
    claim = make_claim(statement=STATEMENT, created_by=users["owner"], state=state)
    url = reverse("claims:claim_act", args=[claim.pk, act])
    expected = EXPECTED[act][who][STATES.index(state)]
    data = {"version": claim.version, "note": "Reason given.", "status": "corroborated", "public": "on"}

    response = sign_in(client, users[who]).post(url, data)

    assert_outcome(response, expected, url=url, claim=claim)
    claim.refresh_from_db()
    if expected == OK:
        assert (claim.state, claim.status) == AFTER_ACT[act](state)
        assert claim.version == 2
        assert ReviewEvent.objects.filter(claim=claim, user=users[who]).count() == 1
    else:
        assert (claim.state, claim.status, claim.version) == (state, "unverified", 1)
        assert not ReviewEvent.objects.exists()


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("who", USERS)
def test_it_lets_each_user_save_an_edit_as_the_table_says(client, editor, users, who, state):
    claim = make_claim(statement=STATEMENT, created_by=users["owner"], state=state)
    url = reverse("claims:claim_edit", args=[claim.pk])
    expected = EXPECTED["edit-post"][who][STATES.index(state)]
    # The form as a user allowed to edit would see it; posted by whoever is signed in.
    data = form_values(sign_in(client, editor).get(url)) if state != "withdrawn" else {"version": ["1"]}
    client.logout()
    data["statement"] = ["Blocking units fired on retreating soldiers near Bakhmut."]
    data["correction_note"] = ["The town was wrong."]

    response = sign_in(client, users[who]).post(url, data)

    assert_outcome(response, expected, url=url, claim=claim)
    claim.refresh_from_db()
    if expected == OK:
        assert claim.statement.endswith("Bakhmut.")
        assert claim.version == 2
    else:
        assert claim.statement == STATEMENT
        assert claim.version == 1


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("who", ["owner", "other", "editor"])
def test_it_only_suggests_claims_the_user_may_open(client, users, who, state):
    claim = make_claim(statement=STATEMENT, created_by=users["owner"], state=state)
    detail = reverse("claims:claim_detail", args=[claim.pk])
    may_open = EXPECTED["claim_detail"][who][STATES.index(state)] == 200

    response = sign_in(client, users[who]).get(page_url("claim_similar", claim))

    # The suggestion links to the claim's page, or straight to its edit page for those who may add a report.
    assert (f'href="{detail}' in response.content.decode()) is may_open


@pytest.mark.parametrize("state", STATES)
def test_it_keeps_other_reporters_claims_off_a_reporters_dashboard_unless_published(client, users, state):
    make_claim(statement=STATEMENT, created_by=users["owner"], state=state)

    content = sign_in(client, users["other"]).get(reverse("claims:dashboard")).content.decode()

    assert (STATEMENT in content) is (state == "published")


@pytest.mark.parametrize("page", ["dashboard", "claim_create", "claim_similar", "claim_detail", "claim_edit"])
def test_it_refuses_signed_in_users_without_a_role(client, page):
    claim = make_claim(statement=STATEMENT, state=Claim.State.PUBLISHED)
    client.force_login(make_user("no-role"))

    response = client.get(page_url(page, claim))

    assert response.status_code == 403


def test_it_refuses_acts_to_signed_in_users_without_a_role(client):
    claim = make_claim(statement=STATEMENT, state=Claim.State.IN_REVIEW)
    client.force_login(make_user("no-role"))

    response = client.post(reverse("claims:claim_act", args=[claim.pk, "publish"]), {"version": 1})

    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.state == Claim.State.IN_REVIEW


def test_it_answers_404_for_a_claim_that_does_not_exist(client, editor):
    client.force_login(editor)
    assert client.get(reverse("claims:claim_detail", args=[999])).status_code == 404
    assert client.get(reverse("claims:claim_edit", args=[999])).status_code == 404
    assert client.post(reverse("claims:claim_act", args=[999, "publish"]), {"version": 1}).status_code == 404


def test_it_answers_404_for_an_unknown_act_and_405_for_a_get(client, editor):
    claim = make_claim(state=Claim.State.IN_REVIEW)
    client.force_login(editor)
    assert client.post(reverse("claims:claim_act", args=[claim.pk, "delete"]), {"version": 1}).status_code == 404
    assert client.get(reverse("claims:claim_act", args=[claim.pk, "publish"])).status_code == 405
    claim.refresh_from_db()
    assert claim.state == Claim.State.IN_REVIEW
