"""Feeds of what changed, and the CSV export of the filtered list."""

import html
import re
from types import SimpleNamespace

import feedparser
import pytest
from django.urls import reverse

from claims.models import Claim
from claims.tests.factories import make_attribution, make_claim, make_topic
from public.tests.helpers import body, csv_rows, listed_ids, publish, set_status
from sources.tests.factories import make_actor

pytestmark = pytest.mark.django_db

Status = Claim.Status
FEEDS = ["feed_rss", "feed_atom", "corrections_rss", "corrections_atom"]
TOPIC_FEEDS = ["topic_feed_rss", "topic_feed_atom"]
CSV_HEADER = [
    "id",
    "url",
    "statement",
    "status",
    "withdrawn",
    "topics",
    "regions",
    "reports",
    "independent_origins",
    "denied",
    "first_reported_on",
    "published_at",
    "updated_at",
]


@pytest.fixture
def changes(editor):
    """A claim published then re-rated, one published then corrected, one withdrawn; each in its own topic."""
    barrier = make_topic(name="Barrier units", slug="barrier-units")
    refusals = make_topic(name="Refusals", slug="refusals")
    executions = make_topic(name="Executions", slug="executions")

    rated = make_claim(statement="Blocking units fired on retreating soldiers.", created_by=editor)
    rated.topics.add(barrier)
    publish(rated, editor=editor, note="First published.")
    set_status(rated, editor=editor, status=Status.CORROBORATED, reason="AP verified the identities.")

    corrected = make_claim(statement="Cases against 500s rose.", created_by=editor)
    corrected.topics.add(refusals)
    publish(corrected, editor=editor)
    corrected.record_correction(by=editor, note="The cases rose in Luhansk, not Donetsk.")

    withdrawn = make_claim(statement="Soldiers were executed for retreating.", created_by=editor)
    withdrawn.topics.add(executions)
    publish(withdrawn, editor=editor)
    withdrawn.withdraw(by=editor, version=withdrawn.version, note="The video was staged.")

    draft = make_claim(statement="Draft about blocking units.", created_by=editor)
    draft.topics.add(barrier)
    return SimpleNamespace(
        rated=rated, corrected=corrected, withdrawn=withdrawn, barrier=barrier, refusals=refusals, draft=draft
    )


def parse(client, name, *args):
    response = client.get(reverse(f"public:{name}", args=args))
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


def claim_of(entry) -> int:
    return int(re.search(r"/claims/(\d+)/", entry.link).group(1))


@pytest.mark.parametrize("name", FEEDS)
def test_every_feed_is_well_formed(client, changes, name):
    feed = parse(client, name)
    assert feed.version.startswith("atom" if name.endswith("atom") else "rss")
    assert feed.entries


@pytest.mark.parametrize("name", TOPIC_FEEDS)
def test_every_topic_feed_is_well_formed(client, changes, name):
    assert parse(client, name, changes.barrier.slug).entries


@pytest.mark.parametrize("name", ["feed_rss", "feed_atom"])
def test_entries_say_what_changed(client, changes, name):
    titles = [entry.title for entry in parse(client, name).entries]

    assert sorted(titles) == sorted(
        [
            "Published: Blocking units fired on retreating soldiers.",
            "Status now Corroborated: Blocking units fired on retreating soldiers.",
            "Published: Cases against 500s rose.",
            "Corrected: Cases against 500s rose.",
            "Published: Soldiers were executed for retreating.",
            "Withdrawn: Soldiers were executed for retreating.",
        ]
    )


def test_an_entry_carries_the_editors_note_and_links_to_the_change(client, changes):
    entry = next(e for e in parse(client, "feed_atom").entries if e.title.startswith("Corrected"))
    assert "The cases rose in Luhansk, not Donetsk." in entry.summary
    event = changes.corrected.review_events.get(action="correct")
    assert entry.link == f"http://testserver/claims/{changes.corrected.pk}/#change-{event.pk}"


@pytest.mark.parametrize("name", TOPIC_FEEDS)
def test_a_topic_feed_has_that_topics_claims_only(client, changes, name):
    barrier = parse(client, name, changes.barrier.slug)
    refusals = parse(client, name, changes.refusals.slug)

    assert {claim_of(entry) for entry in barrier.entries} == {changes.rated.pk}
    assert len(barrier.entries) == 2
    assert {claim_of(entry) for entry in refusals.entries} == {changes.corrected.pk}
    assert "Barrier units" in barrier.feed.title


@pytest.mark.parametrize("name", ["corrections_rss", "corrections_atom"])
def test_the_corrections_feed_has_corrections_and_withdrawals_only(client, changes, name):
    titles = sorted(entry.title for entry in parse(client, name).entries)
    assert titles == ["Corrected: Cases against 500s rose.", "Withdrawn: Soldiers were executed for retreating."]


