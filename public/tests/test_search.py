"""Searching published claims: the words readers type, the desk's code words, and what stays unfindable."""

import html
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import Attribution, Claim
from claims.tests.factories import make_attribution, make_claim
from glossary.models import Entry
from public.tests.helpers import body, listed_ids
from sources.models import Actor
from sources.tests.factories import make_actor

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text ranking and the stored tsvector are PostgreSQL features"
)


def published(statement: str, *, days_ago: int = 0, **fields) -> Claim:
    return make_claim(
        statement=statement, state=Claim.State.PUBLISHED, published_at=timezone.now() - timedelta(days_ago), **fields
    )


def search(client, query: str) -> list[int]:
    response = client.get(reverse("home"), {"q": query})
    assert response.status_code == 200
    return listed_ids(response)


def test_it_finds_words_of_the_statement_the_quotes_and_the_notes(client):
    claim = published(
        "Blocking units fired on retreating soldiers.",
        notes="<p>The drone footage was <em>geolocated</em> near Novomykhailivka.</p>",
    )
    make_attribution(claim=claim, quote="The commander ordered the shooting of deserters.")
    other = published("Officials say conscripts stay home.")

    assert search(client, "retreating") == [claim.pk]
    assert search(client, "deserters") == [claim.pk]
    assert search(client, "Novomykhailivka") == [claim.pk]
    assert search(client, "conscripts") == [other.pk]
    assert search(client, "artillery") == []


def test_it_finds_a_phrase_across_punctuation_and_case(client):
    claim = published("Moscow called GUR's intercepts 'fakes', Kremlin says.")
    published("Intercepts were relayed by Ziare.")

    assert search(client, "gur's intercepts") == [claim.pk]
    assert search(client, "INTERCEPTS FAKES") == [claim.pk]


@pytest.mark.parametrize("query", ["500", "refusers", "500s", "refusing to fight"])
def test_the_500_code_finds_every_spelling(client, query):
    claim = published("Prosecutors opened cases against 500s in Luhansk.")
    published("A 1500-strong brigade moved to Kharkiv.")

    assert search(client, query) == [claim.pk]


def test_barrage_units_finds_blocking_units(client):
    claim = published("Blocking units fired on soldiers who retreated.")
    published("Artillery units shelled the village.")

    assert search(client, "barrage units") == [claim.pk]
    assert search(client, "заградотряды") == [claim.pk]


def test_a_protected_actors_real_name_finds_nothing(client):
    claim = published("A wiretap specialist vouched for the intercepts.")
    specialist = make_actor(name="Olena Realsurname", kind=Actor.Kind.INDIVIDUAL, is_protected=True, pseudonym="Maria")
    make_attribution(claim=claim, actor=specialist, quote="I have heard hundreds of them.")

    assert search(client, "Realsurname") == []
    assert search(client, "Olena Realsurname") == []
    # The same claim is found under the name readers are shown.
    assert search(client, "Maria") == [claim.pk]


def test_a_search_never_finds_a_hidden_claim(client):
    make_claim(statement="Draft about blocking units.")
    make_claim(statement="Blocking units in review.", state=Claim.State.IN_REVIEW)

    assert search(client, "blocking units") == []


def test_the_results_page_explains_the_code_word(client):
    published("Prosecutors opened cases against 500s.")
    entry = Entry.objects.get(slug="code-500")

    response = client.get(reverse("home"), {"q": "refusers"})

    content = html.unescape(body(response))
    assert entry.explanation in content
    assert f"<strong>{entry.title}</strong>" in content


def test_a_search_without_a_code_word_explains_nothing(client):
    published("Drone video of soldiers.")
    content = html.unescape(body(client.get(reverse("home"), {"q": "drone"})))
    assert 'class="glossary-note"' not in content
    assert Entry.objects.get(slug="code-500").explanation not in content


@pytest.mark.postgres
@on_postgresql
def test_it_ranks_more_mentions_higher(client):
    # The single mention is newer, so newest-first order would put it first.
    once = published("An intercept was published by GUR.", days_ago=0)
    thrice = published("The intercept names a blocking unit.", days_ago=5)
    make_attribution(claim=thrice, quote="Every intercept we hold says so; the intercept is genuine.")
    published("Drone video, no recordings.", days_ago=1)

    assert search(client, "intercept") == [thrice.pk, once.pk]


@pytest.mark.postgres
@on_postgresql
def test_it_matches_the_stored_search_vector(client):
    claim = published("Blocking units fired on retreating soldiers.")
    make_attribution(claim=claim, stance=Attribution.Stance.DENIES, quote="The recordings are fakes.")

    with CaptureQueriesContext(connection) as queries:
        assert search(client, "fakes") == [claim.pk]

    searches = [query["sql"] for query in queries.captured_queries if "@@" in query["sql"]]
    assert searches, "no full-text match was run"
    for sql in searches:
        assert '"search_vector"' in sql
        # Rebuilding a vector per row would ignore the GIN index.
        assert "to_tsvector" not in sql


def test_a_glossary_entry_added_or_changed_takes_effect_at_once(client):
    claim = published("Blocking units fired on soldiers who retreated.")
    assert search(client, "zagradotryad") == []  # and what the glossary made of it is now kept

    entry = Entry.objects.create(
        slug="zagrad", title="Zagradotryad", explanation="A blocking unit.", terms="zagradotryad\nblocking units"
    )
    assert search(client, "zagradotryad") == [claim.pk]

    entry.terms = "zagradotryad"
    entry.save()
    assert search(client, "zagradotryad") == []
