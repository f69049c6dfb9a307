"""Actor, outlet, topic and methodology pages."""

import html
from types import SimpleNamespace

import pytest
from django.urls import reverse

from claims.models import Attribution, Claim
from claims.tests.factories import make_attribution, make_claim, make_topic
from glossary.models import Entry
from public.tests.helpers import body, listed_ids
from sources.models import Actor
from sources.tests.factories import make_actor, make_article, make_group, make_outlet

pytestmark = pytest.mark.django_db

PUBLISHED = Claim.State.PUBLISHED


@pytest.fixture
def sources():
    kremlin = make_actor(name="Kremlin", description="The Russian presidential administration.", reliability="D")
    gur = make_actor(name="GUR", independence_group=make_group(name="Ukrainian state"))
    ziare = make_outlet(name="Ziare", website="https://ziare.example/")
    tass = make_outlet(name="TASS")
    asserted = make_claim(statement="Blocking units fired on soldiers.", state=PUBLISHED)
    make_attribution(claim=asserted, actor=gur, article=make_article(outlet=ziare))
    make_attribution(claim=asserted, actor=kremlin, article=make_article(outlet=tass), stance=Attribution.Stance.DENIES)
    withdrawn = make_claim(statement="Conscripts were sent to Kursk.", state=Claim.State.WITHDRAWN)
    make_attribution(claim=withdrawn, actor=kremlin, article=make_article(outlet=tass))
    unrelated = make_claim(statement="Drone video of a strike.", state=PUBLISHED)
    make_attribution(claim=unrelated, actor=gur, article=make_article(outlet=ziare))
    for state in (Claim.State.DRAFT, Claim.State.IN_REVIEW, Claim.State.SENT_BACK):
        hidden = make_claim(statement=f"Hidden {state} claim.", state=state)
        make_attribution(claim=hidden, actor=kremlin, article=make_article(outlet=tass))
    return SimpleNamespace(
        kremlin=kremlin, gur=gur, ziare=ziare, tass=tass, asserted=asserted, withdrawn=withdrawn, unrelated=unrelated
    )


def test_an_actor_page_lists_the_public_claims_they_assert_or_deny(client, sources):
    response = client.get(reverse("public:actor_detail", args=[sources.kremlin.pk]))

    assert response.status_code == 200
    content = body(response)
    assert "<h1>Kremlin</h1>" in content
    assert "The Russian presidential administration." in content
    assert "D – Not usually reliable" in html.unescape(content)
    # Denied one, asserted the other (since withdrawn); the hidden ones are not there.
    assert sorted(listed_ids(response)) == sorted([sources.asserted.pk, sources.withdrawn.pk])
    assert "Hidden" not in content


def test_an_actor_page_names_the_actors_it_counts_as_one_origin_with(client, sources):
    content = body(client.get(reverse("public:actor_detail", args=[sources.gur.pk])))
    assert "Counts as one origin with: Ukrainian state" in content


def test_a_protected_actor_has_no_page(client, sources):
    informant = make_actor(
        name="Real Name Of The Informant",
        kind=Actor.Kind.INDIVIDUAL,
        is_protected=True,
        pseudonym="Maria",
        description="Lives in Horlivka.",
    )
    make_attribution(claim=sources.asserted, actor=informant)

    response = client.get(reverse("public:actor_detail", args=[informant.pk]))

    assert response.status_code == 404
    assert "Real Name Of The Informant" not in body(response)
    assert "Horlivka" not in body(response)
    # Unprotected, the same actor has a page: the 404 is for the protection.
    informant.is_protected = False
    informant.save()
    assert client.get(reverse("public:actor_detail", args=[informant.pk])).status_code == 200


def test_an_unknown_actor_has_no_page(client, sources):
    assert client.get(reverse("public:actor_detail", args=[sources.gur.pk + 1000])).status_code == 404


def test_an_outlet_page_lists_the_public_claims_its_articles_carry(client, sources):
    response = client.get(reverse("public:outlet_detail", args=[sources.tass.pk]))

    assert response.status_code == 200
    content = body(response)
    assert "<h1>TASS</h1>" in content
    assert sorted(listed_ids(response)) == sorted([sources.asserted.pk, sources.withdrawn.pk])
    assert "Hidden" not in content

    ziare = client.get(reverse("public:outlet_detail", args=[sources.ziare.pk]))
    assert sorted(listed_ids(ziare)) == sorted([sources.asserted.pk, sources.unrelated.pk])
    assert 'href="https://ziare.example/"' in body(ziare)


def test_a_topic_page_lists_its_public_claims(client, sources):
    topic = make_topic(name="Barrier units", slug="barrier-units")
    topic.description = "Units said to fire on their own side."
    topic.save()
    sources.asserted.topics.add(topic)
    sources.withdrawn.topics.add(topic)
    make_claim(statement="Hidden draft on barrier units.").topics.add(topic)

    response = client.get(reverse("public:topic_detail", args=[topic.slug]))

    assert response.status_code == 200
    content = body(response)
    assert "<h1>Barrier units</h1>" in content
    assert "Units said to fire on their own side." in content
    assert sorted(listed_ids(response)) == sorted([sources.asserted.pk, sources.withdrawn.pk])
    assert "Hidden" not in content


def test_a_topic_without_public_claims_says_so(client):
    topic = make_topic(name="Executions", slug="executions")
    make_claim(statement="Hidden draft.").topics.add(topic)

    response = client.get(reverse("public:topic_detail", args=[topic.slug]))

    assert response.status_code == 200
    assert "No published claims match." in body(response)
    assert "Hidden" not in body(response)


def test_an_unknown_topic_has_no_page(client):
    assert client.get(reverse("public:topic_detail", args=["no-such-topic"])).status_code == 404


def test_the_methodology_page_explains_every_scale_and_term(client):
    Entry.objects.create(slug="test-entry", title="Test entry", explanation="A test explanation.", terms="xyz")

    response = client.get(reverse("public:methodology"))

    assert response.status_code == 200
    content = html.unescape(body(response))
    statuses = ["Unverified", "Single origin", "Corroborated", "Confirmed", "Disputed", "False"]
    assert len(statuses) == len(Claim.Status.choices)
    for label in statuses:
        assert f">{label}</span>" in content
    assert "Independent origins agree." in content
    for grade, meaning in [("A", "Completely reliable"), ("C", "Fairly reliable"), ("F", "Reliability cannot")]:
        assert f"<dt>{grade}</dt><dd>{meaning}" in content
    for grade, meaning in [("1", "Confirmed by other sources"), ("4", "Doubtful"), ("6", "Truth cannot be judged")]:
        assert f"<dt>{grade}</dt><dd>{meaning}" in content
    terms = [
        "Remote chance",
        "Highly unlikely",
        "Unlikely",
        "Realistic possibility",
        "Likely or probably",
        "Highly likely",
        "Almost certain",
    ]
    assert len(terms) == len(Attribution.Estimative.choices)
    for term in terms:
        assert f"<li>{term}</li>" in content
    for entry in Entry.objects.all():
        assert f'<dt id="glossary-{entry.slug}">{entry.title}</dt><dd>{entry.explanation}' in content
