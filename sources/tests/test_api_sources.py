"""The sources API: readers see the articles, actors and outlets public claims cite (a
protected actor never); staff read everything and write with their role's permissions,
with field-level 400s, optimistic locking and list queries that do not grow."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.tests.api import API, all_result_ids, api_client
from claims.tests.factories import make_attribution, make_claim, make_user
from sources.models import Actor, Article, Outlet
from sources.tests.factories import make_actor, make_article, make_group, make_outlet

pytestmark = pytest.mark.django_db

USERS = ["anonymous", "no-role", "reporter", "editor"]


@pytest.fixture
def users(reporter, editor):
    return {"anonymous": None, "no-role": make_user("no-role"), "reporter": reporter, "editor": editor}


@pytest.fixture
def sources(reporter):
    """One of each: cited by a published claim, by a withdrawn one, only by a draft, by nothing;
    and a protected actor cited by a published claim."""
    published = make_claim(statement="Published.", state="published")
    withdrawn = make_claim(statement="Withdrawn.", state="withdrawn")
    draft = make_claim(statement="Draft.", created_by=reporter)
    made = {}
    for name, claim in [("published", published), ("withdrawn", withdrawn), ("draft", draft), ("uncited", None)]:
        outlet = make_outlet(name=f"Outlet {name}")
        made[name] = {
            "outlet": outlet,
            "article": make_article(outlet=outlet),
            "actor": make_actor(name=f"Actor {name}"),
        }
        if claim is not None:
            make_attribution(claim=claim, actor=made[name]["actor"], article=made[name]["article"])
    made["protected"] = make_actor(name="Real Name", is_protected=True, pseudonym="A source")
    make_attribution(claim=published, actor=made["protected"], article=made["published"]["article"])
    return made


PUBLIC = ["published", "withdrawn"]
EVERYTHING = ["published", "withdrawn", "draft", "uncited"]


@pytest.mark.parametrize("kind", ["article", "actor", "outlet"])
@pytest.mark.parametrize("who", USERS)
def test_it_lists_to_readers_only_what_public_claims_cite(users, sources, who, kind):
    staff = who in ("reporter", "editor")
    expected = {sources[name][kind].pk for name in (EVERYTHING if staff else PUBLIC)}
    if kind == "actor" and staff:
        expected.add(sources["protected"].pk)
    client = api_client(users[who])

    listed = all_result_ids(client, f"{API}/{kind}s/")

    assert sorted(listed) == sorted(expected)
    for name in EVERYTHING:
        detail = client.get(f"{API}/{kind}s/{sources[name][kind].pk}/")
        assert detail.status_code == (200 if staff or name in PUBLIC else 404), (name, detail.status_code)


@pytest.mark.parametrize("who", USERS)
def test_it_names_a_protected_actor_only_to_staff(users, sources, who):
    client = api_client(users[who])
    protected = sources["protected"]

    response = client.get(f"{API}/actors/{protected.pk}/")

    if who in ("reporter", "editor"):
        assert response.status_code == 200
        assert (response.json()["name"], response.json()["pseudonym"]) == ("Real Name", "A source")
        assert response.json()["is_protected"] is True
    else:
        assert response.status_code == 404
        assert "Real Name" not in response.content.decode()


def test_it_shows_readers_no_internal_fields_of_an_actor(sources):
    actor = sources["published"]["actor"]
    actor.independence_group = make_group(name="Ukrainian state")
    actor.save()

    body = api_client().get(f"{API}/actors/{actor.pk}/").json()

    assert set(body) == {"id", "name", "kind", "side", "country", "is_party_to_conflict", "reliability", "description"}


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------

CREATE = {
    "articles": lambda: {
        "url": "https://news.example/report?utm_source=x",
        "headline": "A report",
        "outlet": make_outlet().pk,
    },
    "actors": lambda: {"name": "Azov brigade", "kind": "military_unit", "side": "ukraine"},
    "outlets": lambda: {"name": "Ziare", "kind": "news", "website": "https://ziare.com"},
}
MODELS = {"articles": Article, "actors": Actor, "outlets": Outlet}


@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", 401), ("no-role", 403), ("reporter", 201), ("editor", 201)]
)
@pytest.mark.parametrize("kind", ["articles", "actors", "outlets"])
def test_it_lets_only_staff_add_sources(users, kind, who, expected):
    data = CREATE[kind]()
    before = MODELS[kind].objects.count()

    response = api_client(users[who]).post(f"{API}/{kind}/", data, format="json")

    assert response.status_code == expected
    assert MODELS[kind].objects.count() == before + (expected == 201)


def test_it_normalises_the_url_and_hashes_the_captured_text(reporter):
    response = api_client(reporter).post(
        f"{API}/articles/",
        {**CREATE["articles"](), "url": "HTTPS://News.Example/report?utm_source=x#top", "captured_text": "Full text."},
        format="json",
    )

    assert response.status_code == 201
    article = Article.objects.get()
    assert article.url == "https://news.example/report"
    assert response.json()["url"] == article.url
    assert len(response.json()["captured_sha256"]) == 64
    assert article.captured_at is not None


@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", 401), ("no-role", 403), ("reporter", 200), ("editor", 200)]
)
@pytest.mark.parametrize("kind", ["articles", "actors"])
def test_it_lets_only_staff_change_sources(users, kind, who, expected):
    record = make_article(headline="Old") if kind == "articles" else make_actor(name="Old")
    field = "headline" if kind == "articles" else "name"

    response = api_client(users[who]).patch(f"{API}/{kind}/{record.pk}/", {field: "New", "version": 1}, format="json")

    assert response.status_code == expected
    record.refresh_from_db()
    assert (getattr(record, field), record.version) == (("New", 2) if expected == 200 else ("Old", 1))


def test_it_offers_no_way_to_change_an_outlet(reporter):
    outlet = make_outlet(name="Ziare")

    response = api_client(reporter).patch(f"{API}/outlets/{outlet.pk}/", {"name": "Other"}, format="json")

    assert response.status_code == 405
    outlet.refresh_from_db()
    assert outlet.name == "Ziare"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"url": "javascript:alert(document.cookie)"}, "url"),
        ({"url": "ftp://news.example/report"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"url": ""}, "url"),
        ({"archive_url": "javascript:alert(1)"}, "archive_url"),
        ({"outlet": 999999}, "outlet"),
        ({"headline": ""}, "headline"),
        ({"language": "klingon"}, "language"),
        ({"published_on": "yesterday"}, "published_on"),
    ],
)
def test_it_names_the_article_field_that_is_wrong(reporter, change, field):
    response = api_client(reporter).post(f"{API}/articles/", {**CREATE["articles"](), **change}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Article.objects.exists()


def test_it_spots_an_article_already_logged_under_another_spelling(reporter):
    logged = make_article(url="https://news.example/report")

    response = api_client(reporter).post(
        f"{API}/articles/", {**CREATE["articles"](), "url": "https://NEWS.example/report?fbclid=abc#x"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"url": [f"This article is already logged (id {logged.pk})."]}


@pytest.mark.parametrize("pseudonym", [None, "", "   "])
def test_it_refuses_a_protected_actor_without_a_pseudonym(reporter, pseudonym):
    data = {**CREATE["actors"](), "is_protected": True}
    if pseudonym is not None:
        data["pseudonym"] = pseudonym

    response = api_client(reporter).post(f"{API}/actors/", data, format="json")

    assert response.status_code == 400
    assert response.json() == {"pseudonym": ["A protected actor needs a pseudonym: it is all the public sees."]}
    assert not Actor.objects.exists()


def test_it_refuses_to_protect_an_actor_without_giving_a_pseudonym(reporter):
    actor = make_actor(name="A soldier")

    response = api_client(reporter).patch(
        f"{API}/actors/{actor.pk}/", {"version": 1, "is_protected": True}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["pseudonym"]
    actor.refresh_from_db()
    assert (actor.is_protected, actor.version) == (False, 1)


@pytest.mark.parametrize(
    ("data", "field"),
    [({"kind": "deity"}, "kind"), ({"name": ""}, "name"), ({"reliability": "Z"}, "reliability")],
)
def test_it_names_the_actor_field_that_is_wrong(reporter, data, field):
    response = api_client(reporter).post(f"{API}/actors/", {**CREATE["actors"](), **data}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]


@pytest.mark.parametrize("website", ["javascript:alert(1)", "data:text/html,hi"])
def test_it_refuses_an_outlet_website_that_is_not_http(reporter, website):
    response = api_client(reporter).post(f"{API}/outlets/", {**CREATE["outlets"](), "website": website}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["website"]
    assert not Outlet.objects.exists()


@pytest.mark.parametrize("kind", ["articles", "actors"])
def test_it_requires_the_version_to_update(reporter, kind):
    record = make_article() if kind == "articles" else make_actor()

    response = api_client(reporter).patch(f"{API}/{kind}/{record.pk}/", {"description": "x"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"version": ["Send the version you last read."]}


# ---------------------------------------------------------------------------
# Two people editing one record
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "field", "make"),
    [
        ("articles", "headline", lambda: make_article(headline="Original")),
        ("actors", "name", lambda: make_actor(name="Original")),
    ],
)
def test_it_refuses_the_second_of_two_edits_made_on_the_same_version(reporter, other_reporter, kind, field, make):
    record = make()
    first, second = api_client(reporter), api_client(other_reporter)
    url = f"{API}/{kind}/{record.pk}/"
    assert first.get(url).json()["version"] == second.get(url).json()["version"] == 1

    won = first.patch(url, {field: "First", "version": 1}, format="json")
    lost = second.patch(url, {field: "Second", "version": 1}, format="json")

    assert won.status_code == 200
    assert lost.status_code == 409
    assert lost.json()["current_version"] == 2
    record.refresh_from_db()
    assert (getattr(record, field), record.version) == ("First", 2)
    assert not record.history.filter(**{field: "Second"}).exists()
    retried = second.patch(url, {field: "Second", "version": 2}, format="json")
    assert retried.status_code == 200
    record.refresh_from_db()
    assert (getattr(record, field), record.version) == ("Second", 3)


# ---------------------------------------------------------------------------
# Query counts
# ---------------------------------------------------------------------------


def fill(n: int) -> None:
    """``n`` published claims, each citing its own actor (every other one protected) in an
    article of its own outlet, and ``n`` sources nothing cites."""
    group = make_group()
    for i in range(n):
        claim = make_claim(statement=f"Published {i}.", state="published")
        actor = make_actor(is_protected=i % 2 == 0, pseudonym=f"Source {i}", independence_group=group)
        make_attribution(claim=claim, actor=actor, article=make_article(published_on="2024-05-01"))
        make_article()
        make_actor()


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


# Readers: 1. the page, filtered to what public claims cite (with the outlets, for articles).
# Staff: 1. the token and its user; 2.-3. their own and their groups' permissions; 4. the page.
@pytest.mark.parametrize("n", [3, 30])
@pytest.mark.parametrize(("who", "queries"), [("anonymous", 1), ("reporter", 4)])
@pytest.mark.parametrize(
    ("kind", "readers_see", "staff_see"),
    [("articles", 1, 2), ("actors", 0.5, 2), ("outlets", 1, 2)],
)
def test_it_lists_sources_in_constant_queries(
    django_assert_num_queries, reporter, n, who, queries, kind, readers_see, staff_see
):
    fill(n)
    client = token_client(reporter) if who == "reporter" else api_client()

    with django_assert_num_queries(queries):
        response = client.get(f"{API}/{kind}/?page_size=200")

    shown = len(response.json()["results"])
    # Readers see the cited sources (actors: the unprotected half); staff see them all.
    assert shown == (int(n * readers_see) if who == "anonymous" else staff_see * n)
