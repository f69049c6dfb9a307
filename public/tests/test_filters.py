"""The claims list's filters and sorts: alone, combined, in the URL, and refusing bad values with a 400."""

import html
import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

import public.views
from claims.models import Attribution, Claim, Region
from claims.tests.factories import make_attribution, make_claim, make_topic
from public.tests.helpers import body, csv_rows, listed_ids, result_count
from sources.tests.factories import make_actor, make_article, make_group, make_outlet

pytestmark = pytest.mark.django_db

Status = Claim.Status
DENIES = Attribution.Stance.DENIES


@pytest.fixture
def desk():
    """Four public claims, each the only match of at least one filter value, and one draft matching them all."""
    barrier = make_topic(name="Barrier units", slug="barrier-units")
    refusals = make_topic(name="Refusals", slug="refusals")
    kharkiv = Region.objects.get(slug="kharkiv")
    donetsk = Region.objects.get(slug="donetsk")
    gur = make_actor(name="GUR", independence_group=make_group(name="Ukrainian state"))
    kremlin = make_actor(name="Kremlin")
    ap = make_actor(name="AP")
    ziare = make_outlet(name="Ziare")
    kyiv_post = make_outlet(name="Kyiv Post")
    now = timezone.now()

    def claim(statement, *, days_ago, topics, regions, **fields):
        made = make_claim(statement=statement, state=Claim.State.PUBLISHED, published_at=now - timedelta(days_ago))
        made.topics.add(*topics)
        made.regions.add(*regions)
        Claim.objects.filter(pk=made.pk).update(**fields)
        return made

    # Newest published first; updated in another order; origins in a third.
    intercepts = claim(
        "Intercepts describe blocking units.",
        days_ago=1,
        topics=[barrier],
        regions=[donetsk],
        status=Status.SINGLE_ORIGIN,
        event_start=date(2024, 2, 1),
        event_end=date(2024, 2, 20),
    )
    make_attribution(claim=intercepts, actor=gur, article=make_article(outlet=ziare, published_on=date(2024, 3, 1)))
    make_attribution(
        claim=intercepts,
        actor=kremlin,
        article=make_article(outlet=ziare, published_on=date(2024, 3, 3)),
        stance=DENIES,
    )

    drone = claim(
        "Drone video shows soldiers firing on their own.",
        days_ago=2,
        topics=[barrier],
        regions=[kharkiv],
        status=Status.CORROBORATED,
        event_start=date(2024, 5, 10),
    )
    make_attribution(claim=drone, actor=gur, article=make_article(outlet=kyiv_post, published_on=date(2024, 5, 12)))
    make_attribution(claim=drone, actor=ap, article=make_article(outlet=kyiv_post, published_on=date(2024, 5, 15)))

    refusers = claim(
        "Cases against 500s rose in Luhansk.",
        days_ago=3,
        topics=[refusals],
        regions=[kharkiv, donetsk],
        status=Status.CONFIRMED,
        event_start=date(2023, 11, 1),
        event_end=date(2024, 1, 31),
    )
    make_attribution(claim=refusers, actor=ap, article=make_article(outlet=kyiv_post, published_on=date(2024, 2, 5)))

    undated = claim("Conscripts will not be sent.", days_ago=4, topics=[], regions=[], status=Status.DISPUTED)
    make_attribution(claim=undated, actor=kremlin, article=make_article(outlet=ziare), stance=DENIES)

    # Updated order differs from published order: refusers, undated, intercepts, drone.
    for days, made in enumerate([refusers, undated, intercepts, drone]):
        Claim.objects.filter(pk=made.pk).update(updated_at=now - timedelta(hours=days))

    draft = make_claim(statement="Draft matching every filter.", status=Status.CORROBORATED)
    draft.topics.add(barrier, refusals)
    draft.regions.add(kharkiv, donetsk)
    for actor in (gur, kremlin, ap):
        make_attribution(claim=draft, actor=actor, article=make_article(outlet=ziare, published_on=date(2024, 5, 1)))

    return SimpleNamespace(
        intercepts=intercepts,
        drone=drone,
        refusers=refusers,
        undated=undated,
        barrier=barrier,
        refusals=refusals,
        kharkiv=kharkiv,
        donetsk=donetsk,
        gur=gur,
        kremlin=kremlin,
        ap=ap,
        ziare=ziare,
        kyiv_post=kyiv_post,
    )


def listed(client, params):
    response = client.get(reverse("home"), params)
    assert response.status_code == 200, body(response)
    ids = listed_ids(response)
    assert result_count(response) == len(ids)
    return ids


def names(desk, ids):
    by_pk = {getattr(desk, name).pk: name for name in ("intercepts", "drone", "refusers", "undated")}
    return [by_pk[pk] for pk in ids]