@pytest.mark.parametrize("name", TOPIC_FEEDS)
def test_an_unknown_topic_has_no_feed(client, changes, name):
    assert client.get(reverse(f"public:{name}", args=["no-such-topic"])).status_code == 404


def alternates(content: str) -> list[tuple[str, str]]:
    links = re.findall(r'<link rel="alternate" type="([^"]+)"[^>]*href="([^"]+)"', content)
    return [(kind, html.unescape(href)) for kind, href in links]


@pytest.mark.parametrize(
    "url",
    [
        lambda c: reverse("home"),
        lambda c: reverse("public:claim_detail", args=[c.rated.pk]),
        lambda c: reverse("public:topic_detail", args=[c.barrier.slug]),
    ],
)
def test_pages_advertise_their_feeds(client, changes, url):
    links = alternates(body(client.get(url(changes))))

    assert {"application/atom+xml", "application/rss+xml"} <= {kind for kind, _ in links}
    for _, href in links:
        response = client.get(href)
        assert response.status_code == 200, href
        assert feedparser.parse(response.content).bozo == 0, href


def test_a_topic_page_advertises_the_topics_feed(client, changes):
    links = alternates(body(client.get(reverse("public:topic_detail", args=[changes.barrier.slug]))))
    assert ("application/atom+xml", reverse("public:topic_feed_atom", args=[changes.barrier.slug])) in links


def test_the_csv_is_streamed_with_a_header(client, changes):
    response = client.get(reverse("public:claims_csv"))

    assert response.status_code == 200
    assert response.streaming is True
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="claimdesk-claims.csv"'
    rows = csv_rows(response)
    assert rows[0] == CSV_HEADER
    assert len(rows) == 4
    by_id = {int(row[0]): dict(zip(CSV_HEADER, row, strict=True)) for row in rows[1:]}
    assert set(by_id) == {changes.rated.pk, changes.corrected.pk, changes.withdrawn.pk}
    rated = by_id[changes.rated.pk]
    assert rated["url"] == f"http://testserver/claims/{changes.rated.pk}/"
    assert rated["status"] == "Corroborated"
    assert rated["topics"] == "Barrier units"
    assert rated["withdrawn"] == "no"
    assert by_id[changes.withdrawn.pk]["withdrawn"] == "yes"


def test_a_statement_with_commas_quotes_and_newlines_survives(client, editor):
    statement = 'He said "fire", then\nsilence, "200s" and 300s;\r\nsee = 1+1, \'quoted\''
    claim = make_claim(statement=statement, state=Claim.State.PUBLISHED)
    make_attribution(claim=claim, actor=make_actor(name="GUR"))

    rows = csv_rows(client.get(reverse("public:claims_csv")))

    assert len(rows) == 2
    assert rows[1][0] == str(claim.pk)
    assert rows[1][2] == statement
    assert rows[1][7:10] == ["1", "1", "no"]


@pytest.mark.parametrize(
    "params",
    [
        lambda c: {"topic": c.barrier.slug},
        lambda c: {"status": Status.UNVERIFIED},
        lambda c: {"q": "500"},
        lambda c: {"sort": "updated"},
        lambda c: {"topic": c.refusals.slug, "status": Status.CORROBORATED},
    ],
)
def test_the_csv_holds_the_same_claims_as_the_list(client, changes, params):
    query = params(changes)
    listed = listed_ids(client.get(reverse("home"), query))
    rows = csv_rows(client.get(reverse("public:claims_csv"), query))

    assert [int(row[0]) for row in rows[1:]] == listed


def test_a_filtered_csv_leaves_the_rest_out(client, changes):
    rows = csv_rows(client.get(reverse("public:claims_csv"), {"topic": changes.barrier.slug}))
    assert [int(row[0]) for row in rows[1:]] == [changes.rated.pk]


@pytest.mark.parametrize(
    "params", [{"status": "probably"}, {"event_after": "soon"}, {"min_origins": "-2"}, {"topic": "nope"}]
)
def test_a_bad_filter_on_the_csv_is_a_400_with_a_message(client, changes, params):
    response = client.get(reverse("public:claims_csv"), params)

    assert response.status_code == 400
    assert not response.streaming
    name = next(iter(params))
    assert response.content.decode().startswith(f"Bad filter: {name}: ")


def test_the_csv_cannot_smuggle_a_spreadsheet_formula(client):
    make_claim(statement='=HYPERLINK("https://evil.example","click")', state=Claim.State.PUBLISHED)
    rows = csv_rows(client.get(reverse("public:claims_csv")))
    assert rows[1][2] == '\'=HYPERLINK("https://evil.example","click")'
