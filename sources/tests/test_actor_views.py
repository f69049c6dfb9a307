import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Claim
from claims.tests.factories import make_attribution, make_claim, make_user
from sources.models import Actor
from sources.tests.factories import make_actor, make_group

pytestmark = pytest.mark.django_db


def actor_data(**overrides) -> dict:
    data = {
        "name": "Main Intelligence Directorate (GUR)",
        "kind": Actor.Kind.GOVERNMENT,
        "side": Actor.Side.UKRAINE,
        "country": "ua",
        "is_party_to_conflict": "on",
        "independence_group": "",
        "reliability": "",
        "pseudonym": "",
        "description": "Military intelligence of Ukraine.",
    }
    return {**data, **overrides}


def edit_data(actor: Actor, **overrides) -> dict:
    data = {
        "name": actor.name,
        "kind": actor.kind,
        "side": actor.side,
        "country": actor.country,
        "independence_group": actor.independence_group_id or "",
        "reliability": actor.reliability,
        "pseudonym": actor.pseudonym,
        "description": actor.description,
        "version": actor.version,
    }
    if actor.is_party_to_conflict:
        data["is_party_to_conflict"] = "on"
    if actor.is_protected:
        data["is_protected"] = "on"
    return {**data, **overrides}


def page_urls(actor: Actor) -> list[str]:
    return [
        reverse("sources:actor_create"),
        reverse("sources:actor_edit", args=[actor.pk]),
        reverse("sources:actor_detail", args=[actor.pk]),
    ]


class TestAccess:
    def test_it_sends_anonymous_users_to_sign_in(self, client):
        for url in page_urls(make_actor()):
            response = client.get(url)
            assert response.status_code == 302
            assert response.url.startswith(reverse("login"))

    def test_it_forbids_users_without_a_role(self, client):
        client.force_login(make_user("outsider"))
        for url in page_urls(make_actor()):
            assert client.get(url).status_code == 403

    @pytest.mark.parametrize("role", ["reporter", "editor"])
    def test_it_opens_every_page_for_staff(self, client, request, role):
        client.force_login(request.getfixturevalue(role))
        for url in page_urls(make_actor()):
            assert client.get(url).status_code == 200

    def test_it_404s_for_a_missing_actor(self, client, reporter):
        client.force_login(reporter)
        assert client.get(reverse("sources:actor_detail", args=[999])).status_code == 404
        assert client.get(reverse("sources:actor_edit", args=[999])).status_code == 404


class TestCreate:
    def test_it_adds_an_actor(self, client, reporter):
        group = make_group(name="Ukrainian state")
        client.force_login(reporter)
        response = client.post(
            reverse("sources:actor_create"), actor_data(independence_group=group.pk, reliability="B")
        )
        actor = Actor.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("sources:actor_detail", args=[actor.pk])
        assert actor.name == "Main Intelligence Directorate (GUR)"
        assert (actor.country, actor.independence_group, actor.reliability) == ("UA", group, "B")
        assert actor.is_party_to_conflict is True

    def test_it_refuses_a_protected_actor_without_a_pseudonym(self, client, reporter):
        client.force_login(reporter)
        response = client.post(
            reverse("sources:actor_create"),
            actor_data(name="Wiretap specialist", kind=Actor.Kind.INDIVIDUAL, is_protected="on", pseudonym=" "),
        )
        assert response.status_code == 200
        assert response.context["form"].errors["pseudonym"] == [
            "A protected actor needs a pseudonym: it is all the public sees."
        ]
        assert 'id="id_pseudonym_error"' in response.content.decode()
        assert not Actor.objects.exists()

    def test_it_adds_a_protected_actor_with_a_pseudonym(self, client, reporter):
        client.force_login(reporter)
        client.post(
            reverse("sources:actor_create"),
            actor_data(name="Real Person", kind=Actor.Kind.INDIVIDUAL, is_protected="on", pseudonym="Wiretapper"),
        )
        actor = Actor.objects.get()
        assert (actor.is_protected, actor.public_name) == (True, "Wiretapper")

    def test_it_refuses_a_country_that_is_not_a_code(self, client, reporter):
        client.force_login(reporter)
        response = client.post(reverse("sources:actor_create"), actor_data(country="U1"))
        assert response.context["form"].errors["country"]
        assert not Actor.objects.exists()

    def test_it_refuses_a_name_already_taken(self, client, reporter):
        make_actor(name="UK Ministry of Defence")
        client.force_login(reporter)
        response = client.post(reverse("sources:actor_create"), actor_data(name="UK Ministry of Defence"))
        assert response.context["form"].errors["name"]
        assert Actor.objects.count() == 1