ALONE = [
    ("topic", lambda d: d.barrier.slug, ["intercepts", "drone"]),
    ("topic", lambda d: d.refusals.slug, ["refusers"]),
    ("status", lambda d: Status.CORROBORATED, ["drone"]),
    ("status", lambda d: Status.DISPUTED, ["undated"]),
    ("status", lambda d: Status.FALSE, []),
    ("actor", lambda d: d.gur.pk, ["intercepts", "drone"]),
    ("actor", lambda d: d.kremlin.pk, ["intercepts", "undated"]),
    ("actor", lambda d: d.ap.pk, ["drone", "refusers"]),
    ("outlet", lambda d: d.ziare.pk, ["intercepts", "undated"]),
    ("outlet", lambda d: d.kyiv_post.pk, ["drone", "refusers"]),
    ("region", lambda d: d.kharkiv.slug, ["drone", "refusers"]),
    ("region", lambda d: d.donetsk.slug, ["intercepts", "refusers"]),
    # A range counts if it ends on or after the date; a single date if it is on or after it.
    ("event_after", lambda d: "2024-02-10", ["intercepts", "drone"]),
    ("event_after", lambda d: "2024-02-21", ["drone"]),
    ("event_after", lambda d: "2024-01-31", ["intercepts", "drone", "refusers"]),
    ("event_before", lambda d: "2024-02-01", ["intercepts", "refusers"]),
    ("event_before", lambda d: "2023-10-31", []),
    ("reported_after", lambda d: "2024-03-01", ["intercepts", "drone"]),
    ("reported_after", lambda d: "2024-03-02", ["drone"]),
    ("reported_before", lambda d: "2024-03-01", ["intercepts", "refusers"]),
    ("has_denial", lambda d: "true", ["intercepts", "undated"]),
    ("has_denial", lambda d: "false", ["drone", "refusers"]),
    ("min_origins", lambda d: "0", ["intercepts", "drone", "refusers", "undated"]),
    ("min_origins", lambda d: "1", ["intercepts", "drone", "refusers"]),
    ("min_origins", lambda d: "2", ["drone"]),
    ("min_origins", lambda d: "3", []),
]


@pytest.mark.parametrize(("name", "value", "expected"), ALONE)
def test_each_filter_alone_keeps_only_its_matches(client, desk, name, value, expected):
    assert names(desk, listed(client, {name: value(desk)})) == expected


def test_without_filters_it_lists_every_public_claim_newest_first(client, desk):
    assert names(desk, listed(client, {})) == ["intercepts", "drone", "refusers", "undated"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (lambda d: {"topic": d.barrier.slug, "status": Status.CORROBORATED}, ["drone"]),
        (lambda d: {"topic": d.barrier.slug, "has_denial": "true"}, ["intercepts"]),
        (lambda d: {"actor": d.ap.pk, "region": d.kharkiv.slug, "min_origins": "1"}, ["drone", "refusers"]),
        (lambda d: {"actor": d.ap.pk, "outlet": d.kyiv_post.pk, "event_before": "2024-01-01"}, ["refusers"]),
        (
            lambda d: {"outlet": d.ziare.pk, "reported_after": "2024-01-01", "reported_before": "2024-12-31"},
            ["intercepts"],
        ),
        (lambda d: {"event_after": "2024-01-01", "event_before": "2024-03-01"}, ["intercepts", "refusers"]),
        (lambda d: {"region": d.donetsk.slug, "topic": d.refusals.slug, "status": Status.CONFIRMED}, ["refusers"]),
        (lambda d: {"topic": d.refusals.slug, "has_denial": "true"}, []),
    ],
)
def test_filters_combine(client, desk, params, expected):
    assert names(desk, listed(client, params(desk))) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", ["intercepts", "drone", "refusers", "undated"]),
        ("updated", ["refusers", "undated", "intercepts", "drone"]),
        ("origins", ["drone", "intercepts", "refusers", "undated"]),
    ],
)
def test_it_sorts(client, desk, sort, expected):
    assert names(desk, listed(client, {"sort": sort})) == expected


def test_a_sort_applies_to_filtered_results(client, desk):
    assert names(desk, listed(client, {"region": desk.kharkiv.slug, "sort": "updated"})) == ["refusers", "drone"]


