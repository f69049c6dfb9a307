import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.tests.factories import make_user

pytestmark = pytest.mark.django_db

URL = reverse("accounts:api_token")


def test_it_requires_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_refuses_users_without_a_newsroom_role(client):
    client.force_login(make_user("no-role"))
    assert client.get(URL).status_code == 403


def test_it_creates_a_token_and_shows_it_once(client, reporter):
    client.force_login(reporter)
    response = client.post(URL, {"action": "create"}, follow=True)
    key = Token.objects.get(user=reporter).key
    assert key in response.content.decode()
    assert key not in client.get(URL).content.decode()


def test_the_token_authenticates_api_calls_until_revoked(client, reporter):
    client.force_login(reporter)
    client.post(URL, {"action": "create"})
    key = Token.objects.get(user=reporter).key
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.post("/api/v1/claims/", {"statement": "A claim logged by a script"}, format="json").status_code == 201

    client.post(URL, {"action": "revoke"})

    assert not Token.objects.filter(user=reporter).exists()
    assert api.post("/api/v1/claims/", {"statement": "Another claim by a script"}, format="json").status_code == 401


def test_replacing_a_token_kills_the_old_one(client, reporter):
    client.force_login(reporter)
    client.post(URL, {"action": "create"})
    old = Token.objects.get(user=reporter).key
    client.post(URL, {"action": "create"})
    assert Token.objects.get(user=reporter).key != old


def test_it_needs_post_and_csrf_to_change_anything(reporter):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reporter)
    assert strict.post(URL, {"action": "create"}).status_code == 403
    assert not Token.objects.filter(user=reporter).exists()