class TestEdit:
    def test_it_saves_changes_and_bumps_the_version(self, client, reporter):
        actor = make_actor(name="Kremlin", side=Actor.Side.RUSSIA)
        client.force_login(reporter)
        response = client.post(
            reverse("sources:actor_edit", args=[actor.pk]), edit_data(actor, description="Russian presidency.")
        )
        assert response.status_code == 302
        actor.refresh_from_db()
        assert (actor.description, actor.version) == ("Russian presidency.", 2)

    def test_it_refuses_to_protect_an_actor_without_a_pseudonym(self, client, reporter):
        actor = make_actor(name="A soldier", kind=Actor.Kind.INDIVIDUAL)
        client.force_login(reporter)
        response = client.post(reverse("sources:actor_edit", args=[actor.pk]), edit_data(actor, is_protected="on"))
        assert response.context["form"].errors["pseudonym"]
        actor.refresh_from_db()
        assert (actor.is_protected, actor.version) == (False, 1)

    def test_it_shows_the_second_of_two_concurrent_writers_a_conflict(self, client, reporter, other_reporter):
        actor = make_actor(name="UK Ministry of Defence", description="Original.")
        edit_url = reverse("sources:actor_edit", args=[actor.pk])
        client.force_login(reporter)
        second = Client()
        second.force_login(other_reporter)
        first_version = client.get(edit_url).context["form"]["version"].value()
        second_version = second.get(edit_url).context["form"]["version"].value()
        assert first_version == second_version == 1

        first = client.post(edit_url, edit_data(actor, description="First writer's text.", version=first_version))
        conflict = second.post(edit_url, edit_data(actor, description="Second writer's text.", version=second_version))

        assert first.status_code == 302
        assert conflict.status_code == 409
        content = conflict.content.decode()
        assert "Second writer&#x27;s text." in content
        assert "First writer&#x27;s text." in content
        assert f'href="{edit_url}"' in content
        actor.refresh_from_db()
        assert actor.description == "First writer's text."
        assert actor.version == 2


class TestDetail:
    def test_it_shows_staff_the_real_name_and_the_public_name(self, client, reporter):
        actor = make_actor(name="Real Person", kind=Actor.Kind.INDIVIDUAL, is_protected=True, pseudonym="Wiretapper")
        client.force_login(reporter)
        content = client.get(reverse("sources:actor_detail", args=[actor.pk])).content.decode()
        assert "Real Person" in content
        assert "Wiretapper" in content
        assert "Protected identity" in content

    def test_it_escapes_the_name(self, client, reporter):
        actor = make_actor(name="<script>alert(1)</script>")
        client.force_login(reporter)
        content = client.get(reverse("sources:actor_detail", args=[actor.pk])).content.decode()
        assert "<script>alert(1)" not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content

    def test_it_lists_the_claims_the_actor_is_quoted_on(self, client, reporter, other_reporter):
        actor = make_actor()
        claim = make_claim(statement="Officials say conscripts will not be sent.", state=Claim.State.PUBLISHED)
        make_attribution(claim=claim, actor=actor)
        make_attribution(claim=claim, actor=actor)
        hidden = make_claim(statement="A colleague's unfinished claim.", created_by=other_reporter)
        make_attribution(claim=hidden, actor=actor)
        client.force_login(reporter)
        response = client.get(reverse("sources:actor_detail", args=[actor.pk]))
        assert list(response.context["claims"]) == [claim]
        assert f'href="{reverse("claims:claim_detail", args=[claim.pk])}"' in response.content.decode()

    def test_it_shows_the_edit_history(self, client, reporter):
        actor = make_actor(name="Kremlin")
        client.force_login(reporter)
        client.post(reverse("sources:actor_edit", args=[actor.pk]), edit_data(actor, side=Actor.Side.RUSSIA))
        history = client.get(reverse("sources:actor_detail", args=[actor.pk])).context["history"]
        assert history[0].changed == ["side"]
        assert history[0].record.history_user == reporter