def test_an_empty_form_submission_is_the_unfiltered_list(client, desk):
    # What a browser sends for the untouched form: every field, empty.
    fields = ["q", "topic", "status", "actor", "outlet", "region", "event_after", "event_before"]
    fields += ["reported_after", "reported_before", "has_denial", "min_origins"]
    response = client.get(reverse("home"), {**dict.fromkeys(fields, ""), "sort": "newest"})
    assert response.status_code == 200
    assert len(listed_ids(response)) == 4
    assert 'class="active-filters"' not in body(response)


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"status": "probably"}, "status", "Select a valid choice"),
        ({"topic": "no-such-topic"}, "topic", "Select a valid choice"),
        ({"region": "atlantis"}, "region", "Select a valid choice"),
        ({"actor": "999999"}, "actor", "Select a valid choice"),
        ({"actor": "gur"}, "actor", "Select a valid choice"),
        ({"actor": "99999999999999999999999"}, "actor", "Select a valid choice"),
        ({"outlet": "-1"}, "outlet", "Select a valid choice"),
        ({"event_after": "last week"}, "event_after", "Enter a valid date"),
        ({"event_before": "2024-02-30"}, "event_before", "Enter a valid date"),
        ({"reported_after": "2024-13-01"}, "reported_after", "Enter a valid date"),
        ({"reported_before": "yesterday"}, "reported_before", "Enter a valid date"),
        ({"min_origins": "-1"}, "min_origins", "greater than or equal to 0"),
        ({"min_origins": "many"}, "min_origins", "Enter a number"),
        ({"min_origins": "NaN"}, "min_origins", "Enter a number"),
        ({"min_origins": "Infinity"}, "min_origins", "Enter a number"),
        ({"sort": "random"}, "sort", "Select a valid choice"),
        ({"has_denial": "perhaps"}, "has_denial", "Select a valid choice"),
        ({"q": "blocking\x00units"}, "q", "Null characters are not allowed"),
        ({"topic": "barrier\x00units"}, "topic", "Null characters are not allowed"),
    ],
)
def test_a_bad_value_is_a_400_with_a_message_on_its_field(client, desk, params, field, message):
    response = client.get(reverse("home"), params)

    assert response.status_code == 400
    content = body(response)
    error = re.search(rf'<p class="error" id="id_{field}_error">([^<]*)</p>', content)
    assert error, f"no error shown on {field}"
    assert message in html.unescape(error.group(1))
    # The CSV export answers the same query string the same way.
    assert client.get(reverse("public:claims_csv"), params).status_code == 400


def test_a_huge_min_origins_is_no_crash(client, desk):
    assert listed(client, {"min_origins": "1e30"}) == []


def test_it_shows_active_filters_each_with_a_working_remove_link(client, desk):
    params = {"topic": desk.barrier.slug, "status": Status.CORROBORATED, "has_denial": "false", "sort": "origins"}
    response = client.get(reverse("home"), params)
    content = body(response)

    active = re.search(r'<ul class="active-filters"[^>]*>(.*?)</ul>', content, re.S)
    assert active
    items = re.findall(r'<li>(.*?): <strong>(.*?)</strong> <a href="([^"]*)"', active.group(1))
    shown = {label: value for label, value, _ in items}
    # Shown as a reader names them, not as the URL spells them; the sort is not a filter.
    assert shown == {"Topic": "Barrier units", "Status": "Corroborated", "Denied by someone": "No"}
    assert names(desk, listed_ids(response)) == ["drone"]

    removes = {label: html.unescape(href) for label, _, href in items}
    without_status = client.get(reverse("home") + removes["Status"])
    assert without_status.status_code == 200
    # Dropping the status leaves the topic, the denial filter and the sort.
    assert names(desk, listed_ids(without_status)) == ["drone"]
    assert "status=" not in removes["Status"]
    assert "sort=origins" in removes["Status"]
    without_topic = client.get(reverse("home") + removes["Topic"])
    assert names(desk, listed_ids(without_topic)) == ["drone"]
    without_denial = client.get(reverse("home") + removes["Denied by someone"])
    assert names(desk, listed_ids(without_denial)) == ["drone"]
    assert "has_denial" not in removes["Denied by someone"]


def test_the_filtered_state_lives_in_the_url_and_survives_pagination(client, desk, monkeypatch):
    monkeypatch.setattr(public.views, "CLAIMS_PER_PAGE", 1)
    params = {"region": desk.kharkiv.slug, "sort": "updated"}

    first = client.get(reverse("home"), params)
    content = body(first)
    assert names(desk, listed_ids(first)) == ["refusers"]
    assert result_count(first) == 2
    # The form shows the chosen values, so a reader can refine them.
    assert re.search(r'<option value="kharkiv" selected>', content)
    assert re.search(r'<option value="updated" selected>', content)

    next_link = re.search(r'<a href="([^"]*)" rel="next">', content)
    assert next_link
    href = html.unescape(next_link.group(1))
    assert "region=kharkiv" in href
    assert "sort=updated" in href
    second = client.get(reverse("home") + href)
    assert names(desk, listed_ids(second)) == ["drone"]

    previous = re.search(r'<a href="([^"]*)" rel="prev">', body(second))
    assert previous
    assert "region=kharkiv" in html.unescape(previous.group(1))

    # The CSV link carries the same filters (and no page).
    csv_link = re.search(r'<a href="(/claims\.csv[^"]*)">Download as CSV', content)
    assert csv_link
    csv_response = client.get(html.unescape(csv_link.group(1)))
    assert [int(row[0]) for row in csv_rows(csv_response)[1:]] == [desk.refusers.pk, desk.drone.pk]
